package dev.ripcord.workflows.release;

import dev.ripcord.workflows.approval.Gates;
import dev.ripcord.workflows.approval.OpenDecision;
import dev.ripcord.workflows.approval.Settlement;
import dev.ripcord.workflows.decision.SampleRatio;
import dev.ripcord.workflows.decision.VerdictEngine;
import dev.ripcord.workflows.policy.Bundles;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.release.state.RollbackRequest;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Map;

/**
 * The release asking people: it opens a decision (or freezes past the point of no return), escalates one nobody
 * answers, and settles it, once answered or at its deadline, into what the release does {@link Next}. Only the loop
 * ({@link ReleaseRun}) calls it. What people send is judged by {@link Decisions}; the rules (quorum, deadlines,
 * escalation) are the pure {@link Gates}.
 */
final class Asking {
  private final Release r;
  private final StateLog log;
  private final Notifications notify;
  private final Traffic traffic;
  private final VerdictEngine engine;

  Asking(Release r, StateLog log, Notifications notify, Traffic traffic, VerdictEngine engine) {
    this.r = r;
    this.log = log;
    this.notify = notify;
    this.traffic = traffic;
    this.engine = engine;
  }

  /** Opens a decision for {@code right}, moves to {@code next} and asks its roles. Only the loop calls it. */
  void ask(String right, String reason, List<String> criteria, ReleaseState next) {
    DecisionRight spec = r.policy.governance().right(right);
    Progress p = r.progress;
    p.waitingFor = Gates.ask(right, spec, Workflow.currentTimeMillis(), reason, criteria);
    p.answer.clear();
    String deadline = p.waitingFor.deadline();
    log.transition(next, "waiting for '" + right + "' from " + spec.roles() + (deadline == null ? ""
        : " until " + deadline + " (then " + spec.onTimeout() + ")") + ": " + reason);
    notify.send("approval-needed", "Release " + r.releaseId + " needs a '" + right + "' decision from "
        + spec.roles() + (deadline == null ? "" : " by " + deadline) + ": " + reason, Map.of("reason", reason));
  }

  /**
   * Whether rolling back would now do harm (the release has reached {@code rollback.unsafeAfter} or a bundle part's
   * {@code irreversible} stage), so a trigger or a deadline default freezes instead. Asks its marker only for a policy
   * that declares such a point.
   */
  boolean rollbackUnsafe() {
    Bundles.PointOfNoReturn point = Bundles.pointOfNoReturn(r.policy);
    return point != null && r.progress.stageIndex >= point.stageIndex() && Versions.has(Versions.FREEZE);
  }

  /**
   * Freezes the release where it is: no rollback, the policy's page roles (or the rollback right's) are paged and asked
   * to decide, without a deadline that could roll back. Approving rolls back anyway; rejecting watches on. Only the
   * loop calls it.
   */
  void freeze(String why, List<String> criteria) {
    var unsafe = r.policy.rollback().unsafeAfter();
    Bundles.PointOfNoReturn point = Bundles.pointOfNoReturn(r.policy);
    DecisionRight rollback = r.policy.governance().right("rollback");
    List<String> roles = unsafe != null && unsafe.page() != null && !unsafe.page().isEmpty() ? unsafe.page()
        : rollback != null ? rollback.roles() : List.copyOf(r.policy.governance().roles().keySet());
    Progress p = r.progress;
    OpenDecision open = p.waitingFor;
    if (open != null) {
      log.audit("APPROVAL", null, null, "open '" + open.right() + "' decision closed unanswered ("
          + open.approvalsSoFar().size() + " of " + (open.quorum() == null ? 1 : open.quorum())
          + " approvals): the release froze, and people decide the rollback now");
    }
    String reason = "FROZEN at " + p.weight + " %: " + why + "; rolling back is unsafe since stage '"
        + point.stage() + "' (" + point.reason() + ")";
    p.waitingFor = Gates.ask("rollback", new DecisionRight(roles, null, null), Workflow.currentTimeMillis(), reason,
        criteria);
    p.answer.clear();
    log.transition(ReleaseState.FROZEN, "waiting for '" + "rollback' from " + roles + " (no deadline): " + reason);
    notify.send("frozen", "PAGE " + roles + ": release " + r.releaseId + " is frozen at " + p.weight + " %: " + why
        + ". Rolling back is unsafe since stage '" + point.stage() + "' (" + point.reason() + "). Approve the"
        + " rollback to revert anyway, or reject it to keep the candidate", Notifications.facts("reason", why,
        "page", String.join(", ", roles)));
  }

  /** When the open decision's next escalation is due (0 for none). */
  long nextEscalationAt() {
    return Gates.nextEscalationAt(r.progress.waitingFor, r.policy.governance(), r.progress.answer.given() != null);
  }

