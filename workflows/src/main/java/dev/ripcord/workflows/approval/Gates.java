package dev.ripcord.workflows.approval;

import dev.ripcord.workflows.policy.Durations;
import dev.ripcord.workflows.policy.GovernanceSpec;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.policy.OnTimeout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The gates where a release waits for people: opening a decision, which right a person's signal answers, counting
 * approvals toward a quorum (and per-role quorum), deadlines and their policy defaults, and escalation. Pure: no
 * {@code Workflow.*} call; workflow time comes in as {@code now}.
 */
public final class Gates {
  /** How the audit log names a deadline that decided. */
  public static final String DEADLINE = "deadline";

  private Gates() {}

  /** The decision a release opens for {@code right} at {@code now}. */
  public static OpenDecision ask(String right, DecisionRight r, long now, String reason, List<String> criteria) {
    String deadline = r.deadline() == null ? null : iso(now + Durations.parse(r.deadline()).toMillis());
    return new OpenDecision(right, r.roles(), iso(now), deadline, r.onTimeout(), reason, criteria, List.of(),
        r.quorumOrOne(), 0);
  }

  /**
   * One approval toward {@code open}'s quorum. {@code role} is the role it was allowed in ({@link DecisionRights});
   * a person who named no role counts in a required role still missing when they hold one.
   */
  public static Approval approve(OpenDecision open, GovernanceSpec governance, String by, String namedRole,
      String role) {
    int quorum = open.quorum() == null ? 1 : open.quorum();
    if (open.approvalsSoFar().contains(by)) {
      return new Approval(by + " has already approved; the quorum of " + quorum + " needs different people", open,
          role, open.approvalsSoFar().size(), quorum, List.of(), List.of());
    }
    List<String> required = governance.right(open.right()).requiredRoles();
    List<String> missingBefore = open.missingRoles(required);
    String counted = role;
    if (namedRole == null && !missingBefore.contains(role)) {
      counted = governance.rolesOf(by).stream().filter(x -> missingBefore.contains(x) && open.roles().contains(x))
          .findFirst().orElse(role);
    }
    OpenDecision next = open.withApproval(by, counted);
    return new Approval(null, next, counted, next.approvalsSoFar().size(), quorum, next.missingRoles(required),
        required);
  }

  /**
   * The result of one approval.
   *
   * @param refusal why it does not count, or null
   * @param open the decision with the approval counted
   * @param missing required roles no approval has been taken in yet
   */
  public record Approval(String refusal, OpenDecision open, String role, int count, int quorum, List<String> missing,
      List<String> required) {
    public boolean reached() {
      return refusal == null && count >= quorum && missing.isEmpty();
    }
  }

  public static boolean deadlinePassed(OpenDecision open, long now) {
    return open.deadline() != null && now >= Instant.parse(open.deadline()).toEpochMilli();
  }

  /**
   * How {@code open} settles at {@code now}, given a person's {@code answer} (approve, reject, hold or null) by
   * {@code by}. Without an answer, a passed deadline applies the right's {@code onTimeout}: {@code rollback} grants a
   * rollback and refuses a promotion or resume; {@code continue} does the opposite; anything else holds.
   */
  public static Settlement settle(OpenDecision open, String answer, String by, long now) {
    if (answer == null) {
      if (!deadlinePassed(open, now)) {
        return new Settlement.Open();
      }
      boolean rollbackRight = "rollback".equals(open.right());
      OnTimeout onTimeout = OnTimeout.of(open.onTimeout());
      return switch (onTimeout == null ? OnTimeout.HOLD : onTimeout) {
        case ROLLBACK -> rollbackRight ? new Settlement.Granted(DEADLINE, true) : new Settlement.Refused(DEADLINE,
            true);
        case CONTINUE -> rollbackRight ? new Settlement.Refused(DEADLINE, true) : new Settlement.Granted(DEADLINE,
            true);
        case HOLD -> new Settlement.Held(DEADLINE, true);
      };
    }
    return switch (answer) {
      case "approve" -> new Settlement.Granted(by, false);
      case "hold" -> new Settlement.Held(by, false);
      default -> new Settlement.Refused(by, false);
    };
  }

  /** When the next step of {@code open}'s escalation chain is due, or 0 when there is none (or it was answered). */
  public static long nextEscalationAt(OpenDecision open, GovernanceSpec governance, boolean answered) {
    if (open == null || answered) {
      return 0;
    }
    DecisionRight r = governance.right(open.right());
    if (r == null || r.escalation() == null || open.escalationSteps() >= r.escalation().size()) {
      return 0;
    }
    return Instant.parse(open.requestedAt()).toEpochMilli()
        + Durations.parse(r.escalation().get(open.escalationSteps()).after()).toMillis();
  }

  /** {@code open} one escalation step further: the step's roles may now decide too. */
  public static Escalated escalate(OpenDecision open, GovernanceSpec governance) {
    GovernanceSpec.Escalation step = governance.right(open.right()).escalation().get(open.escalationSteps());
    List<String> roles = new ArrayList<>(open.roles());
    step.roles().stream().filter(x -> !roles.contains(x)).forEach(roles::add);
    return new Escalated(open.escalatedTo(List.copyOf(roles)), step);
  }

  public record Escalated(OpenDecision open, GovernanceSpec.Escalation step) {}

  /**
   * The reason a held decision is asked again with: why it is asked again, then the first reason it was asked for,
   * without the notes of earlier re-asks (seventeen holds once grew a 253-character reason past 1,000).
   */
  public static String askedAgain(Settlement held, String reason) {
    String why = held.byDeadline() ? STILL_WAITING : "held by " + held.by() + ": ";
    String first = reason == null ? "" : reason;
    for (boolean stripped = true; stripped; ) {
      stripped = false;
      if (first.startsWith(STILL_WAITING)) {
        first = first.substring(STILL_WAITING.length());
        stripped = true;
      } else if (first.startsWith("held by ") && first.indexOf(": ") > 0) {
        first = first.substring(first.indexOf(": ") + 2);
        stripped = true;
      }
    }
    return why + first;
  }

  private static final String STILL_WAITING = "still waiting (deadline passed, policy says hold): ";

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
