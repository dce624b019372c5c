package dev.ripcord.workflows.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.approval.HumanDecisions;
import dev.ripcord.workflows.approval.RereleaseRequest;
import dev.ripcord.workflows.decision.CriteriaEngine;
import dev.ripcord.workflows.decision.Decision;
import dev.ripcord.workflows.decision.DecisionEngine;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.policy.Durations;
import dev.ripcord.workflows.policy.StageSpec;
import io.temporal.common.converter.RawValue;
import io.temporal.workflow.DynamicSignalHandler;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The release state machine, as DESIGN.md draws it: validate; for each stage set the weight and bake (shadow or
 * rolling out, awaiting promotion, paused, investigating, awaiting rollback approval); then complete, or roll back in
 * staged, verified steps and verify; then close the incident and wait for a re-release. Handlers only read, check,
 * record and hand over to the parts: {@link Decisions} (the gates), {@link Watch} (verdicts into actions),
 * {@link Traffic}, {@link PlaybookRunner}, {@link Rereleases}, {@link Rollover}, {@link Intake}, all writing through
 * {@link StateLog} into one {@link Progress}. No I/O, clock, randomness or threads here: only Temporal's APIs.
 */
public class ReleaseWorkflowImpl implements ReleaseWorkflow {
  private final DecisionEngine engine = new CriteriaEngine();
  private final Release r = new Release();
  private final StateLog log = new StateLog(r);
  private final Notifications notify = new Notifications(r, log);
  private final Traffic traffic = new Traffic(r, log, notify);
  private final Windows windows = new Windows(r, log);
  private final Identity identity = new Identity(r, log);
  private final Decisions decisions = new Decisions(r, log, notify, traffic, engine, identity);
  private final Validation validation = new Validation(r, log, engine, identity);
  private final PlaybookRunner playbook = new PlaybookRunner(r, log, notify, windows, engine);
  private final Watch watch = new Watch(r, log, notify, traffic, decisions, playbook, engine);
  private final Rereleases rereleases = new Rereleases(r, log, notify, decisions, identity);
  private final Rollover rollover = new Rollover(r, log);
  private final Intake intake = new Intake(r, log);
  private final Evidence evidence = new Evidence(r, log, notify);
  private final PauseNotice pauseNotice = new PauseNotice(r, notify);

  /**
   * Sets up what the handlers read (policy, release id, carried progress) before any runs: signals and updates sent
   * before the run's first workflow task reach them right after this, before {@link #run}. Issues no command.
   */
  @WorkflowInit
  public ReleaseWorkflowImpl(ReleaseInput input) {
    r.policy = input.policy();
    r.policyHash = input.policyHash();
    r.releaseId = Workflow.getInfo().getWorkflowId();
    if (input.carried() != null && r.policy != null) {
      rollover.restore(input.carried());
    }
    pauseNotice.carried();
    Workflow.registerListener((DynamicSignalHandler) intake::unknown);
  }

