package dev.ripcord.it;


import com.fasterxml.jackson.databind.JsonNode;
import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.approval.RereleaseRequest;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.decision.WindowVerdict;
import dev.ripcord.workflows.release.DecisionAnswer;
import dev.ripcord.workflows.release.ReleaseInput;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseStatus;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.release.ReleaseWorkflowImpl;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.util.List;

/**
 * A careless change to the Release workflow: a warm-up timer before anything else, without
 * {@code Workflow.getVersion}. Every existing history must fail to replay against it.
 */
public class TimerFirstReleaseWorkflow implements ReleaseWorkflow {
  private final ReleaseWorkflowImpl delegate;

  @WorkflowInit
  public TimerFirstReleaseWorkflow(ReleaseInput input) {
    delegate = new ReleaseWorkflowImpl(input);
  }

  @Override
  public ReleaseReport run(ReleaseInput input) {
    Workflow.sleep(Duration.ofSeconds(30));
    return delegate.run(input);
  }

  @Override public void approve(io.temporal.common.converter.RawValue p) { delegate.approve(p); }
  @Override public void reject(io.temporal.common.converter.RawValue p) { delegate.reject(p); }
  @Override public void pause(io.temporal.common.converter.RawValue p) { delegate.pause(p); }
  @Override public void resume(io.temporal.common.converter.RawValue p) { delegate.resume(p); }
  @Override public void rollback(io.temporal.common.converter.RawValue p) { delegate.rollback(p); }
  @Override public void investigate(io.temporal.common.converter.RawValue p) { delegate.investigate(p); }
  @Override public void observe(io.temporal.common.converter.RawValue p) { delegate.observe(p); }
  @Override public void alert(io.temporal.common.converter.RawValue p) { delegate.alert(p); }
  @Override public void acknowledge(io.temporal.common.converter.RawValue p) { delegate.acknowledge(p); }
  @Override public ReleaseStatus status() { return delegate.status(); }
  @Override public List<AuditEntry> audit() { return delegate.audit(); }
  @Override public dev.ripcord.workflows.release.ReleaseReport report() { return delegate.report(); }
  @Override public List<WindowVerdict> decisions() { return delegate.decisions(); }
  @Override public DecisionAnswer decide(HumanDecision d) { return delegate.decide(d); }
  @Override public void validateDecide(HumanDecision d) { delegate.validateDecide(d); }
  @Override public void rerelease(io.temporal.common.converter.RawValue p) { delegate.rerelease(p); }
  @Override public DecisionAnswer requestRerelease(RereleaseRequest r) { return delegate.requestRerelease(r); }
  @Override public void validateRequestRerelease(RereleaseRequest r) { delegate.validateRequestRerelease(r); }
}
