package dev.ripcord.workflows.release;


import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.decision.WindowVerdict;
import dev.ripcord.workflows.intake.SignalPayloads;
import io.temporal.common.converter.RawValue;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * One release of a candidate version. The names of signals, queries and the update are part of the product: people
 * type them into the Temporal UI. Signal payloads are taken raw ({@link RawValue}) and read by the workflow itself
 * ({@link SignalPayloads}), so that whatever a sender sends (other encodings, duplicate keys, oversized or deeply
 * nested JSON) is recorded and, if malformed, refused in the audit log rather than dropped by the SDK. Clients send
 * JSON: {@code SignalPayloads.json(node)}, or any client's JSON input. A signal with another name is refused and
 * audited too.
 */
@WorkflowInterface
public interface ReleaseWorkflow {
  String TYPE = "Release";
  String TASK_QUEUE = "ripcord";

  @WorkflowMethod(name = TYPE)
  ReleaseReport run(ReleaseInput input);

  /** Approve what the release waits for (a rollback, a promotion, resuming after an investigation). */
  @SignalMethod(name = "approve")
  void approve(RawValue payload);

  /** Reject what the release waits for. */
  @SignalMethod(name = "reject")
  void reject(RawValue payload);

  /** Hold exposure where it is: no promotion until resumed (criteria are still watched). */
  @SignalMethod(name = "pause")
  void pause(RawValue payload);

  @SignalMethod(name = "resume")
  void resume(RawValue payload);

  /** Roll back now, from any exposed state. */
  @SignalMethod(name = "rollback")
  void rollback(RawValue payload);

  /**
   * The outcome of an investigation after a pause-and-investigate trigger:
   * {@code {"by": ..., "outcome": "continue|rollback|hold", "comment": ...}}; needs the {@code resume} right.
   */
  @SignalMethod(name = "investigate")
  void investigate(RawValue payload);

  /** Pushed observations: one evaluation window in the backtest line format. */
  @SignalMethod(name = "observe")
  void observe(RawValue observation);

  /**
   * An alert pushed by Alertmanager through the worker's ingress:
   * {@code {"alertname": ..., "status": "firing|resolved", "summary": ..., "fingerprint": ..., "startsAt": ...}}.
   * The policy's {@code observations.alerts} says what a firing alert does.
   */
  @SignalMethod(name = "alert")
  void alert(RawValue alert);

  /**
   * Closes an open human step of the playbook: {@code {"by": ..., "step": ..., "comment": ...}}, from one of the
   * step's owners (or, once it is overdue, its escalation roles).
   */
  @SignalMethod(name = "acknowledge")
  void acknowledge(RawValue payload);

  /**
   * After a rollback: roll the fixed version out again on the same release id (continue-as-new, linked to the
   * rolled-back run): {@code {"by": ..., "candidate": "v3", "evalReport": "eval-19", "comment": ...}}, optionally
   * with {@code "policy"}: a revised policy (same model, baseline and router). Needs the {@code rerelease} right.
   */
  @SignalMethod(name = "rerelease")
  void rerelease(RawValue payload);

  @QueryMethod(name = "status")
  ReleaseStatus status();

  @QueryMethod(name = "audit")
  List<AuditEntry> audit();

  /** The release's report as it would end now: state, times, router changes, audit, playbook (evidence bundles). */
  @QueryMethod(name = "report")
  ReleaseReport report();

  /** The most recent decisions (up to 50), newest last. */
  @QueryMethod(name = "decisions")
  List<WindowVerdict> decisions();

  /** The same decisions as the signals, for callers that need an answer (the CLI). */
  @UpdateMethod(name = "decide")
  DecisionAnswer decide(HumanDecision decision);

  @UpdateValidatorMethod(updateName = "decide")
  void validateDecide(HumanDecision decision);

  /** The {@code rerelease} signal for callers that need an answer (the CLI). */
  @UpdateMethod(name = "request-rerelease")
  DecisionAnswer requestRerelease(dev.ripcord.workflows.approval.RereleaseRequest request);

  @UpdateValidatorMethod(updateName = "request-rerelease")
  void validateRequestRerelease(dev.ripcord.workflows.approval.RereleaseRequest request);
}