  @Override
  public ReleaseReport run(ReleaseInput input) {
    Validation.requirePolicy(r.policy);
    boolean resuming = input.carried() != null;
    if (!resuming) {
      // Under verified identity only a verified token says who started it (Identity.start), never a typed name; a
      // re-release carries the releaser its first run verified.
      boolean typed = identity.verifies() && input.rerelease() == null;
      r.progress.releasedBy = typed ? null : input.releasedBy();
      if (input.policy().evaluation().afterPromotion() != null && Versions.has(Versions.AFTER_PROMOTION)) {
        r.progress.watchesAfterPromotion = true;
      }
      if (input.rerelease() != null) {
        rereleases.startAfter(input.rerelease());
      }
      validation.run(input, input.rerelease() != null);
    }
    try {
      if (rollingOut(resuming)) {
        completed();
      } else {
        rollingBack();
        verifying();
        rolledBack();
        evidence.write("trigger");
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

  // ---------------------------------------------------------------------------------------------------- the states

  /** Each stage in turn: set its weight, then bake it. True when every stage was promoted. */
  private boolean rollingOut(boolean resuming) {
    Progress p = r.progress;
    for (; p.stageIndex < r.stageCount(); p.stageIndex++) {
      StageSpec stage = r.stageAt(p.stageIndex);
      if (!resuming) {
        enterStage(stage);
      }
      resuming = false;
      if (!baking(stage)) {
        return false;
      }
    }
    return true;
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
    log.transition(stage.weight() == 0 ? ReleaseState.SHADOW : ReleaseState.ROLLING_OUT,
        "stage " + (p.stageIndex + 1) + "/" + r.policy.stages().size() + " '" + stage.name() + "' at "
            + stage.weight() + " %, bake " + stage.bake() + (stage.minSamplesOrZero() > 0 ? ", min "
            + stage.minSamplesOrZero() + " samples" : ""));
  }

  /**
   * Watches one stage until it may be promoted (true) or must roll back (false). Each pass settles what people
   * decided, asks for promotion once baked, and waits for the next window, a pushed observation, an alert, a
   * person's decision or a deadline, whichever comes first.
   */
  private boolean baking(StageSpec stage) {
    Progress p = r.progress;
    long bakeMillis = Durations.parse(stage.bake()).toMillis();
    long interval = Durations.parse(r.policy.evaluation().interval()).toMillis();
    p.bake.startWatching(Workflow.currentTimeMillis());
    while (true) {
      long now = Workflow.currentTimeMillis();
      p.bake.tick(now, p.pausedBy != null);
      if (p.rollbackRequestedBy != null) {
        return false;
      }
      Decisions.Next settled = decisions.settle(now);
      if (settled == Decisions.Next.ROLL_BACK) {
        return false;
      }
      if (settled == Decisions.Next.PROMOTE || settled == Decisions.Next.WATCH_ON && promotesOnAnyDecision(stage)) {
        return true;
      }
      if (p.bake.baked(bakeMillis, stage.minSamplesOrZero()) && p.pausedBy == null && p.waitingFor == null
          && watch.enoughEvidence(stage)) {
        if (!stage.needsApproval()) {
          return true;
        }
        decisions.ask("promote", "stage '" + stage.name() + "' baked "
            + Durations.format(Duration.ofMillis(p.bake.bakedMillis())) + " with " + p.bake.stageSamples()
            + " samples; promote?", List.of(), ReleaseState.AWAITING_PROMOTION);
        continue;
      }
      if (rollover.due(watch.windowsThisRun()) && p.pushed.isEmpty() && p.alerts.isEmpty() && !playbook.started()) {
        rollover.continueAsNew(watch.windowsThisRun());
      }
      awaitNext(now, interval, bakeMillis, stage);
      if (!handleWhatWoke(stage, interval)) {
        return false;
      }
    }
  }

  /**
   * Whether a decision that let the release watch on (a refused rollback, a closed investigation) promotes a stage
   * gated by a promotion approval, as it did in releases before {@link Versions#PROMOTE_ONLY_WHEN_APPROVED}. Asked
   * only then, so histories without that case do not change.
   */
  private boolean promotesOnAnyDecision(StageSpec stage) {
    return stage.needsApproval() && !Versions.has(Versions.PROMOTE_ONLY_WHEN_APPROVED);
  }

  /** Sleeps until the next window or deadline, or until a person, a push or an alert wakes the release. */
  private void awaitNext(long now, long interval, long bakeMillis, StageSpec stage) {
    Progress p = r.progress;
    long wait = p.bake.nextWait(now, interval, bakeMillis, stage.minSamplesOrZero(),
        p.pausedBy == null && p.waitingFor == null && !watch.waitingForEvidence());
    if (p.waitingFor != null && p.waitingFor.deadline() != null) {
      wait = Math.min(wait, Instant.parse(p.waitingFor.deadline()).toEpochMilli() - now);
    }
    long escalation = decisions.nextEscalationAt();
    if (escalation > 0) {
      wait = Math.min(wait, escalation - now);
    }
    // Wakes on a new answer or pause object (not equal content), as releases always have: replays depend on it.
    String answerBefore = p.answer;
    String pausedBefore = p.pausedBy;
    Workflow.await(Duration.ofMillis(Math.max(wait, 0)), () -> p.rollbackRequestedBy != null || !p.pushed.isEmpty()
        || !p.alerts.isEmpty() || p.answer != answerBefore || p.pausedBy != pausedBefore);
    pauseNotice.tell(p.pausedBy != pausedBefore);
  }

  /** Acts on an alert, a pushed observation or a due window, in that order; false when the release must roll back. */
  private boolean handleWhatWoke(StageSpec stage, long interval) {
    Progress p = r.progress;
    if (!p.alerts.isEmpty()) {
      return watch.onAlert(p.alerts.remove(0));
    }
    if (!p.pushed.isEmpty()) {
      p.bake.pushed();
      return watch.evaluate(p.pushed.remove(0));
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
    return true;
  }

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

  /** Rolls traffic back (see {@link Traffic#rollBack}), closing whatever waited for people first. */
  private void rollingBack() {
    Progress p = r.progress;
    decisions.closeUnanswered();
    log.transition(ReleaseState.ROLLING_BACK, p.rollbackReason + " (candidate at " + p.weight + " %)");
    playbook.start(p.rollbackReason);
    traffic.rollBack(r.policy.rollback().steps());
  }

  private void verifying() {
    log.transition(ReleaseState.VERIFYING, "checking the router reports the candidate at 0 %");
    traffic.verify(0);
  }

  private void rolledBack() {
    Progress p = r.progress;
    p.mitigatedAt = Workflow.currentTimeMillis();
    long ttm = p.triggeredAt == null ? 0 : p.mitigatedAt - p.triggeredAt;
    Workflow.getMetricsScope().counter("ripcord_rollbacks").inc(1);
    Workflow.getMetricsScope().timer("ripcord_time_to_mitigate").record(com.uber.m3.util.Duration.ofMillis(ttm));
    log.transition(ReleaseState.ROLLED_BACK, (r.policy.router().isExternal()
        ? "the external controller is told to roll back (its rollback webhook answers 200), "
        : "candidate at 0 %, ") + Durations.format(Duration.ofMillis(ttm)) + " after the trigger; baseline "
        + r.policy.release().baseline() + " serves all traffic");
    notify.send("rolled-back", "Release " + r.releaseId + " rolled back: " + p.rollbackReason, Map.of());
  }

  /** The router refused a change retrying cannot make: stop, and say where traffic is. */
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

  // ------------------------------------------------------------------------------------------------- the handlers

  private void onDecisionSignal(String kind, RawValue raw) {
    HumanDecision d = intake.decision(kind, raw);
    if (d != null) {
      decisions.decide(d);
    }
  }

  @Override
  public void approve(RawValue payload) {
    onDecisionSignal("approve", payload);
  }

  @Override
  public void reject(RawValue payload) {
    onDecisionSignal("reject", payload);
  }

  @Override
  public void pause(RawValue payload) {
    onDecisionSignal("pause", payload);
  }

  @Override
  public void resume(RawValue payload) {
    onDecisionSignal("resume", payload);
  }

  @Override
  public void rollback(RawValue payload) {
    onDecisionSignal("rollback", payload);
  }

  @Override
  public void investigate(RawValue payload) {
    onDecisionSignal("investigate", payload);
  }

  @Override
  public void alert(RawValue raw) {
    intake.alert(raw);
  }

  @Override
  public void observe(RawValue raw) {
    intake.observe(raw);
  }

  @Override
  public void acknowledge(RawValue raw) {
    JsonNode payload = intake.payloadOf("acknowledge", raw, null);
    if (payload != null) {
      playbook.acknowledge(payload, SignalPayloads.describe(raw));
    }
  }

  @Override
  public void rerelease(RawValue raw) {
    RereleaseRequest q = intake.rerelease(raw);
    if (q != null) {
      rereleases.decide(q);
    }
  }

  @Override
  public DecisionAnswer decide(HumanDecision decision) {
    return decisions.decide(decision);
  }

  @Override
  public void validateDecide(HumanDecision decision) {
    Intake.refuseUpdate(HumanDecisions.check(decision));
  }

  @Override
  public DecisionAnswer requestRerelease(RereleaseRequest request) {
    return rereleases.decide(request);
  }

  @Override
  public void validateRequestRerelease(RereleaseRequest request) {
    Intake.refuseUpdate(RereleaseRequest.check(request));
  }

  @Override
  public ReleaseStatus status() {
    return StatusView.status(r);
  }

  @Override
  public List<AuditEntry> audit() {
    return List.copyOf(r.progress.audit);
  }

  @Override
  public ReleaseReport report() {
    return StatusView.report(r);
  }

  @Override
  public List<Decision> decisions() {
    return List.copyOf(r.recentDecisions);
  }
}
