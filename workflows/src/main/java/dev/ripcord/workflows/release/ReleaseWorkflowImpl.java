package dev.ripcord.workflows.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ripcord.workflows.approval.DecisionKind;
import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.approval.HumanDecisions;
import dev.ripcord.workflows.approval.RereleaseRequest;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.decision.CriteriaEngine;
import dev.ripcord.workflows.decision.VerdictEngine;
import dev.ripcord.workflows.decision.WindowVerdict;
import dev.ripcord.workflows.intake.SignalPayloads;
import dev.ripcord.workflows.policy.PolicyLoader;
import io.temporal.common.converter.RawValue;
import io.temporal.workflow.DynamicSignalHandler;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.util.List;

/**
 * The release workflow as Temporal sees it: the parts a release is made of, its signal, update and query handlers,
 * and {@link #run}, which hands the state machine to {@link ReleaseRun}. Handlers only read, check, record and wake
 * the loop, through {@link Intake} (payloads), {@link Decisions} (people's decisions), {@link PlaybookRunner} and
 * {@link Rereleases}; every part writes through {@link StateLog} into one {@link Progress}. No I/O, clock, randomness
 * or threads here: only Temporal's APIs.
 */
public class ReleaseWorkflowImpl implements ReleaseWorkflow {
  private final VerdictEngine engine = new CriteriaEngine();
  private final Release r = new Release();
  private final StateLog log = new StateLog(r);
  private final Notifications notify = new Notifications(r, log);
  private final Traffic traffic = new Traffic(r, log, notify);
  private final Windows windows = new Windows(r, log);
  private final Identity identity = new Identity(r, log);
  private final Asking asking = new Asking(r, log, notify, traffic, engine);
  private final Decisions decisions = new Decisions(r, log, asking, identity);
  private final Validation validation = new Validation(r, log, engine, identity);
  private final PlaybookRunner playbook = new PlaybookRunner(r, log, notify, windows, engine);
  private final Acknowledgements acknowledgements = new Acknowledgements(r, log, identity, playbook);
  private final Watch watch = new Watch(r, log, notify, traffic, asking, playbook, engine);
  private final Rereleases rereleases = new Rereleases(r, log, notify, decisions, identity);
  private final Rollover rollover = new Rollover(r, log);
  private final Intake intake = new Intake(r, log);
  private final Evidence evidence = new Evidence(r, log, notify);
  private final PauseNotice pauseNotice = new PauseNotice(r, notify);
  private final int generation;

  /**
   * Sets up what the handlers read (policy, release id, carried progress) before any runs: signals and updates sent
   * before the run's first workflow task reach them right after this, before {@link #run}. Issues no command.
   */
  @WorkflowInit
  public ReleaseWorkflowImpl(ReleaseInput input) {
    this(input, Versions.GENERATION);
  }

  /**
   * A release run by a build of generation {@code generation} ({@link Versions#GENERATION} in this build; tests
   * pass a lower one to play an older build).
   */
  protected ReleaseWorkflowImpl(ReleaseInput input, int generation) {
    this.generation = generation;
    r.policy = input.policy();
    // The release's own hash of the policy it runs, not the one its starter says: a client can be wrong, or lie.
    r.policyHash = r.policy == null ? input.policyHash() : PolicyLoader.hash(r.policy);
    r.releaseId = Workflow.getInfo().getWorkflowId();
    if (input.carried() != null && r.policy != null) {
      rollover.restore(input.carried());
    }
    pauseNotice.carried();
    Workflow.registerListener((DynamicSignalHandler) this::onOtherSignal);
  }

  @Override
  public ReleaseReport run(ReleaseInput input) {
    Versions.buildGeneration(generation);
    return new ReleaseRun(r, log, new ReleaseRun.Parts(notify, traffic, windows, decisions, asking, validation,
        playbook, watch, rereleases, rollover, evidence, pauseNotice, identity)).run(input);
  }

  // ------------------------------------------------------------------------------------------------- the handlers

  /**
   * A signal no typed handler takes: a decision kind of {@link DecisionKind} without its own method (a kind added
   * since, which needs none), or a name the release does not take, refused.
   */
  private void onOtherSignal(String name, io.temporal.common.converter.EncodedValues args) {
    if (DecisionKind.of(name) != null) {
      onDecisionSignal(name, Intake.rawOf(args));
    } else {
      intake.unknown(name, args);
    }
  }

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
      acknowledgements.acknowledge(payload, SignalPayloads.describe(raw));
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
    return StatusView.status(r, decisions.stateNow());
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
  public List<WindowVerdict> decisions() {
    return List.copyOf(r.recentDecisions);
  }
}
