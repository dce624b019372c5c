package dev.ripcord.worker.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.release.ReleaseInput;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Judge mode end to end on the worker: a release with {@code router.type: external} on the embedded Temporal,
 * asked exactly as Flagger's webhooks and Argo Rollouts' Web metric ask, while healthy and after a rollback.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "ripcord.ingress.token=test-ingress-token")
class JudgeEndpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int httpPort;
  @Autowired WorkflowClient client;

  @BeforeAll
  static void freeTemporalPort() throws Exception {
    if (System.getProperty("ripcord.embedded-temporal.port") == null) {
      try (ServerSocket s = new ServerSocket(0)) {
        System.setProperty("ripcord.embedded-temporal.port", Integer.toString(s.getLocalPort()));
      }
    }
  }

  /** Flagger's webhook request: the Canary's name, namespace and phase, and the webhook's metadata. */
  private HttpResponse<String> flagger(String hook, String release, String token) throws Exception {
    String body = JSON.writeValueAsString(Map.of("name", "podinfo", "namespace", "test", "phase", "Progressing",
        "checksum", "85d557f47b", "metadata", Map.of("release", release, "token", token)));
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/judge/flagger/" + hook))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Argo Rollouts' Web metric: a GET with the headers of the AnalysisTemplate. */
  private JsonNode argo(String release) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
        + "/judge/argo/" + release)).header("Authorization", "Bearer test-ingress-token").build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static void await(ReleaseWorkflow wf, ReleaseState state) throws InterruptedException {
    for (int i = 0; i < 150 && wf.status().state() != state; i++) {
      Thread.sleep(200);
    }
    assertEquals(state, wf.status().state(), wf.status().line());
  }

  private static Map<String, Object> window(long candidatePer10k) {
    return Map.of("stage", "canary", "signals", Map.of(
        "hallucination", Map.of("candidate", Map.of("events", candidatePer10k, "trials", 10_000),
            "baseline", Map.of("events", 5, "trials", 10_000)),
        "latency_p99_ms", Map.of("candidate", Map.of("value", 400))));
  }

  @Test
  void flaggerAndArgoAreAnsweredFromTheReleasesStateWhileHealthyAndAfterARollback() throws Exception {
    ReleasePolicy p = PolicyBuilder.chat().model("judged").router(new RouterSpec("external", null, "podinfo"))
        .pushed().interval("1s").inconclusive(1000, null)
            .promotesOnTime().stage("canary", 10, "60s").stage("full", 100, "2s").build();
    ReleaseWorkflow wf = client.newWorkflowStub(ReleaseWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(p.releaseId()).setTaskQueue(ReleaseWorkflow.TASK_QUEUE).build());
    WorkflowClient.start(wf::run, ReleaseInput.start(p, PolicyLoader.hash(p)));
    await(wf, ReleaseState.ROLLING_OUT);
    String id = p.releaseId();

    assertEquals(200, flagger("confirm-rollout", id, "test-ingress-token").statusCode());
    assertEquals(200, flagger("confirm-traffic-increase", id, "test-ingress-token").statusCode());
    HttpResponse<String> promotion = flagger("confirm-promotion", id, "test-ingress-token");
    assertEquals(403, promotion.statusCode(), "not promoted yet: " + promotion.body());
    assertEquals(403, flagger("rollback", id, "test-ingress-token").statusCode());
    JsonNode healthy = argo(id);
    assertTrue(healthy.path("healthy").asBoolean() && !healthy.path("rollback").asBoolean(), healthy.toString());
    assertEquals(10, healthy.path("weight").asInt());

    WorkflowStub.fromTyped(wf).signal("observe", window(40));
    WorkflowStub.fromTyped(wf).signal("observe", window(40));
    await(wf, ReleaseState.ROLLED_BACK);

    HttpResponse<String> rollback = flagger("rollback", id, "test-ingress-token");
    assertEquals(200, rollback.statusCode(), rollback.body());
    assertTrue(rollback.body().contains("\"proceed\":true"), rollback.body());
    assertEquals(403, flagger("confirm-traffic-increase", id, "test-ingress-token").statusCode());
    JsonNode failed = argo(id);
    assertTrue(failed.path("rollback").asBoolean() && !failed.path("healthy").asBoolean(), failed.toString());
    assertTrue(wf.audit().stream().anyMatch(e -> e.message().contains("expected of the external controller")),
        "Ripcord moved no traffic itself");

    assertEquals(401, flagger("rollback", id, "wrong").statusCode());
    assertEquals(404, flagger("pre-rollout", id, "test-ingress-token").statusCode());
    assertEquals(404, flagger("rollback", "release-nobody-v9", "test-ingress-token").statusCode());
  }
}
