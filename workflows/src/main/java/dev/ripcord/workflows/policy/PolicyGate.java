package dev.ripcord.workflows.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A policy's problems as the release judges them: under today's rules, or under older ones for a release that
 * started before them ({@code Versions.STRICT_POLICY}: the ranges of {@code PolicyBounds}; {@code Versions.FAIL_SAFE}:
 * the fail-safe defaults of {@link FailSafeChecks}; {@code Versions.CONSISTENT_POLICY}: {@link ConsistencyChecks};
 * {@code Versions.SOURCE_FIT}: {@link SourceFitChecks}).
 * Each "started before" is asked only when the rules it guards
 * object, so its marker is recorded only then. Pure apart from those suppliers.
 */
public final class PolicyGate {
  private PolicyGate() {}

  /** Whether this release started before each newer set of rules. */
  public record Rules(BooleanSupplier beforeStrict, BooleanSupplier beforeFailSafe, BooleanSupplier beforeConsistency,
      BooleanSupplier beforeSourceFit) {
    /** Rules for a release that started after the consistency rules. */
    public Rules(BooleanSupplier beforeStrict, BooleanSupplier beforeFailSafe) {
      this(beforeStrict, beforeFailSafe, () -> false, () -> false);
    }
  }

  public static List<PolicyProblem> problems(ReleasePolicy p, Rules rules) {
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
  public static ReleasePolicy parse(String text, List<PolicyProblem> problems, Rules rules) {
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
