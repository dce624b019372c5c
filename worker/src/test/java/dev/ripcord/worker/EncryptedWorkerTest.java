package dev.ripcord.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.ripcord.activities.temporal.RipcordDataConverter;
import dev.ripcord.activities.temporal.codec.AesGcmCodec;
import dev.ripcord.activities.temporal.codec.CodecKeys;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.policy.EvaluationSpec;
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
import io.temporal.api.common.v1.Payloads;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The worker with codec keys: a release started by a client holding the same keys (as the CLI does) runs on it and
 * is stored encrypted; the codec server answers the Temporal UI's origin (CORS) and decodes what Temporal stores.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "ripcord.codec.allowed-origins=http://ui.test:8080", "ripcord.codec.allow-unauthenticated=true"})
class EncryptedWorkerTest {
  static Path keys;
  static int temporalPort;
  @LocalServerPort int httpPort;

  static ReferenceGateway gateway;

  @BeforeAll
  static void portAndGateway() throws Exception {
    temporalPort = EmbeddedTemporalPort.claim();
    gateway = ReferenceGateway.start(0);
  }

  @AfterAll
  static void release() {
    EmbeddedTemporalPort.release();
    gateway.close();
  }

  @DynamicPropertySource
  static void codecKeys(DynamicPropertyRegistry registry) throws Exception {
    keys = Files.createTempFile("ripcord-codec", ".json");
    Files.writeString(keys, CodecKeys.withNewKey(null, "2026-12", new SecureRandom()));
    keys.toFile().deleteOnExit();
    registry.add("ripcord.codec.keys", keys::toString);
  }

  private HttpResponse<String> http(String method, String body, String origin) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/codec/decode"))
        .header("Origin", origin).header("Content-Type", "application/json");
    if (method.equals("OPTIONS")) {
      b.header("Access-Control-Request-Method", "POST")
          .header("Access-Control-Request-Headers", "content-type,x-namespace,authorization")
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("X-Namespace", "default").POST(HttpRequest.BodyPublishers.ofString(body));
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aReleaseRunsEncryptedAndTheCodecServerDecodesItForTheUi() throws Exception {
    ReleasePolicy base = PolicyBuilder.chat().model("sealed").interval("1s").build();
    ReleasePolicy p = new ReleasePolicy(base.apiVersion(), base.release(),
        new RouterSpec("http", gateway.url(), "sealed"), new ObservationSpec("scripted", "demo"),
        new EvaluationSpec("1s", 5, null, null), List.of(new StageSpec("canary", 10, "2s", null, null)),
        base.signals(), base.criteria(), base.governance(), base.rollback(), null);
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + temporalPort).build());
    try {
      WorkflowClient client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
          .setDataConverter(RipcordDataConverter.create(Optional.of(CodecKeys.load(keys)))).build());
      ReleaseWorkflow wf = client.newWorkflowStub(ReleaseWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId(p.releaseId()).setTaskQueue(ReleaseWorkflow.TASK_QUEUE).build());
      WorkflowClient.start(wf::run, ReleaseInput.start(p, PolicyLoader.hash(p), "carol@example.com"));
      ReleaseReport r = WorkflowStub.fromTyped(wf).getResult(60, TimeUnit.SECONDS, ReleaseReport.class);
      assertEquals(ReleaseState.COMPLETED, r.state(), r.audit().toString());

      var started = client.fetchHistory(p.releaseId()).getEvents().get(0)
          .getWorkflowExecutionStartedEventAttributes().getInput();
      assertTrue(AesGcmCodec.encrypted(started.getPayloads(0)), "the stored start input is encrypted");
      assertFalse(started.toByteString().toStringUtf8().contains("carol@example.com"));

      HttpResponse<String> preflight = http("OPTIONS", null, "http://ui.test:8080");
      assertEquals(200, preflight.statusCode(), preflight.body());
      assertEquals("http://ui.test:8080", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
      assertEquals(403, http("OPTIONS", null, "http://evil.test").statusCode(), "another origin is not let in");

      HttpResponse<String> decoded = http("POST", JsonFormat.printer().print(started), "http://ui.test:8080");
      assertEquals(200, decoded.statusCode(), decoded.body());
      Payloads.Builder out = Payloads.newBuilder();
      JsonFormat.parser().merge(decoded.body(), out);
      assertTrue(out.getPayloads(0).getData().toStringUtf8().contains("carol@example.com"));
      assertNull(AesGcmCodec.undecodableReason(out.getPayloads(0)));
    } finally {
      stubs.shutdown();
    }
  }
}
