package dev.ripcord.workflows.release;

import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.policy.Durations;
import dev.ripcord.workflows.policy.StageSpec;
import dev.ripcord.workflows.release.state.RollbackRequest;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The release state machine, as the README's diagram draws it. {@link #run} enters every state itself, one method
 * per state; the parts it calls judge and return {@link Next}, and the signal handlers only validate, record and wake
 * it ({@link Decisions#takeAsked}); it asks people through {@link Asking}. No I/O, clock, randomness or threads
 * here: only Temporal's APIs.
 */
final class ReleaseRun {
  private final Release r;
  private final StateLog log;
  private final Notifications notify;
  private final Traffic traffic;
  private final Windows windows;
  private final Decisions decisions;
  private final Asking asking;
  private final Validation validation;
  private final PlaybookRunner playbook;
  private final Watch watch;
  private final Rereleases rereleases;
  private final Rollover rollover;
  private final Evidence evidence;
  private final PauseNotice pauseNotice;
  private final Identity identity;
  /** The stage being watched: its bake and the evaluation interval, in millis. */
  private long bakeMillis;
  private long interval;

  ReleaseRun(Release r, StateLog log, Parts parts) {
    this.r = r;
    this.log = log;
    this.notify = parts.notifications();
    this.traffic = parts.traffic();
    this.windows = parts.windows();
    this.decisions = parts.decisions();
    this.asking = parts.asking();
    this.validation = parts.validation();
    this.playbook = parts.playbook();
    this.watch = parts.watch();
    this.rereleases = parts.rereleases();
    this.rollover = parts.rollover();
    this.evidence = parts.evidence();
    this.pauseNotice = parts.pauseNotice();
    this.identity = parts.identity();
  }

  /** The parts the loop hands work to; {@link ReleaseWorkflowImpl} builds them. */
  record Parts(Notifications notifications, Traffic traffic, Windows windows, Decisions decisions, Asking asking,
      Validation validation,
      PlaybookRunner playbook, Watch watch, Rereleases rereleases, Rollover rollover, Evidence evidence,
      PauseNotice pauseNotice, Identity identity) {}

  ReleaseReport run(ReleaseInput input) {
    Validation.requirePolicy(r.policy);
    decisions.loopEntersStates(Versions.has(Versions.LOOP_ENTERS_STATES));
    boolean resuming = input.carried() != null;
    if (!resuming) {
      validating(input);
    }
    try {
      if (rollingOut(resuming) instanceof Next.RollBack back) {
        rollingBack(back.request());
        verifying();
        rolledBack();
        evidence.write("trigger");
      } else {
        completed();
      }
    } catch (Traffic.Refused refused) {
      halted(refused);
    }
    closeIncident();
    if (r.progress.state == ReleaseState.ROLLED_BACK && r.policy.governance().right("rerelease") != null) {
      rereleases.await();
    }
    Workflow.await(Workflow::isEveryHandlerFinished);
    evidence.write("end");
    if (rereleases.accepted()) {
      rereleases.continueAsRerelease();
    }
    return StatusView.report(r);
  }

  // ------------------------------------------------------------------------------------------ before the first stage

  /** VALIDATING: who released it, whether it keeps a post-promotion watch, the policy and identity checks. */
  private void validating(ReleaseInput input) {
    // Under verified identity only a verified token says who started it (Identity.start), never a typed name; a
    // re-release carries the releaser its first run verified.
    boolean typed = identity.verifies() && input.rerelease() == null;
    r.progress.releasedBy = typed ? null : input.releasedBy();
    r.progress.arithmetic = Versions.pinnedArithmetic();
    r.progress.pages = input.pages();
    if (input.policy().evaluation().afterPromotion() != null && Versions.has(Versions.AFTER_PROMOTION)) {
      r.progress.watchesAfterPromotion = true;
    }
    if (input.rerelease() != null) {
      rereleases.startAfter(input.rerelease());
    }
    validation.run(input, input.rerelease() != null);
  }

  // ---------------------------------------------------------------------------------------------------- the stages

  /** Each stage in turn: set its weight, then watch it until it is promoted or must roll back. */
  private Next rollingOut(boolean resuming) {
    Progress p = r.progress;
    for (; p.stageIndex < r.stageCount(); p.stageIndex++) {
      StageSpec stage = r.stageAt(p.stageIndex);
      if (!resuming) {
        enterStage(stage);
      }
      resuming = false;
      if (watchStage(stage) instanceof Next.RollBack back) {
        return back;
      }
    }
    return Next.PROMOTE;
  }

  private void enterStage(StageSpec stage) {
    Progress p = r.progress;
    boolean shadow = stage.weight() == 0;
    if (traffic.mirrors() && shadow != traffic.mirroring()) {
      traffic.set(stage.weight(), "stage " + stage.name(), shadow); // weight and mirroring in one router call
    } else if (p.weight != stage.weight()) {
      traffic.set(stage.weight(), "stage " + stage.name());
    }
    p.bake.enterStage(Workflow.currentTimeMillis());
    if (r.inAfterPromotion()) {
      log.transition(ReleaseState.WATCHING_AFTER_PROMOTION, "every stage promoted; watching on for " + stage.bake()
          + " with the candidate at " + stage.weight() + " % and " + (100 - stage.weight()) + " % held out on the"
          + " baseline");
      return;
    }
    log.transition(shadow ? ReleaseState.SHADOW : ReleaseState.ROLLING_OUT, "stage " + (p.stageIndex + 1) + "/"
        + r.policy.stages().size() + " '" + stage.name() + "' at " + stage.weight() + " %, bake " + stage.bake()
        + (stage.minSamplesOrZero() > 0 ? ", min " + stage.minSamplesOrZero() + " samples" : ""));
  }

  /**
   * Watches one stage until it is promoted or must roll back: each pass settles what people decided, then runs the
   * method of the state the release is in, then enters the state that pass asked for.
   */
  private Next watchStage(StageSpec stage) {
    bakeMillis = Durations.parse(stage.bake()).toMillis();
    interval = Durations.parse(r.policy.evaluation().interval()).toMillis();
    r.progress.bake.startWatching(Workflow.currentTimeMillis());
    while (true) {
      enterWhatPeopleAsked();
      long now = Workflow.currentTimeMillis();
      Next next = settled(stage, now);
      if (next == Next.CONTINUE) {
        next = switch (r.progress.state) {
          case SHADOW, ROLLING_OUT -> watching(stage, now);
          case WATCHING_AFTER_PROMOTION -> watchingAfterPromotion(stage, now);
          case AWAITING_PROMOTION -> awaitingPromotion(stage, now);
          case AWAITING_ROLLBACK_APPROVAL -> awaitingRollbackApproval(stage, now);
          case PAUSED -> paused(stage, now);
          case PAUSED_FOR_INVESTIGATION -> pausedForInvestigation(stage, now);
          case FROZEN -> frozen(stage, now);
          case VALIDATING, ROLLING_BACK, VERIFYING, ROLLED_BACK, COMPLETED, HALTED ->
              throw new IllegalStateException("a stage is never watched in " + r.progress.state);
        };
      }
      if (enter(next).endsStage()) {
        return next;
      }
    }
  }

  /** SHADOW and ROLLING_OUT: the stage bakes; once baked on enough evidence it is promoted, or promotion is asked. */
  private Next watching(StageSpec stage, long now) {
    Progress p = r.progress;
    if (p.bake.baked(bakeMillis, stage.minSamplesOrZero()) && !p.hold.held() && p.waitingFor == null
        && watch.enoughEvidence(stage)) {
      return !stage.needsApproval() ? Next.PROMOTE : new Next.AskPeople("promote", "stage '" + stage.name()
          + "' baked " + Durations.format(Duration.ofMillis(p.bake.bakedMillis())) + " with "
          + p.bake.stageSamples() + " samples; promote?", List.of(), ReleaseState.AWAITING_PROMOTION);
    }
    return watchOn(stage, now);
  }

  /** WATCHING_AFTER_PROMOTION: the holdout bakes like a stage; when its watch is over the release completes. */
  private Next watchingAfterPromotion(StageSpec stage, long now) {
    return watching(stage, now);
  }

  /** AWAITING_PROMOTION: the stage's promotion is open; approval promotes, rejection or its deadline roll back. */
  private Next awaitingPromotion(StageSpec stage, long now) {
    return watchOn(stage, now);
  }

  /** AWAITING_ROLLBACK_APPROVAL: a criterion asked for a rollback; approval rolls back, rejection watches on. */
  private Next awaitingRollbackApproval(StageSpec stage, long now) {
    return watchOn(stage, now);
  }

  /** PAUSED: a person holds exposure; the bake clock stops, criteria are still watched; resuming watches on. */
  private Next paused(StageSpec stage, long now) {
    return watchOn(stage, now);
  }

  /** PAUSED_FOR_INVESTIGATION: investigators decide (continue, rollback, hold) on the open 'resume' decision. */
  private Next pausedForInvestigation(StageSpec stage, long now) {
    return watchOn(stage, now);
  }

  /** FROZEN: past the point of no return; people decide the rollback, no deadline decides for them. */
  private Next frozen(StageSpec stage, long now) {
    return watchOn(stage, now);
  }

  /**
   * The start of every pass: a rollback someone asked for ends the stage; then the open decision, if a person
   * answered or its deadline passed. A settled decision that asks again, freezes or watches on is entered here and
   * the pass goes on, as releases always have.
   */
  private Next settled(StageSpec stage, long now) {
    Progress p = r.progress;
    p.bake.tick(now, p.hold.held());
    if (p.rollbackAsked()) {
      return new Next.RollBack(p.rollback);
    }
    Next settled = asking.settle(now);
    if (settled instanceof Next.WatchOn) {
      enter(settled);
      return promotesOnAnyDecision(stage) ? Next.PROMOTE : Next.CONTINUE;
    }
    return settled.endsStage() ? settled : enter(settled);
  }

  /**
   * Whether a decision that let the release watch on (a refused rollback, a closed investigation) promotes a stage
   * gated by a promotion approval, as it did in releases before {@link Versions#PROMOTE_ONLY_WHEN_APPROVED}. Asked
   * only then, so histories without that case do not change.
   */
  private boolean promotesOnAnyDecision(StageSpec stage) {
    return stage.needsApproval() && !Versions.has(Versions.PROMOTE_ONLY_WHEN_APPROVED);
  }

  /** Enters the state {@code next} asks for (waiting for people, frozen, back to watching); the rest pass through. */
  private Next enter(Next next) {
    if (next instanceof Next.AskPeople ask) {
      asking.ask(ask.right(), ask.reason(), ask.criteria(), ask.state());
    } else if (next instanceof Next.Freeze freeze) {
      asking.freeze(freeze.why(), freeze.criteria());
    } else if (next instanceof Next.WatchOn on) {
      log.transition(asking.watchingState(), on.why());
    } else {
      if (next instanceof Next.RollBack back) {
        r.progress.rollback = back.request();
      }
      return next;
    }
    return Next.CONTINUE;
  }

  /** Enters the states people's pauses and resumes asked for since the loop last looked. */
  private void enterWhatPeopleAsked() {
    for (Decisions.Entry e : decisions.takeAsked()) {
      log.transition(e.state(), e.reason());
    }
  }

  /** The rest of every pass: continue as new when due, wait, and act on what woke the release. */
  private Next watchOn(StageSpec stage, long now) {
    Progress p = r.progress;
    if (rollover.due(watch.windowsThisRun()) && p.inbox.empty() && !playbook.started()) {
      enterWhatPeopleAsked();
      rollover.continueAsNew(watch.windowsThisRun());
    }
    awaitNext(now, stage);
    return handleWhatWoke(stage);
  }

  /** Sleeps until the next window or deadline, or until a person, a push or an alert wakes the release. */
  private void awaitNext(long now, StageSpec stage) {
    Progress p = r.progress;
    long wait = p.bake.nextWait(now, interval, bakeMillis, stage.minSamplesOrZero(),
        !p.hold.held() && p.waitingFor == null && !watch.waitingForEvidence());
    if (p.waitingFor != null && p.waitingFor.deadline() != null) {
      wait = Math.min(wait, Instant.parse(p.waitingFor.deadline()).toEpochMilli() - now);
    }
    long escalation = asking.nextEscalationAt();
    if (escalation > 0) {
      wait = Math.min(wait, escalation - now);
    }
    // Wakes on a new answer or pause object (not equal content), as releases always have: replays depend on it.
    String answerBefore = p.answer.given();
    String pausedBefore = p.hold.by();
    Workflow.await(Duration.ofMillis(Math.max(wait, 0)), () -> p.rollbackAsked() || !p.inbox.empty()
        || p.answer.given() != answerBefore || p.hold.by() != pausedBefore || decisions.hasAsked());
    enterWhatPeopleAsked();
    pauseNotice.tell(p.hold.by() != pausedBefore);
  }

  /** Acts on an alert, a pushed observation or a due window, in that order. */
  private Next handleWhatWoke(StageSpec stage) {
    Progress p = r.progress;
    if (p.inbox.hasAlert()) {
      return watch.onAlert(p.inbox.takeAlert());
    }
    if (p.inbox.hasPushed()) {
      p.bake.pushed();
      return watch.evaluate(p.inbox.takePushed());
    }
    long now = Workflow.currentTimeMillis();
    if (p.bake.windowDue(now, interval)) {
      Observation o = windows.read(stage, p.bake.windowStartedAt(), now);
      boolean pushedAny = p.bake.closeWindow(now);
      if (o != null || !pushedAny) {
        return watch.evaluate(o == null ? Observation.empty(Release.iso(now), stage.name(), "pushed: none this window")
            : o);
      }
    }
    return Next.CONTINUE;
  }

  // ---------------------------------------------------------------------------------------------- after the stages

  private void completed() {
    Progress p = r.progress;
    if (Boolean.TRUE.equals(p.watchesAfterPromotion) && p.weight < 100) {
      traffic.set(100, "post-promotion watch over: the holdout is released");
    }
    log.transition(ReleaseState.COMPLETED, "all " + r.policy.stages().size() + " stages promoted; candidate at "
        + p.weight + " %");
    notify.send("completed", "Release " + r.releaseId + " completed: " + r.policy.release().candidate() + " at "
        + p.weight + " %", Map.of());
  }

  /** ROLLING_BACK (see {@link Traffic#rollBack}), closing whatever waited for people first. */
  private void rollingBack(RollbackRequest request) {
    asking.closeUnanswered();
    log.transition(ReleaseState.ROLLING_BACK, request.reason() + (r.neverExposed() ? " (" + Release.NEVER_EXPOSED
        + ")" : " (candidate at " + r.progress.weight + " %)"));
    playbook.start(request.reason());
    traffic.rollBack(r.policy.rollback().steps());
  }

  private void verifying() {
    log.transition(ReleaseState.VERIFYING, "checking the router reports the candidate at 0 %");
    traffic.verify(0);
  }

  private void rolledBack() {
    Progress p = r.progress;
    p.moments.mitigated(Workflow.currentTimeMillis());
    long ttm = p.moments.toMitigate() == null ? 0 : p.moments.toMitigate();
    Workflow.getMetricsScope().counter("ripcord_rollbacks").inc(1);
    Workflow.getMetricsScope().timer("ripcord_time_to_mitigate").record(com.uber.m3.util.Duration.ofMillis(ttm));
    String after = Durations.format(Duration.ofMillis(ttm)) + " after the trigger";
    log.transition(ReleaseState.ROLLED_BACK, r.policy.router().isExternal()
        ? "the external controller is told to roll back (its rollback webhook answers 200), " + after + "; baseline "
            + r.policy.release().baseline() + " serves all traffic"
        : r.neverExposed() ? Release.NEVER_EXPOSED + ", " + after + "; baseline " + r.policy.release().baseline()
            + " served all traffic throughout"
        : "candidate at 0 %, " + after + "; baseline " + r.policy.release().baseline() + " serves all traffic");
    notify.send("rolled-back", "Release " + r.releaseId + (r.neverExposed() && !r.policy.router().isExternal()
        ? " rejected in its shadow stage before exposure: " : " rolled back: ") + p.rollbackReason(), Map.of());
  }

  /** HALTED: the router refused a change retrying cannot make; stop, and say where traffic is. */
  private void halted(Traffic.Refused refused) {
    Progress p = r.progress;
    p.waitingFor = null;
    p.weight = refused.confirmedWeight;
    log.count("ripcord_router_refused", Map.of("model", r.policy.release().model()));
    log.transition(ReleaseState.HALTED, refused.getMessage() + "; candidate at " + p.weight + " % as the router last"
        + " confirmed; people must set traffic");
  }

  /** The notifications sent while acting, and the playbook, finish before the release closes or re-releases. */
  private void closeIncident() {
    watch.awaitNotifications();
    playbook.finish();
  }
}
