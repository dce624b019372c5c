package dev.ripcord.workflows.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Fail-safe defaults a policy must keep unless it says why not: a rollback that waits for people has a deadline, and
 * at the deadline the candidate is rolled back. A right that leaves this names its reason
 * ({@code unsafe: {reason: ...}}), which the release shows in status and audit. Pure.
 */
public final class FailSafeChecks {
  private FailSafeChecks() {}

  /** The problems of {@code p} under the fail-safe rules (nothing for a policy without a rollback right). */
  public static List<PolicyProblem> problems(ReleasePolicy p) {
    List<PolicyProblem> out = new ArrayList<>();
    GovernanceSpec.DecisionRight right = p.governance() == null ? null : p.governance().right("rollback");
    if (right == null) {
      return out;
    }
    String path = "$.governance.decisions.rollback";
    boolean safe = right.deadline() != null && right.timeoutDefault() == OnTimeout.ROLLBACK;
    boolean waived = right.unsafe() != null && right.unsafe().reason() != null && !right.unsafe().reason().isBlank();
    if (right.unsafe() != null && !waived) {
      out.add(new PolicyProblem(path + ".unsafe.reason", "is required", "say why this right leaves the fail-safe"
          + " default, e.g. reason: \"rollback is a manual data migration; on-call decides\""));
    } else if (safe && waived) {
      out.add(new PolicyProblem(path + ".unsafe", "waives nothing: the right already has a deadline with onTimeout:"
          + " rollback", "remove unsafe"));
    } else if (!safe && !waived) {
      if (right.deadline() == null) {
        out.add(new PolicyProblem(path + ".deadline", "is required: without one, a release waiting for a rollback"
            + " approval keeps the candidate exposed until someone answers", "add deadline: 15m with onTimeout:"
            + " rollback, or say why not with unsafe: {reason: ...}"));
      } else {
        out.add(new PolicyProblem(path + ".onTimeout", "'" + right.onTimeout() + "' leaves the candidate exposed when"
            + " nobody answers in time", "write onTimeout: rollback, or say why not with unsafe: {reason: ...}"));
      }
    }
    return out;
  }

  /** The fail-safe defaults {@code p} leaves on purpose, as people read them; empty when it keeps them all. */
  public static List<String> waivers(ReleasePolicy p) {
    GovernanceSpec.DecisionRight right = p.governance() == null ? null : p.governance().right("rollback");
    if (right == null || right.unsafe() == null || right.unsafe().reason() == null) {
      return List.of();
    }
    return List.of("rollback approval " + (right.deadline() == null ? "without a deadline" : "defaults to '"
        + right.onTimeout() + "' at its deadline") + " (unsafe: " + right.unsafe().reason() + ")");
  }
}
