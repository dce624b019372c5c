package dev.ripcord.workflows.release;

import dev.ripcord.workflows.policy.ConsistencyChecks;
import dev.ripcord.workflows.policy.FailSafeChecks;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.PolicyProblem;
import dev.ripcord.workflows.policy.PolicyValidator;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.SourceFitChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A policy's problems as the release judges them: under today's rules, or under older ones for a release that
 * started before them ({@link Versions#STRICT_POLICY}: the ranges of {@code PolicyBounds}; {@link Versions#FAIL_SAFE}:
 * the fail-safe defaults of {@link FailSafeChecks}; {@link Versions#CONSISTENT_POLICY}: {@link ConsistencyChecks};
 * {@link Versions#SOURCE_FIT}: {@link SourceFitChecks}).
 * Each "started before" is asked only when the rules it guards
 * object, so its marker is recorded only then. Pure apart from those suppliers.
 */
final class PolicyGate {
  private PolicyGate() {}

  /** Whether this release started before each newer set of rules. */
  record Rules(BooleanSupplier beforeStrict, BooleanSupplier beforeFailSafe, BooleanSupplier beforeConsistency,
      BooleanSupplier beforeSourceFit) {
    /** Rules for a release that started after the consistency rules. */
    Rules(BooleanSupplier beforeStrict, BooleanSupplier beforeFailSafe) {
      this(beforeStrict, beforeFailSafe, () -> false, () -> false);
    }
  }

  static List<PolicyProblem> problems(ReleasePolicy p, Rules rules) {
    List<PolicyProblem> problems = new ArrayList<>(PolicyValidator.validate(p, true));
    if (!problems.isEmpty() && PolicyValidator.validate(p, false).isEmpty() && rules.beforeStrict().getAsBoolean()) {
      problems.clear();
    }
    List<PolicyProblem> failSafe = FailSafeChecks.problems(p);
    if (!failSafe.isEmpty() && !rules.beforeFailSafe().getAsBoolean()) {
      problems.addAll(failSafe);
    }
    List<PolicyProblem> consistency = ConsistencyChecks.problems(p);
    if (!consistency.isEmpty() && !rules.beforeConsistency().getAsBoolean()) {
      problems.addAll(consistency);
    }
    List<PolicyProblem> sourceFit = SourceFitChecks.problems(p);
    if (!sourceFit.isEmpty() && !rules.beforeSourceFit().getAsBoolean()) {
      problems.addAll(sourceFit);
    }
    return problems;
  }

  /** A policy parsed from text; {@code problems} is filled when it is refused (then null is returned). */
  static ReleasePolicy parse(String text, List<PolicyProblem> problems, Rules rules) {
    List<PolicyProblem> strict = new ArrayList<>();
    ReleasePolicy parsed = PolicyLoader.parse(text, strict, true);
    if (parsed != null && strict.isEmpty()) {
      return parsed;
    }
    List<PolicyProblem> before = new ArrayList<>();
    ReleasePolicy lenient = PolicyLoader.parse(text, before, false);
    if (lenient != null && before.isEmpty() && rules.beforeStrict().getAsBoolean()) {
      return lenient;
    }
    problems.addAll(strict);
    return null;
  }
}
