package dev.ripcord.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.activities.notify.WebhookNotifierActivities;
import dev.ripcord.activities.observe.HttpJsonObservationActivities;
import dev.ripcord.activities.observe.ObservationSources;
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
    w.registerActivitiesImplementations(new HttpRouterActivities(), new WebhookNotifierActivities(),
        ObservationSources.of(List.of(new ObservationSources.Source("scripted", scenarios),
            new ObservationSources.Source("http", new HttpJsonObservationActivities(java.net.http.HttpClient
                .newHttpClient(), java.time.Duration.ofSeconds(5), name -> "Bearer t0ken")))));
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

  @Test
  void anEvaluationServiceOverHttpDrivesTheReleaseUntilItScoresTheCandidateBad() throws Exception {
    com.sun.net.httpserver.HttpServer evals = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    evals.createContext("/windows", exchange -> {
      calls.incrementAndGet();
      boolean full = exchange.getRequestURI().getRawQuery().contains("stage=full");
      boolean authorised = "Bearer t0ken".equals(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] b = ("{\"candidate\": {\"bad\": " + (full ? 40 : 5) + ", \"n\": 10000, \"p99\": 400},"
          + " \"baseline\": {\"bad\": 5, \"n\": 10000}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(authorised ? 200 : 401, b.length);
      exchange.getResponseBody().write(b);
      exchange.close();
    });
    evals.start();
    try {
      ObservationSpec.HttpSpec http = new ObservationSpec.HttpSpec("http://127.0.0.1:" + evals.getAddress().getPort()
          + "/windows?stage={stage}&to={to}", "Authorization", "EVALS_TOKEN", Map.of(
              "hallucination", new ObservationSpec.SignalPaths(new ObservationSpec.ArmPaths("$.candidate.bad",
                  "$.candidate.n", null), new ObservationSpec.ArmPaths("$.baseline.bad", "$.baseline.n", null)),
              "latency_p99_ms", new ObservationSpec.SignalPaths(new ObservationSpec.ArmPaths(null, null,
                  "$.candidate.p99"), null)));
      ReleasePolicy p = PolicyBuilder.chat().build().withObservations(new ObservationSpec("http", null, null, null,
          http));
      ReleaseReport r = release(p);

      assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
      assertTrue(r.audit().stream().anyMatch(e -> e.kind().equals("TRIGGER")
          && e.message().contains("hallucination 40.0/10k > 8.0/10k")), r.audit().toString());
      assertTrue(calls.get() >= 10, "one GET per window of a 10-minute bake at 1m: " + calls.get());
      assertEquals(List.of(10, 100, 10, 0), gateway.changes().stream().map(c -> c.weights().get("v2")).toList());
    } finally {
      evals.stop(0);
    }
  }
}
