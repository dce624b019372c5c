package dev.ripcord.workflows.release;

import dev.ripcord.workflows.approval.DecisionKind;
import dev.ripcord.workflows.approval.DecisionRights;
import dev.ripcord.workflows.approval.Gates;
import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.approval.OpenDecision;
import dev.ripcord.workflows.approval.Settlement;
import dev.ripcord.workflows.decision.DecisionEngine;
import dev.ripcord.workflows.policy.Bundles;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.release.StateLog.Refusal;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The release's side of its gates: it asks people, judges what they send (signals and the update alike, through
 * {@link #decide}), escalates, and settles the open decision into what the release does next. The rules themselves
 * (quorum, deadlines, escalation, rights) are in the pure {@link Gates} and {@link DecisionRights}.
 */
final class Decisions {
  private final Release r;
  private final StateLog log;
  private final Notifications notify;
  private final Traffic traffic;
  private final DecisionEngine engine;
  private final Identity identity;
  /** What people asked the loop to enter (run-local: the loop takes it before it could continue as new). */
  private final List<Entry> asked = new ArrayList<>();
  /** Whether the loop enters what people ask ({@link Versions#LOOP_ENTERS_STATES}); null until the run asks. */
  private Boolean loopEnters;

  Decisions(Release r, StateLog log, Notifications notify, Traffic traffic, DecisionEngine engine,
      Identity identity) {
    this.r = r;
    this.identity = identity;
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
    p.answer = null;
    p.answerBy = null;
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
    p.answer = null;
    p.answerBy = null;
    log.transition(ReleaseState.FROZEN, "waiting for '" + "rollback' from " + roles + " (no deadline): " + reason);
    notify.send("frozen", "PAGE " + roles + ": release " + r.releaseId + " is frozen at " + p.weight + " %: " + why
        + ". Rolling back is unsafe since stage '" + point.stage() + "' (" + point.reason() + "). Approve the"
        + " rollback to revert anyway, or reject it to keep the candidate", Notifications.facts("reason", why,
        "page", String.join(", ", roles)));
  }

  /** When the open decision's next escalation is due (0 for none). */
  long nextEscalationAt() {
    return Gates.nextEscalationAt(r.progress.waitingFor, r.policy.governance(), r.progress.answer != null);
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
    Settlement s = Gates.settle(open, p.answer, p.answerBy, now);
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
    p.answer = null;
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
    if (!(s instanceof Settlement.Granted) && p.triggeredAt == null) {
      p.triggeredAt = Workflow.currentTimeMillis(); // a refused promotion or resume is the trigger
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
    p.engine = engine.forget(p.engine, open.criteria());
    p.pausedBy = null;
    p.pauseReason = null;
    p.investigating = List.of();
    if (p.weightBeforeInvestigation != null) {
      int back = r.stage().weight();
      p.weightBeforeInvestigation = null;
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
    if (p.pausedBy != null) {
      return p.waitingFor != null && "resume".equals(p.waitingFor.right())
          ? ReleaseState.PAUSED_FOR_INVESTIGATION : ReleaseState.PAUSED;
    }
    if (r.inAfterPromotion()) {
      return ReleaseState.WATCHING_AFTER_PROMOTION;
    }
    return r.stage().weight() == 0 ? ReleaseState.SHADOW : ReleaseState.ROLLING_OUT;
  }

  /**
   * The one place a person's decision is judged, for signals and the update alike: first who sent it (under verified
   * identity, the token), then whether they may.
   */
  DecisionAnswer decide(HumanDecision sent) {
    if (r.policy == null) {
      return refuse(sent.as(null), Refusal.NOT_NOW, "the release has no policy; it fails at its start");
    }
    awaitStarted();
    Identity.Who who = identity.check(sent.decision(), sent.by(), sent.token());
    if (!who.ok()) {
      return refuse(sent.as(null), Refusal.UNAUTHORISED, who.refusal()); // nobody's decision: no actor in the audit
    }
    DecisionAnswer a = judge(sent.as(who.by()));
    if (a.accepted()) {
      identity.spend(who, sent.decision());
    }
    return a;
  }

  private DecisionAnswer judge(HumanDecision d) {
    Progress p = r.progress;
    String kind = d.decision();
    ReleaseState state = stateNow();
    if (state.isFinal() || state == ReleaseState.ROLLING_BACK || state == ReleaseState.VERIFYING
        || state == ReleaseState.VALIDATING) {
      return refuse(d, Refusal.NOT_NOW, "the release is " + state + "; nothing to " + kind);
    }
    DecisionKind k = DecisionKind.of(kind);
    String right = k.rightAddressed(p.waitingFor);
    if (right == null) {
      return refuse(d, Refusal.NOT_NOW, kind.equals("investigate") ? "no investigation is open (state " + state + ")"
          : "nothing is waiting for a decision (state " + state + ")");
    }
    boolean answersOpen = p.waitingFor != null && right.equals(p.waitingFor.right());
    DecisionRights.Check check = answersOpen
        ? DecisionRights.check(r.policy.governance(), right, p.waitingFor.roles(), d)
        : DecisionRights.check(r.policy.governance(), right, d);
    if (!check.allowed()) {
      return refuse(d, Refusal.UNAUTHORISED, check.refusal());
    }
    String separated = DecisionRights.releaserRefusal(r.policy.governance(), right,
        k.effective(d.outcome(), answersOpen), d.by(), p.releasedBy);
    if (separated != null) {
      return refuse(d, Refusal.UNAUTHORISED, separated);
    }
    String comment = d.comment() == null ? "" : " — \"" + d.comment() + "\"";
    if (d.breakGlass() && Versions.has(Versions.BREAK_GLASS)) {
      return breakGlass(d, check.role(), comment); // one person with the right, no quorum, no staged holds
    }
    return switch (k.effective(d.outcome(), answersOpen)) {
      case "approve" -> approve(d, kind, right, check.role(), comment);
      case "reject" -> answer(d, "reject", check.role(), (kind.equals("investigate")
          ? "investigation outcome: rollback" : "rejected " + right) + comment);
      case "hold" -> answer(d, "hold", check.role(), "investigation outcome: hold" + comment);
      case "pause" -> pause(d, check.role(), comment);
      case "resume" -> resume(d, check.role(), comment);
      default -> requestRollback(d, check.role(), comment);
    };
  }

  private DecisionAnswer taken(HumanDecision d, String role) {
    return new DecisionAnswer(true, d.decision(), d.by(), role, null, stateNow());
  }

  private DecisionAnswer approve(HumanDecision d, String kind, String right, String role, String comment) {
    Progress p = r.progress;
    Gates.Approval a = Gates.approve(p.waitingFor, r.policy.governance(), d.by(), d.role(), role);
    if (a.refusal() != null) {
      return refuse(d, Refusal.UNAUTHORISED, a.refusal());
    }
    p.waitingFor = a.open();
    String what = kind.equals("investigate") ? "investigation outcome: continue"
        : kind.equals("resume") ? "resumed after investigation" : "approved " + right;
    if (!a.reached()) {
      log.audit("APPROVAL", d.by(), a.role(), what + " (" + a.count() + " of " + a.quorum() + " needed"
          + (a.missing().isEmpty() ? "" : "; still needs " + String.join(" and ", a.missing())) + ")" + comment);
      log.updateDetails();
      return taken(d, a.role()); // the role this approval counted in
    }
    p.answer = "approve";
    p.answerBy = String.join(" + ", a.open().approvalsSoFar());
    log.audit("APPROVAL", d.by(), a.role(), what + (a.quorum() > 1 ? " (quorum of " + a.quorum() + " reached"
        + (a.required().isEmpty() ? "" : ", " + String.join(" and ", a.required()) + " each approved") + ")" : "")
        + comment);
    return taken(d, role);
  }

  private DecisionAnswer answer(HumanDecision d, String answer, String role, String message) {
    r.progress.answer = answer;
    r.progress.answerBy = d.by();
    log.audit("APPROVAL", d.by(), role, message);
    return taken(d, role);
  }

  private DecisionAnswer pause(HumanDecision d, String role, String comment) {
    Progress p = r.progress;
    if (p.pausedBy != null) {
      return refuse(d, Refusal.NOT_NOW, "already paused by " + p.pausedBy);
    }
    p.pausedBy = d.by();
    p.pauseReason = "paused by " + d.by() + comment;
    log.audit("APPROVAL", d.by(), role, "paused at " + p.weight + " %" + comment);
    entered(ReleaseState.PAUSED, p.pauseReason);
    return taken(d, role);
  }

  private DecisionAnswer resume(HumanDecision d, String role, String comment) {
    Progress p = r.progress;
    if (p.pausedBy == null) {
      return refuse(d, Refusal.NOT_NOW, "the release is not paused");
    }
    p.pausedBy = null;
    p.pauseReason = null;
    log.audit("APPROVAL", d.by(), role, "resumed" + comment);
    entered(watchingState(), "resumed by " + d.by());
    return taken(d, role);
  }

  private DecisionAnswer requestRollback(HumanDecision d, String role, String comment) {
    Progress p = r.progress;
    if (p.triggeredAt == null) {
      p.triggeredAt = Workflow.currentTimeMillis();
    }
    p.rollback = RollbackRequest.over(p.rollback, d.by(), "manual rollback by " + d.by() + comment, null);
    log.audit("APPROVAL", d.by(), role, "requested rollback" + comment);
    return taken(d, role);
  }

  /** A person's break-glass rollback: the candidate to 0 % in one step; whatever was waiting for people is closed. */
  private DecisionAnswer breakGlass(HumanDecision d, String role, String comment) {
    DecisionAnswer taken = requestRollback(d, role, comment);
    Progress p = r.progress;
    String why = "break-glass rollback by " + d.by() + comment;
    p.rollback = new RollbackRequest(d.by(), why, why);
    log.audit("BREAK_GLASS", d.by(), role, "break-glass rollback at " + p.weight + " %: the candidate goes to 0 % in"
        + " one step, skipping the staged holds" + comment);
    return taken;
  }

  /** A state a person's pause or resume asked for. */
  record Entry(ReleaseState state, String reason) {}

  /**
   * A pause or resume asks the loop to enter its state when it next looks ({@link ReleaseRun}): handlers record, the
   * loop transitions. Releases before {@link Versions#LOOP_ENTERS_STATES} transitioned here, in the handler, and
   * still do on replay. The marker is asked by the loop at the run's start ({@link #loopEntersStates}), not here:
   * {@code getVersion} may yield, which would let the loop issue its commands before a handler's.
   */
  private void entered(ReleaseState state, String reason) {
    if (Boolean.FALSE.equals(loopEnters)) {
      log.transition(state, reason);
    } else {
      asked.add(new Entry(state, reason));
    }
  }

  /**
   * Asked once, first thing in a run: whether the loop enters the states people ask for. If not (a release before
   * the marker, on replay), what handlers that ran before the run's first task recorded is entered now, where they
   * entered it.
   */
  void loopEntersStates(boolean enters) {
    loopEnters = enters;
    if (!enters) {
      takeAsked().forEach(e -> log.transition(e.state(), e.reason()));
    }
  }

  /** The state as people see it: the last one they asked for, if the loop has not entered it yet. */
  ReleaseState stateNow() {
    return asked.isEmpty() ? r.progress.state : asked.get(asked.size() - 1).state();
  }

  /** Whether people asked for a state the loop has not entered yet. */
  boolean hasAsked() {
    return !asked.isEmpty();
  }

  /** The states people asked for since the loop last looked, oldest first; the loop enters each. */
  List<Entry> takeAsked() {
    List<Entry> taken = List.copyOf(asked);
    asked.clear();
    return taken;
  }

  /**
   * A decision that reaches the release while it validates (sent before the run's first workflow task, or while its
   * first stage is set) waits until the release has entered its first state, then is judged like any other.
   */
  void awaitStarted() {
    Progress p = r.progress;
    if (p.state == ReleaseState.VALIDATING && Versions.has(Versions.DECIDE_AFTER_VALIDATING)) {
      Workflow.await(() -> p.state != ReleaseState.VALIDATING);
    }
  }

  DecisionAnswer refuse(HumanDecision d, Refusal why, String reason) {
    log.refused(d.decision(), why, d.by(), d.role(), d.decision() + " refused: " + reason);
    log.count("ripcord_decisions_refused", Map.of("decision", d.decision()));
    return new DecisionAnswer(false, d.decision(), d.by(), d.role(), reason, stateNow());
  }
}
