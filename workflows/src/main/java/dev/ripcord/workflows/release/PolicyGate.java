package dev.ripcord.workflows.release;

import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.PolicyProblem;
import dev.ripcord.workflows.policy.PolicyValidator;
import dev.ripcord.workflows.policy.ReleasePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A policy's problems as the release judges them: under today's rules, or under the rules before
 * {@link Versions#STRICT_POLICY} for a release that started before them. {@code startedBefore} is asked only when
 * today's rules alone object, so the marker is recorded only then. Pure apart from that supplier.
 */
final class PolicyGate {
  private PolicyGate() {}

  static List<PolicyProblem> problems(ReleasePolicy p, BooleanSupplier startedBefore) {
    List<PolicyProblem> problems = PolicyValidator.validate(p, true);
    if (!problems.isEmpty() && PolicyValidator.validate(p, false).isEmpty() && startedBefore.getAsBoolean()) {
      return List.of();
    }
    return problems;
  }

  /** A policy parsed from text; {@code problems} is filled when it is refused (then null is returned). */
  static ReleasePolicy parse(String text, List<PolicyProblem> problems, BooleanSupplier startedBefore) {
    List<PolicyProblem> strict = new ArrayList<>();
    ReleasePolicy parsed = PolicyLoader.parse(text, strict, true);
    if (parsed != null && strict.isEmpty()) {
      return parsed;
    }
    List<PolicyProblem> before = new ArrayList<>();
    ReleasePolicy lenient = PolicyLoader.parse(text, before, false);
    if (lenient != null && before.isEmpty() && startedBefore.getAsBoolean()) {
      return lenient;
    }
    problems.addAll(strict);
    return null;
  }
}
