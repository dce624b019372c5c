package dev.ripcord.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.policy.EvaluationSpec;
import dev.ripcord.workflows.policy.NotificationSpec;
import dev.ripcord.workflows.policy.ObservationSpec;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.policy.StageSpec;
import dev.ripcord.workflows.release.ReleaseInput;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The worker as it ships: Spring Boot, no Temporal address configured, so it embeds a server on a real port; a
 * separate client connects over gRPC like the CLI would, runs a short release in real time, then reads the metrics.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"ripcord.ingress.token=" + WorkerApplicationTest.INGRESS_TOKEN,
        "ripcord.pages.token=" + WorkerApplicationTest.PAGES_TOKEN})
class WorkerApplicationTest {
  static final String INGRESS_TOKEN = "test-ingress-token";
  static final String PAGES_TOKEN = "test-pages-token";
  static int temporalPort;
  static ReferenceGateway gateway;

  @LocalServerPort int httpPort;
  @Autowired RipcordProperties props;
  @Autowired WorkflowClient workerClient;

  @BeforeAll
  static void freePortAndGateway() throws Exception {
    temporalPort = EmbeddedTemporalPort.claim();
    gateway = ReferenceGateway.start(0);
  }

  @AfterAll
  static void stopGateway() {
    EmbeddedTemporalPort.release();
    gateway.close();
  }

