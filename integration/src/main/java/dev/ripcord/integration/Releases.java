package dev.ripcord.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.intake.SignalPayloads;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseInput;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.RawValue;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starting releases on the real server and driving them the way release tooling does. */
public final class Releases {
  public static final ObjectMapper JSON = new ObjectMapper();

  private Releases() {}

  public static ReleaseWorkflow start(WorkflowClient client, ReleasePolicy p) {
    ReleaseWorkflow wf = client.newWorkflowStub(ReleaseWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(p.releaseId()).setTaskQueue(ReleaseWorkflow.TASK_QUEUE).build());
    WorkflowClient.start(wf::run, ReleaseInput.start(p, PolicyLoader.hash(p)));
    return wf;
  }

  public static ReleaseReport result(ReleaseWorkflow wf, Duration timeout) throws Exception {
    return WorkflowStub.fromTyped(wf).getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, ReleaseReport.class);
  }

  public static void awaitState(ReleaseWorkflow wf, ReleaseState state, Duration timeout) {
    String[] last = {"?"};
    Proc.eventually("state " + state, timeout, () -> {
      try {
        var s = wf.status();
        last[0] = s.line();
        return s.state() == state;
      } catch (RuntimeException e) {
        last[0] = e.toString();
        return false;
      }
    }, () -> last[0]);
  }

  /**
   * One pushed window, as the {@code observe} signal's payload: hallucinations per 10k for the candidate against a
   * healthy baseline (5 per 10k).
   */
  public static RawValue window(String stage, long candidatePer10k) {
    return SignalPayloads.json(windowJson(stage, candidatePer10k));
  }

  public static JsonNode windowJson(String stage, long candidatePer10k) {
    Map<String, SignalReading> s = new LinkedHashMap<>();
    s.put("hallucination", new SignalReading(Arm.counts(candidatePer10k, 10_000), Arm.counts(5, 10_000), null));
    s.put("latency_p99_ms", new SignalReading(Arm.value(400), null, null));
    return JSON.valueToTree(new Observation(Instant.now().toString(), null, stage, s, "integration-test", null));
  }

  /** A signal's JSON payload. */
  public static RawValue json(Object o) {
    return SignalPayloads.json(o);
  }
}
