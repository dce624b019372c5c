package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ripcord.activities.temporal.RipcordDataConverter;
import dev.ripcord.activities.temporal.codec.CodecKeys;
import dev.ripcord.integration.Cli;
import dev.ripcord.integration.Components;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.HttpsFront;
import dev.ripcord.integration.Keycloak;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.TemporalUiServer;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.policy.IdentitySpec;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.ReleaseSpec;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Payloads encrypted end to end, on real parts: the worker and the CLI share codec keys; the standalone Temporal UI
 * signs a safety lead in through Keycloak and shows the release's payloads through the worker's codec server, which
 * takes her access token; she approves from "Send a Signal"; and what Temporal stores, read without the codec
 * ({@code temporal workflow show -o json}), holds no token, approver, comment or prompt in plaintext.
 */
class EncryptedPayloadsIT {
  static final Path REALMS = Path.of("src/test/resources/keycloak");
  static final String PROMPT = "You are Acme's careful support agent (prompt rev 7f3a)";
  static Keycloak keycloak;
  static DevServer server;
  static WorkerProcess worker;
  static TemporalUiServer uiServer;
  static HttpsFront codecFront;
  static ReferenceGateway gateway;
  static TemporalUi ui;
  static Path keys;
  static Path work;

  @BeforeAll
  static void up() throws Exception {
    work = Files.createDirectories(Components.artifacts().resolve("encrypted"));
    keys = work.resolve("codec-keys.json");
    Files.deleteIfExists(keys);
    Cli.Run made = Cli.run("codec", "new-key", "--file", keys.toString(), "--id", "2026-12");
    assertEquals(0, made.exit(), made.output());
    keycloak = new Keycloak(List.of(REALMS.resolve("ripcord-realm.json"), REALMS.resolve("elsewhere-realm.json")));
    server = new DevServer();
    gateway = ReferenceGateway.start(0);
    int uiPort = Components.freePort(); // the UI's origin is needed by the worker's CORS rule before the UI starts
    worker = new WorkerProcess(server, "--ripcord.codec.keys=" + keys,
        "--ripcord.codec.issuer=" + keycloak.realmUrl("ripcord"), "--ripcord.codec.audience=ripcord",
        "--ripcord.codec.jwks=" + keycloak.jwksUrl("ripcord"),
        "--ripcord.codec.allowed-origins=http://127.0.0.1:" + uiPort);
    // The UI hands a signed-in person's token only to an https:// codec endpoint: TLS terminated in front of the worker.
    codecFront = new HttpsFront(work.resolve("tls"), worker.httpPort);
    uiServer = new TemporalUiServer(server.address(), uiPort, Map.of(
        "TEMPORAL_AUTH_ENABLED", "true",
        "TEMPORAL_AUTH_PROVIDER_URL", keycloak.realmUrl("ripcord"),
        "TEMPORAL_AUTH_CLIENT_ID", "temporal-ui",
        "TEMPORAL_AUTH_CLIENT_SECRET", "temporal-ui-test-secret",
        "TEMPORAL_AUTH_CALLBACK_URL", "http://127.0.0.1:" + uiPort + "/auth/sso/callback",
        "TEMPORAL_CODEC_ENDPOINT", codecFront.url() + "/codec",
        "TEMPORAL_CODEC_PASS_ACCESS_TOKEN", "true"));
    ui = new TemporalUi(uiServer.url(), List.of("--ignore-certificate-errors-spki-list=" + codecFront.spkiPin()));
  }

