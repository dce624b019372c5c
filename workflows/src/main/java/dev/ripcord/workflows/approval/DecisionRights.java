package dev.ripcord.workflows.approval;

import dev.ripcord.workflows.policy.GovernanceSpec;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import java.util.List;

/** Checks a decision against the policy's decision rights: is this person, in this role, allowed to take it? */
public final class DecisionRights {
  private DecisionRights() {}

  /** The role the decision is taken in, or why it is refused. */
  public record Check(String role, String refusal) {
    public boolean allowed() {
      return refusal == null;
    }
  }

  /**
   * @param right the decision right needed: promote, rollback, pause or resume
   */
  public static Check check(GovernanceSpec governance, String right, HumanDecision d) {
    DecisionRight r = governance.right(right);
    if (r == null) {
      return new Check(null, "the policy grants no one the '" + right + "' decision");
    }
    return check(governance, right, r.roles(), d);
  }

  /**
   * Separation of duties: why {@code by} may not take {@code effective} (approve, reject, resume, hold, rerelease)
   * under {@code right}, being the person who started the release while the right says {@code notBy: [releaser]}; null
   * when nothing stands in the way. Only the risky side is kept from them: approving a promotion, refusing or holding
   * a rollback, resuming after an investigation, asking for a re-release; rolling back is always theirs to ask.
   */
  public static String releaserRefusal(GovernanceSpec governance, String right, String effective, String by,
      String releasedBy) {
    DecisionRight r = governance.right(right);
    if (r == null || !r.notByReleaser() || releasedBy == null || !releasedBy.equals(by)) {
      return null;
    }
    String what = switch (right) {
      case "promote" -> effective.equals("approve") ? "approve its promotion" : null;
      case "rollback" -> effective.equals("reject") || effective.equals("hold") ? "refuse its rollback" : null;
      case "resume" -> effective.equals("approve") ? "resume it after the investigation" : null;
      case "rerelease" -> "re-release it";
      default -> null;
    };
    return what == null ? null : by + " started this release and may not " + what + " (governance.decisions." + right
        + ".notBy: [releaser]); someone else holding the right must";
  }

  /** The same check against an explicit list of roles (e.g. widened by an escalation). */
  public static Check check(GovernanceSpec governance, String right, List<String> allowed, HumanDecision d) {
    List<String> held = governance.rolesOf(d.by());
    if (held.isEmpty()) {
      return new Check(null, d.by() + " holds no role in this release's policy");
    }
    if (d.role() != null) {
      if (!held.contains(d.role())) {
        return new Check(null, d.by() + " does not hold the role '" + d.role() + "' (holds " + held + ")");
      }
      if (!allowed.contains(d.role())) {
        return new Check(null, "role '" + d.role() + "' may not " + right + "; the policy allows " + allowed);
      }
      return new Check(d.role(), null);
    }
    for (String role : held) {
      if (allowed.contains(role)) {
        return new Check(role, null);
      }
    }
    return new Check(null, d.by() + " holds " + held + ", but '" + right + "' needs one of " + allowed);
  }
}
