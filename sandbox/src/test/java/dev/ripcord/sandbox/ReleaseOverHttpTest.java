package dev.ripcord.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.activities.notify.WebhookNotifierActivities;
import dev.ripcord.sandbox.observe.ScenarioObservationActivities;
import dev.ripcord.sandbox.observe.ScriptedScenario;
import dev.ripcord.sandbox.observe.SimulatedModel;
import dev.ripcord.activities.router.HttpRouterActivities;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.policy.NotificationSpec;
import dev.ripcord.workflows.policy.ObservationSpec;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.release.ReleaseInput;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseSearchAttributes;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.release.ReleaseWorkflowImpl;
import dev.ripcord.workflows.testing.PolicyBuilder;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A release driven by the real activities: router and notifier over HTTP against the reference gateway. */
class ReleaseOverHttpTest {
  private ReferenceGateway gateway;
  private TestWorkflowEnvironment env;
  private final ScenarioObservationActivities scenarios = new ScenarioObservationActivities();

  @BeforeEach
  void start() throws Exception {
    gateway = ReferenceGateway.start(0);
    env = TestWorkflowEnvironment.newInstance();
    ReleaseSearchAttributes.ALL.forEach(k ->
        env.registerSearchAttribute(k.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    Worker w = env.newWorker(ReleaseWorkflow.TASK_QUEUE);
    w.registerWorkflowImplementationTypes(ReleaseWorkflowImpl.class);
    w.registerActivitiesImplementations(new HttpRouterActivities(), new WebhookNotifierActivities(), scenarios);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
    gateway.close();
  }

  private ReleaseReport release(ReleasePolicy p) {
    ReleasePolicy wired = p.withRouter(new RouterSpec("http", gateway.url(), "chat"))
        .withNotifications(new NotificationSpec(gateway.hookUrl("releases"), "#rel", Map.of()));
    ReleaseWorkflow wf = env.getWorkflowClient().newWorkflowStub(ReleaseWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(wired.releaseId()).setTaskQueue(ReleaseWorkflow.TASK_QUEUE).build());
    WorkflowClient.start(wf::run, ReleaseInput.start(wired, PolicyLoader.hash(wired)));
    return WorkflowStub.fromTyped(wf).getResult(ReleaseReport.class);
  }

  private static ScriptedScenario healthy() {
    Map<String, SignalReading> ok = Map.of(
        "hallucination", new SignalReading(Arm.counts(5, 10_000), Arm.counts(5, 10_000), null),
        "latency_p99_ms", new SignalReading(Arm.value(400), null, null));
    return new ScriptedScenario(Map.of("default", List.of(new ScriptedScenario.Window(ok))));
  }

  @Test
  void aRouterAnswering500sForMinutesIsRetriedEscalatedAndNeverReportedAsDone() {
    scenarios.register("release-chat-v2", healthy());
    gateway.failNext(12, 500); // more than one round of attempts
    ReleaseReport r = release(PolicyBuilder.chat().build());

    assertEquals(ReleaseState.COMPLETED, r.state());
    assertEquals(List.of(10, 100), gateway.changes().stream().map(c -> c.weights().get("v2")).toList(),
        "each step applied exactly once");
    assertTrue(gateway.messages().stream().anyMatch(m -> "escalation".equals(m.event())
        && m.text().contains("router is not accepting stage canary")), gateway.messages().toString());
    assertTrue(r.audit().stream().anyMatch(e -> e.kind().equals("ACTION_FAILED")
        && e.message().contains("HTTP 500") && e.message().contains("candidate still at 0 %")));
  }

  @Test
  void aLostAnswerIsRetriedUnderTheSameKeyAndAppliedOnce() {
    scenarios.register("release-chat-v2", healthy());
    gateway.loseAnswerOfNext(1);
    ReleaseReport r = release(PolicyBuilder.chat().build());

    assertEquals(ReleaseState.COMPLETED, r.state());
    assertEquals(2, gateway.changes().size());
    String key = r.actions().get(0).idempotencyKey();
    assertEquals(2, gateway.putsWithKey(key), "the retry carried the same key");
    assertEquals(false, r.actions().get(0).applied());
  }

  @Test
  void theSimulatedModelDrivesAnAutomaticRollback() {
    ReleasePolicy p = PolicyBuilder.chat().build().withObservations(new ObservationSpec("scripted", "sim"));
    scenarios.register("sim", SimulatedModel.conversationalDemo(200_000, "full"));
    ReleaseReport r = release(p);
    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertEquals(List.of(10, 100, 10, 0), gateway.changes().stream().map(c -> c.weights().get("v2")).toList());
  }

  @Test
  void anUnknownScenarioIsInconclusiveNotHealthy() {
    ReleasePolicy p = PolicyBuilder.chat().inconclusive(3, "rollback").build()
        .withObservations(new ObservationSpec("scripted", "missing"));
    ReleaseReport r = release(p);
    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertTrue(r.audit().stream().anyMatch(e -> e.message().contains("no scenario named 'missing'")));
  }
}