  /**
   * Settles the open decision if a person answered or its deadline passed, and says what the release does: nothing
   * yet, promote, roll back, watch on, ask again (a held decision) or freeze (a deadline's rollback past the point of
   * no return).
   */
  Next settle(long now) {
    Progress p = r.progress;
    if (p.waitingFor == null) {
      return Next.CONTINUE;
    }
    escalateIfDue(now);
    OpenDecision open = p.waitingFor;
    Settlement s = Gates.settle(open, p.answer.given(), p.answer.by(), now);
    if (s instanceof Settlement.Open) {
      return Next.CONTINUE;
    }
    if (s.byDeadline()) {
      log.audit("APPROVAL", Gates.DEADLINE, null, "no '" + open.right() + "' decision by " + open.deadline()
          + "; policy default: " + open.onTimeout());
      log.count("ripcord_approval_expired", Map.of("right", open.right()));
    }
    if (s instanceof Settlement.Held) {
      return new Next.AskPeople(open.right(), Gates.askedAgain(s, open.reason()), open.criteria(), p.state);
    }
    p.waitingFor = null;
    p.answer.clear();
    boolean granted = s instanceof Settlement.Granted;
    return switch (open.right()) {
      case "rollback" -> granted ? rollBack(s, "rollback of " + open.criteria() + (s.byDeadline()
          ? " by deadline default" : " approved by " + s.by())) : rollbackRefused(open, s);
      case "promote" -> granted ? promoted(s) : rollBack(s, s.byDeadline()
          ? "promotion not approved by the deadline (policy: rollback)" : "promotion rejected by " + s.by());
      default -> granted ? resumed(open, s) : rollBack(s, "investigation of " + open.criteria()
          + " ended in rollback (" + (s.byDeadline() ? "deadline default" : "by " + s.by()) + ")");
    };
  }

  private Next rollBack(Settlement s, String reason) {
    Progress p = r.progress;
    if (s.byDeadline() && rollbackUnsafe()) {
      return new Next.Freeze(reason, List.of()); // a policy default is no person: past that point, people decide
    }
    if (!(s instanceof Settlement.Granted)) {
      p.moments.triggered(Workflow.currentTimeMillis()); // a refused promotion or resume is the trigger
    }
    return new Next.RollBack(RollbackRequest.over(p.rollback, s.by(), reason, null));
  }

  private Next rollbackRefused(OpenDecision open, Settlement s) {
    Progress p = r.progress;
    p.engine = engine.forget(p.engine, open.criteria());
    return new Next.WatchOn("rollback " + (s.byDeadline() ? "not approved by the deadline (policy: continue)"
        : "rejected by " + s.by()) + "; evidence for " + open.criteria() + " reset, watching on");
  }

  private Next promoted(Settlement s) {
    log.audit("STATE", s.by(), null, "promotion of stage '" + r.stage().name()
        + "' " + (s.byDeadline() ? "by deadline default" : "approved"));
    return Next.PROMOTE;
  }

  private Next resumed(OpenDecision open, Settlement s) {
    Progress p = r.progress;
    p.engine = engine.forget(p.engine, open.criteria().stream().filter(c -> !SampleRatio.NAME.equals(c)).toList());
    if (open.criteria().contains(SampleRatio.NAME)) {
      p.sampleRatio = null; // the split is counted afresh once people looked into it
    }
    if (p.hold.lift()) {
      int back = r.stage().weight();
      traffic.set(back, "investigation closed: candidate back to the stage's " + back + " %");
    }
    return new Next.WatchOn("investigation closed, resumed " + (s.byDeadline() ? "by deadline default"
        : "by " + s.by()));
  }

  /** Nobody answered in time: tell the next roles of the chain, who may then decide too. */
  private void escalateIfDue(long now) {
    long due = nextEscalationAt();
    if (due == 0 || now < due) {
      return;
    }
    OpenDecision o = r.progress.waitingFor;
    Gates.Escalated e = Gates.escalate(o, r.policy.governance());
    r.progress.waitingFor = e.open();
    log.audit("APPROVAL", "escalation", null, "no '" + o.right() + "' decision after " + e.step().after()
        + "; escalated to " + e.step().roles() + ", who may now decide too");
    log.count("ripcord_approval_escalated", Map.of("right", o.right()));
    notify.send("escalation", "ESCALATION " + r.releaseId + ": no '" + o.right() + "' decision from " + o.roles()
        + " after " + e.step().after() + "; " + e.step().roles() + " are asked now: " + o.reason(),
        Map.of("reason", o.reason()));
    log.updateDetails();
  }

  /** Nothing waits for people once the release rolls back: the status must not say otherwise. */
  void closeUnanswered() {
    OpenDecision w = r.progress.waitingFor;
    if (w != null) {
      log.audit("APPROVAL", null, null, "open '" + w.right() + "' decision closed unanswered ("
          + w.approvalsSoFar().size() + " of " + (w.quorum() == null ? 1 : w.quorum())
          + " approvals): the release rolls back");
      r.progress.waitingFor = null;
    }
  }

  /** The state a release watches in: paused (for an investigation or by a person), shadow, or rolling out. */
  ReleaseState watchingState() {
    Progress p = r.progress;
    if (p.hold.held()) {
      return p.waitingFor != null && "resume".equals(p.waitingFor.right())
          ? ReleaseState.PAUSED_FOR_INVESTIGATION : ReleaseState.PAUSED;
    }
    if (r.inAfterPromotion()) {
      return ReleaseState.WATCHING_AFTER_PROMOTION;
    }
    return r.stage().weight() == 0 ? ReleaseState.SHADOW : ReleaseState.ROLLING_OUT;
  }
}
