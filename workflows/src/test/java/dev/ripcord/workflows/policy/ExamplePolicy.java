package dev.ripcord.workflows.policy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shipped example policy as text, one edit away from what a validator test tries, and its problems. */
final class ExamplePolicy {
  static final String EXAMPLE = read("../examples/conversational-agent.yaml");

  private ExamplePolicy() {}

  private static String read(String f) {
    try {
      return Files.readString(Path.of(f));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Every problem of the policy, as the CLI prints them; never an exception. */
  static List<String> problems(String yaml) {
    List<PolicyProblem> problems = new ArrayList<>();
    ReleasePolicy p = PolicyLoader.parse(yaml, problems);
    if (p != null) {
      problems.addAll(PolicyValidator.validate(p));
    }
    return problems.stream().map(PolicyProblem::toString).toList();
  }

  /** The example with {@code from} replaced by {@code to} (which the example must still hold). */
  static String edit(String from, String to) {
    assertTrue(EXAMPLE.contains(from), "the example still has: " + from);
    return EXAMPLE.replace(from, to);
  }
}