  @AfterAll
  static void down() {
    for (AutoCloseable c : new AutoCloseable[] {ui, uiServer, codecFront, gateway, worker, server,
        keycloak}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // keep closing the rest
      }
    }
  }

  private static String token(String realm, String client, String user) {
    return keycloak.token(realm, client, user, user + "-password");
  }

  private static HttpResponse<String> decode(String body, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(worker.url() + "/codec/decode"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Every payload's data in {@code temporal workflow show -o json}'s output, base64-decoded. */
  private static List<String> payloadData(JsonNode node, List<String> out) {
    if (node.isObject() && node.has("data") && node.get("data").isTextual()) {
      try {
        out.add(new String(Base64.getDecoder().decode(node.get("data").asText()), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        out.add(node.get("data").asText());
      }
    }
    node.forEach(child -> payloadData(child, out));
    return out;
  }

  @Test
  void aSignedInSafetyLeadReadsAndApprovesThroughTheCodecAndTemporalStoresNoPlaintext() throws Exception {
    IdentitySpec identity = new IdentitySpec(IdentitySpec.VERIFIED, keycloak.realmUrl("ripcord"), "ripcord",
        keycloak.jwksUrl("ripcord"), null, null, "1s");
    ReleasePolicy base = PolicyBuilder.chat().identity(identity).pushed().interval("2s").stage("canary", 10, "30m")
        .hallucinationLimit(8, "rollback-after-approval", 2, 3).build();
    String model = "chat-sealed";
    ReleasePolicy p = new ReleasePolicy(base.apiVersion(), new ReleaseSpec(model, "v2", "v1", null,
        new ReleaseSpec.Artifacts(PROMPT, null, null)), new RouterSpec("http", gateway.url(), model),
        base.observations(), base.evaluation(), base.stages(), base.signals(), base.criteria(), base.governance(),
        base.rollback(), base.notifications());
    Path policyFile = work.resolve("sealed-policy.json");
    Files.writeString(policyFile, PolicyLoader.toJson(p));
    Path ritaToken = Files.writeString(work.resolve("rita.token"), token("ripcord", "ripcord-cli", "rita"));
    Cli.Run started = Cli.run("release", "start", "--policy", policyFile.toString(), "--address", server.address(),
        "--token-file", ritaToken.toString(), "--codec-keys", keys.toString());
    assertEquals(0, started.exit(), started.output());
    String id = p.releaseId();

    // Observations pushed by a client holding the keys (as `ripcord observe --codec-keys` does).
    WorkflowClient sealed = WorkflowClient.newInstance(server.client().getWorkflowServiceStubs(),
        WorkflowClientOptions.newBuilder().setNamespace("default")
            .setDataConverter(RipcordDataConverter.create(Optional.of(CodecKeys.load(keys)))).build());
    ReleaseWorkflow wf = sealed.newWorkflowStub(ReleaseWorkflow.class, id);
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(60));
    wf.observe(Releases.window("canary", 40));
    wf.observe(Releases.window("canary", 40));
    Releases.awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL, Duration.ofSeconds(30));

    // The codec server opens to the realm's tokens for Ripcord only.
    String stored = Cli.runTemporal("workflow", "show", "--workflow-id", id, "--address", server.address(),
        "--output", "json").output();
    JsonNode startInput = Releases.JSON.readTree(stored.substring(stored.indexOf('{'))).path("events").get(0)
        .path("workflowExecutionStartedEventAttributes").path("input");
    String body = Releases.JSON.writeValueAsString(startInput);
    assertEquals(401, decode(body, null).statusCode());
    assertEquals(401, decode(body, token("elsewhere", "ripcord-cli", "alice")).statusCode());
    assertEquals(401, decode(body, token("ripcord", "billing-cli", "alice")).statusCode(), "another audience");
    HttpResponse<String> opened = decode(body, token("ripcord", "ripcord-cli", "alice"));
    assertEquals(200, opened.statusCode(), opened.body());
    assertTrue(String.join("\n", payloadData(Releases.JSON.readTree(opened.body()), new ArrayList<>()))
        .contains(PROMPT));

    // Alice signs in to the UI, reads the release's input decoded by the codec server, and approves.
    ui.signIn("alice", "alice-password");
    ui.browser.get(uiServer.url() + "/namespaces/default/workflows/" + id);
    String page = ui.until(d -> {
      String text = d.findElement(By.tagName("body")).getText();
      return text.contains("apiVersion") && text.contains(model) ? text : null;
    });
    ui.screenshot(id + "-decoded-input");
    assertFalse(page.contains("binary/encrypted"), "the UI shows decoded payloads");
    String alice = token("ripcord", "ripcord-cli", "alice");
    ui.sendSignal(id, "approve", "{\"token\": \"" + alice + "\", \"comment\": \"confirmed in the flagged samples\"}");
    ReleaseReport r = Releases.result(wf, Duration.ofSeconds(60));
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    AuditEntry approval = r.audit().stream().filter(e -> e.kind().equals("APPROVAL")).findFirst().orElseThrow();
    assertEquals("alice@example.com", approval.actor());
    assertTrue(approval.message().contains("confirmed in the flagged samples"), approval.message());

    // What anyone who may read the namespace sees, without the codec.
    Cli.Run show = Cli.runTemporal("workflow", "show", "--workflow-id", id, "--address", server.address(),
        "--output", "json");
    assertEquals(0, show.exit(), show.output());
    Files.writeString(work.resolve(id + "-as-stored.json"), show.output());
    List<String> data = payloadData(Releases.JSON.readTree(show.output().substring(show.output().indexOf('{'))),
        new ArrayList<>());
    assertTrue(data.size() > 10, "payloads found: " + data.size());
    // Temporal records each caller's identity beside the payload, outside any codec: the UI names the signed-in person
    // there (the worker and the CLI name their host). Everything else must be sealed.
    String outsidePayloads = show.output().replaceAll("\"identity\": \"[^\"]*\"", "\"identity\": \"\"");
    assertTrue(show.output().contains("\"identity\": \"alice@example.com\""), "the UI's caller identity");
    String everything = outsidePayloads + "\n" + String.join("\n", data);
    // The Temporal CLI reads it through the same codec server, with a token.
    Cli.Run decoded = Cli.runTemporal("workflow", "show", "--workflow-id", id, "--address", server.address(),
        "--output", "json", "--codec-endpoint", worker.url() + "/codec", "--codec-auth",
        "Bearer " + token("ripcord", "ripcord-cli", "rita"));
    assertEquals(0, decoded.exit(), decoded.output());
    Files.writeString(work.resolve(id + "-through-codec.json"), decoded.output());
    String readable = decoded.output() + String.join("\n", payloadData(Releases.JSON.readTree(
        decoded.output().substring(decoded.output().indexOf('{'))), new ArrayList<>()));
    assertTrue(readable.contains(PROMPT) && readable.contains("confirmed in the flagged samples"),
        "decoded through the codec server: see " + id + "-through-codec.json");
    for (String secret : List.of(alice.split("\\.")[2], alice.split("\\.")[1], "alice@example.com",
        "rita@example.com", "confirmed in the flagged samples", PROMPT, "7f3a")) {
      assertFalse(everything.contains(secret), "stored in plaintext: " + secret);
    }
  }
}
