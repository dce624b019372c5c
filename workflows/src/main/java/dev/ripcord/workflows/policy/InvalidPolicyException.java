package dev.ripcord.workflows.policy;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a policy cannot be used; carries every problem found, not just the first. */
public class InvalidPolicyException extends RuntimeException {
  private final transient List<PolicyProblem> problems;

  public InvalidPolicyException(String source, List<PolicyProblem> problems) {
    super("invalid policy " + source + " (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
        + "):\n" + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<PolicyProblem> problems() {
    return problems;
  }
}
