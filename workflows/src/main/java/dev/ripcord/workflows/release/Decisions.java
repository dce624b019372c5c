package dev.ripcord.workflows.release;

import dev.ripcord.workflows.approval.DecisionKind;
import dev.ripcord.workflows.approval.DecisionRights;
import dev.ripcord.workflows.approval.Gates;
import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.release.StateLog.Refusal;
import dev.ripcord.workflows.release.state.RollbackRequest;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What people send a release, judged: signals and the update alike, through {@link #decide}: first who sent it, then
 * whether they may, then what it does (an answer to the open decision, a pause or resume the loop enters, a rollback
 * request). Handlers record; the loop acts. Asking people and settling what is open is {@link Asking}'s; the rules
 * (quorum, rights) are in the pure {@link Gates} and {@link DecisionRights}.
 */
final class Decisions {
  private final Release r;
  private final StateLog log;
  private final Asking asking;
  private final Identity identity;
  /** What people asked the loop to enter (run-local: the loop takes it before it could continue as new). */
  private final List<Entry> asked = new ArrayList<>();
  /** Whether the loop enters what people ask ({@link Versions#LOOP_ENTERS_STATES}); null until the run asks. */
  private Boolean loopEnters;

  Decisions(Release r, StateLog log, Asking asking, Identity identity) {
    this.r = r;
    this.log = log;
    this.asking = asking;
    this.identity = identity;
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
    DecisionAnswer a = ruleOn(sent.as(who.by()));
    if (a.accepted()) {
      identity.spend(who, sent.decision());
    }
    return a;
  }

  private DecisionAnswer ruleOn(HumanDecision d) {
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
      case "rollback" -> requestRollback(d, check.role(), comment);
      // A kind added to DecisionKind whose effect is not written here yet does nothing, said so; never a rollback.
      default -> refuse(d, Refusal.NOT_APPLICABLE, "this release has no effect for '" + kind + "' yet");
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
    p.answer.give("approve", String.join(" + ", a.open().approvalsSoFar()));
    log.audit("APPROVAL", d.by(), a.role(), what + (a.quorum() > 1 ? " (quorum of " + a.quorum() + " reached"
        + (a.required().isEmpty() ? "" : ", " + String.join(" and ", a.required()) + " each approved") + ")" : "")
        + comment);
    return taken(d, role);
  }

  private DecisionAnswer answer(HumanDecision d, String answer, String role, String message) {
    r.progress.answer.give(answer, d.by());
    log.audit("APPROVAL", d.by(), role, message);
    return taken(d, role);
  }

  private DecisionAnswer pause(HumanDecision d, String role, String comment) {
    Progress p = r.progress;
    if (p.hold.held()) {
      return refuse(d, Refusal.NOT_NOW, "already paused by " + p.hold.by());
    }
    p.hold.pause(d.by(), "paused by " + d.by() + comment);
    log.audit("APPROVAL", d.by(), role, "paused at " + p.weight + " %" + comment);
    entered(ReleaseState.PAUSED, p.hold.reason());
    return taken(d, role);
  }

  private DecisionAnswer resume(HumanDecision d, String role, String comment) {
    Progress p = r.progress;
    if (!p.hold.held()) {
      return refuse(d, Refusal.NOT_NOW, "the release is not paused");
    }
    p.hold.resume();
    log.audit("APPROVAL", d.by(), role, "resumed" + comment);
    entered(asking.watchingState(), "resumed by " + d.by());
    return taken(d, role);
  }

  private DecisionAnswer requestRollback(HumanDecision d, String role, String comment) {
    Progress p = r.progress;
    p.moments.triggered(Workflow.currentTimeMillis());
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