  @Test
  void embedsTemporalOnARealPortRunsAReleaseAndExportsRipcordMetrics() throws Exception {
    assertEquals(temporalPort, props.embeddedTemporal().port());
    ReleasePolicy base = PolicyBuilder.chat().interval("1s").build();
    ReleasePolicy p = new ReleasePolicy(base.apiVersion(), base.release(),
        new RouterSpec("http", gateway.url(), "chat"), new ObservationSpec("scripted", "demo"),
        new EvaluationSpec("1s", 5, null, null),
        List.of(new StageSpec("canary", 10, "3s", null, null), new StageSpec("full", 100, "2s", null, null)),
        base.signals(), base.criteria(), base.governance(), base.rollback(),
        new NotificationSpec(gateway.hookUrl("rel"), null, null));

    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + temporalPort).build());
    try {
      WorkflowClient client = WorkflowClient.newInstance(stubs);
      ReleaseWorkflow wf = client.newWorkflowStub(ReleaseWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId(p.releaseId()).setTaskQueue(ReleaseWorkflow.TASK_QUEUE).build());
      WorkflowClient.start(wf::run, ReleaseInput.start(p, PolicyLoader.hash(p)));
      ReleaseReport r = WorkflowStub.fromTyped(wf).getResult(60, java.util.concurrent.TimeUnit.SECONDS,
          ReleaseReport.class);
      assertEquals(ReleaseState.COMPLETED, r.state(), r.audit().toString());
      assertEquals(List.of(10, 100), gateway.changes().stream().filter(c -> c.route().equals("chat"))
          .map(c -> c.weights().get("v2")).toList());
    } finally {
      stubs.shutdown();
    }

    // Temporal's metrics scope hands counters to Micrometer on its reporting interval (10 s): wait for the flush
    // that carries this release's completion (another test's release may have flushed counters already); the SDK's
    // own completion counter may land one flush after Ripcord's state counters.
    String body = "";
    for (int i = 0; i < 30 && !(completedFlushed(body) && body.contains("temporal_workflow_completed_total"));
        i++) {
      HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + httpPort + "/actuator/prometheus")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, metrics.statusCode());
      body = metrics.body();
      Thread.sleep(1000);
    }
    assertTrue(body.contains("ripcord_decisions_total{"), "decisions counted: " + body.lines().filter(l -> l.contains("ripcord")).toList());
    assertTrue(completedFlushed(body), "one completed release: "
        + body.lines().filter(l -> l.startsWith("ripcord_releases")).toList());
    assertTrue(body.lines().anyMatch(l -> l.startsWith("ripcord_releases{") && l.contains("state=\"ROLLING_OUT\"")
        && l.endsWith(" 0.0")));
    assertTrue(body.contains("temporal_workflow_completed_total"), "Temporal SDK metrics are exported too");
  }

  /** The worker reads a payload of a newer build (a field it does not know) instead of failing the task. */
  @Test
  void theWorkersClientAndWorkersTolerateFieldsOfANewerBuild() {
    var payload = io.temporal.api.common.v1.Payload.newBuilder()
        .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
        .setData(com.google.protobuf.ByteString.copyFromUtf8(
            "{\"t\": \"2026-12-01T00:00:00Z\", \"stage\": \"canary\", \"addedByANewerBuild\": 1}")).build();
    var read = workerClient.getOptions().getDataConverter().fromPayload(payload,
        dev.ripcord.workflows.decision.Observation.class, dev.ripcord.workflows.decision.Observation.class);
    assertEquals("canary", read.stage());
  }

  @Test
  void readinessMeansTemporalAnswersAndTheWorkerPolls() throws Exception {
    HttpResponse<String> ready = null;
    for (int i = 0; i < 30 && (ready == null || ready.statusCode() != 200); i++) {
      ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
          + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
      Thread.sleep(500);
    }
    assertEquals(200, ready.statusCode(), ready.body());
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ready.body());
    assertEquals("UP", json.at("/components/temporal/status").asText(), ready.body());
    assertEquals("default", json.at("/components/temporal/details/namespace").asText(), ready.body());
    assertEquals("UP", json.at("/components/workers/status").asText(), ready.body());
    assertTrue(json.at("/components/workers/details/workflowTaskPollers").asDouble() > 0, ready.body());
    HttpResponse<String> live = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + httpPort + "/actuator/health/liveness")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, live.statusCode(), live.body());
    assertTrue(!live.body().contains("\"temporal\""), "liveness does not depend on Temporal: " + live.body());
  }

  @Test
  void anUnreachableTemporalOrAMissingNamespaceIsNotReady() {
    WorkflowServiceStubs dead = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget("127.0.0.1:1").build());
    try {
      var down = new TemporalHealth(WorkflowClient.newInstance(dead)).health();
      assertEquals("DOWN", down.getStatus().getCode());
      assertTrue(String.valueOf(down.getDetails().get("error")).contains("not answering"), down.toString());
    } finally {
      dead.shutdownNow();
    }
    // The embedded test server answers DescribeNamespace for any name; a real server answers NOT_FOUND.
    var missing = TemporalHealth.down("no-such-namespace", io.grpc.Status.NOT_FOUND.withDescription(
        "Namespace no-such-namespace is not found.").asRuntimeException());
    assertEquals("DOWN", missing.getStatus().getCode());
    assertTrue(String.valueOf(missing.getDetails().get("error")).contains("'no-such-namespace' does not exist"),
        missing.toString());
  }

  /** The worker's gauge shows exactly one COMPLETED release. */
  private static boolean completedFlushed(String body) {
    return body.lines().anyMatch(l -> l.startsWith("ripcord_releases{") && l.contains("state=\"COMPLETED\"")
        && l.endsWith(" 1.0"));
  }

  @Test
  void alertmanagerWebhookReachesTheNamedReleaseAsASignal() throws Exception {
    ReleasePolicy base = PolicyBuilder.chat().alert("ModelSafetySpike", "rollback").build();
    ReleasePolicy p = new ReleasePolicy(base.apiVersion(), new dev.ripcord.workflows.policy.ReleaseSpec("ingress",
        "v2", "v1", null, null), new RouterSpec("http", gateway.url(), "ingress"), new ObservationSpec("pushed", null,
        null, base.observations().alerts()), new EvaluationSpec("1s", 100, null, null),
        List.of(new StageSpec("canary", 10, "10m", null, null)), base.signals(), base.criteria(), base.governance(),
        new dev.ripcord.workflows.policy.RollbackSpec(List.of(new dev.ripcord.workflows.policy.RollbackSpec.Step(0,
            null))), null);
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + temporalPort).build());
    try {
      WorkflowClient client = WorkflowClient.newInstance(stubs);
      ReleaseWorkflow wf = client.newWorkflowStub(ReleaseWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId(p.releaseId()).setTaskQueue(ReleaseWorkflow.TASK_QUEUE).build());
      WorkflowClient.start(wf::run, ReleaseInput.start(p, PolicyLoader.hash(p)));
      for (int i = 0; i < 50 && wf.status().state() != ReleaseState.ROLLING_OUT; i++) {
        Thread.sleep(100);
      }
      String notification = """
          {"version": "4", "status": "firing", "receiver": "ripcord", "alerts": [
            {"status": "firing", "labels": {"alertname": "ModelSafetySpike", "ripcord_release": "%s"},
             "annotations": {"summary": "blocked outputs 5x baseline"}, "fingerprint": "a1b2"},
            {"status": "firing", "labels": {"alertname": "ModelSafetySpike"}},
            {"status": "firing", "labels": {"alertname": "ModelSafetySpike", "ripcord_release": "release-nope-v9"}}
          ]}""".formatted(p.releaseId());
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + httpPort + "/ingress/alertmanager"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + INGRESS_TOKEN)
          .POST(HttpRequest.BodyPublishers.ofString(notification)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      assertTrue(response.body().contains("\"outcome\":\"signalled\""), response.body());
      assertTrue(response.body().contains("unrouted: no 'ripcord_release' label"), response.body());
      assertTrue(response.body().contains("no running release with this id"), response.body());

      ReleaseReport r = WorkflowStub.fromTyped(wf).getResult(60, java.util.concurrent.TimeUnit.SECONDS,
          ReleaseReport.class);
      assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
      assertTrue(r.audit().stream().anyMatch(e -> e.kind().equals("TRIGGER")
          && e.message().contains("alert ModelSafetySpike (blocked outputs 5x baseline) is firing")), r.audit().toString());

      HttpResponse<String> notAlertmanager = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + httpPort + "/ingress/alertmanager"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + INGRESS_TOKEN)
          .POST(HttpRequest.BodyPublishers.ofString("{\"alerts\": 3}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(400, notAlertmanager.statusCode());
      assertTrue(notAlertmanager.body().contains("'alerts' must be an array"), notAlertmanager.body());
    } finally {
      stubs.shutdown();
    }
  }

  @Test
  void aRolledBackReleasesPageShowsTheNumbersItsDecisionsQueryReports() throws Exception {
    ReleasePolicy base = PolicyBuilder.chat().build();
    ReleasePolicy p = new ReleasePolicy(base.apiVersion(), new dev.ripcord.workflows.policy.ReleaseSpec("pages",
        "v2", "v1", null, null), new RouterSpec("http", gateway.url(), "pages"), new ObservationSpec("pushed", null),
        new EvaluationSpec("1s", 100, null, null), List.of(new StageSpec("canary", 10, "10m", null, null)),
        base.signals(), base.criteria(), base.governance(), new dev.ripcord.workflows.policy.RollbackSpec(
            List.of(new dev.ripcord.workflows.policy.RollbackSpec.Step(0, null))), null);
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + temporalPort).build());
    try {
      WorkflowClient client = WorkflowClient.newInstance(stubs);
      ReleaseWorkflow wf = client.newWorkflowStub(ReleaseWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId(p.releaseId()).setTaskQueue(ReleaseWorkflow.TASK_QUEUE).build());
      WorkflowClient.start(wf::run, ReleaseInput.start(p, PolicyLoader.hash(p), null, null,
          "https://ripcord.example.com"));
      for (int i = 0; i < 50 && wf.status().state() != ReleaseState.ROLLING_OUT; i++) {
        Thread.sleep(100);
      }
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      for (int events : new int[] {5, 40, 6, 40, 40}) {
        WorkflowStub.fromTyped(wf).signal("observe", json.readTree("{\"signals\": {\"hallucination\": {\"candidate\": {\"events\": " + events
            + ", \"trials\": 10000}, \"baseline\": {\"events\": 5, \"trials\": 10000}}}}"));
      }
      ReleaseReport r = WorkflowStub.fromTyped(wf).getResult(60, java.util.concurrent.TimeUnit.SECONDS,
          ReleaseReport.class);
      assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
      assertTrue(wf.status().line().contains("[release page](https://ripcord.example.com/releases/" + p.releaseId()
          + ")"), wf.status().line());
      String page = "http://127.0.0.1:" + httpPort + "/releases/" + p.releaseId();
      HttpClient http = HttpClient.newHttpClient();
      assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(page)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode(), "no token, no page");
      HttpResponse<String> signIn = http.send(HttpRequest.newBuilder(URI.create(page + "?token=" + PAGES_TOKEN))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(303, signIn.statusCode());
      assertEquals("/releases/" + p.releaseId(), signIn.headers().firstValue("Location").orElseThrow());
      String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
      assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
      HttpResponse<String> html = http.send(HttpRequest.newBuilder(URI.create(page))
          .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, html.statusCode(), html.body());
      assertTrue(html.body().contains("data-criterion=\"hallucination-limit\" data-fired-window=\"4\""),
          "the trigger window is named on the page");
      // The evidence as JSON equals, window by window, the numbers the release's own decisions query reports.
      HttpResponse<String> evidence = http.send(HttpRequest.newBuilder(URI.create(page + "/evidence.json"))
          .header("Authorization", "Bearer " + PAGES_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, evidence.statusCode(), evidence.body());
      var points = json.readTree(evidence.body()).at("/criteria/0/leaves/0/points");
      var decisions = wf.decisions();
      assertEquals(decisions.size(), points.size(), evidence.body());
      for (int i = 0; i < decisions.size(); i++) {
        var measure = decisions.get(i).results().get(0).measures().get(0);
        assertEquals(measure.value(), points.get(i).get("value").asDouble(), "window " + (i + 1));
        assertEquals(measure.threshold(), points.get(i).get("threshold").asDouble());
      }
      assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(page + "?token=wrong")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode(), "a wrong token opens nothing");
      HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
          + "/releases")).header("Authorization", "Bearer " + PAGES_TOKEN).build(), HttpResponse.BodyHandlers
          .ofString());
      // The embedded test server keeps no visibility: the list says so (the dev server lists; see ReleasePagesIT).
      assertEquals(503, list.statusCode(), list.body());
      assertTrue(list.body().contains("no visibility store"), list.body());
      assertEquals(400, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
          + "/releases?state=SOMEWHERE")).header("Authorization", "Bearer " + PAGES_TOKEN).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode(), "a state that does not exist is refused");
      assertEquals(404, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
          + "/releases/release-none-v0")).header("Authorization", "Bearer " + PAGES_TOKEN).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
    } finally {
      stubs.shutdown();
    }
  }
}
