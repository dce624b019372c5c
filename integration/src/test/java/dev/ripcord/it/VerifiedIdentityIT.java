package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.Base64URL;
import dev.ripcord.integration.Cli;
import dev.ripcord.integration.Components;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Keycloak;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.policy.IdentitySpec;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import io.temporal.api.enums.v1.EventType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Verified identity against a real OpenID Connect provider: Keycloak's server distribution on loopback (realm
 * {@code ripcord}, and a second realm {@code elsewhere} with its own keys), the Spring Boot worker reading the realm's
 * JWKS through its activity, the shipped CLI sending tokens with {@code --token-file}, and one approval typed into the
 * real Temporal Web UI in Chromium. Tokens come from Keycloak's token endpoint; the bad ones are refused and audited.
 */
class VerifiedIdentityIT {
  static final Path REALMS = Path.of("src/test/resources/keycloak");
  static Keycloak keycloak;
  static DevServer server;
  static WorkerProcess worker;
  static ReferenceGateway gateway;
  static TemporalUi ui;
  static Path tokens;

  @BeforeAll
  static void up() throws Exception {
    keycloak = new Keycloak(List.of(REALMS.resolve("ripcord-realm.json"), REALMS.resolve("elsewhere-realm.json")));
    server = new DevServer();
    worker = new WorkerProcess(server);
    gateway = ReferenceGateway.start(0);
    ui = new TemporalUi(server.uiUrl());
    tokens = Files.createDirectories(Components.artifacts().resolve("tokens"));
  }

  @AfterAll
  static void down() {
    if (ui != null) ui.close();
    if (gateway != null) gateway.close();
    if (worker != null) worker.close();
    if (server != null) server.close();
    if (keycloak != null) keycloak.close();
  }

  private static String token(String realm, String client, String user) {
    return keycloak.token(realm, client, user, user + "-password");
  }

  private static Path file(String name, String token) throws Exception {
    return Files.writeString(tokens.resolve(name), token);
  }

  private static ReleasePolicy policy(String model) {
    IdentitySpec identity = new IdentitySpec(IdentitySpec.VERIFIED, keycloak.realmUrl("ripcord"), "ripcord",
        keycloak.jwksUrl("ripcord"), null, null, "1s");
    return PolicyBuilder.chat().model(model).router(new RouterSpec("http", gateway.url(), model)).identity(identity)
        .pushed().interval("2s").stage("canary", 10, "30m").hallucinationLimit(8, "rollback-after-approval", 2, 3)
        .build();
  }

  private static Cli.Run approve(String id, String... how) {
    List<String> args = new ArrayList<>(List.of("approve", id, "--address", server.address(), "--comment", "cli"));
    args.addAll(List.of(how));
    return Cli.run(args.toArray(String[]::new));
  }

  /** The same token with its payload's email changed and the signature kept: what a forger would try. */
  private static String edited(String token, String from, String to) {
    String[] parts = token.split("\\.");
    String claims = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8).replace(from, to);
    return parts[0] + "." + Base64URL.encode(claims) + "." + parts[2];
  }

  @Test
  void keycloakTokensDecideWhileExpiredForeignForgedAndTypedOnesAreRefusedFromTheCliAndTheUi() throws Exception {
    ReleasePolicy p = policy("chat-verified");
    Path policyFile = Files.createDirectories(Components.artifacts().resolve("policies")).resolve("verified.json");
    Files.writeString(policyFile, PolicyLoader.toJson(p));
    Cli.Run started = Cli.run("release", "start", "--policy", policyFile.toString(), "--address", server.address(),
        "--token-file", file("rita", token("ripcord", "ripcord-cli", "rita")).toString());
    assertEquals(0, started.exit(), started.output());
    ReleaseWorkflow wf = server.client().newWorkflowStub(ReleaseWorkflow.class, p.releaseId());
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(60));
    assertEquals("rita@example.com", wf.status().releasedBy(), "the start token names the releaser");
    assertTrue(wf.status().identity().startsWith("verified by " + keycloak.realmUrl("ripcord")));
    wf.observe(Releases.window("canary", 40));
    wf.observe(Releases.window("canary", 40));
    Releases.awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL, Duration.ofSeconds(30));

    String shortLived = token("ripcord", "ripcord-short", "alice"); // Keycloak issues it for one second
    String alice = token("ripcord", "ripcord-cli", "alice");
    String billing = token("ripcord", "billing-cli", "alice");
    String elsewhere = token("elsewhere", "ripcord-cli", "alice");
    Thread.sleep(3000);
    String id = p.releaseId();
    List<Cli.Run> refused = List.of(
        approve(id, "--token-file", file("expired", shortLived).toString()),
        approve(id, "--token-file", file("billing", billing).toString()),
        approve(id, "--token-file", file("elsewhere", elsewhere).toString()),
        approve(id, "--token-file", file("edited", edited(alice, "alice@example.com", "carol@example.com"))
            .toString()),
        approve(id, "--by", "alice@example.com"));
    for (Cli.Run r : refused) {
      assertEquals(1, r.exit(), r.output());
      assertTrue(r.output().contains("approve refused: "), r.output());
    }
    assertTrue(refused.get(0).output().contains("token expired at"), refused.get(0).output());
    assertTrue(refused.get(1).output().contains("token is for audience [billing], not 'ripcord'"),
        refused.get(1).output());
    assertTrue(refused.get(2).output().contains("which the issuer's key set (2 key(s)) does not hold"),
        refused.get(2).output());
    assertTrue(refused.get(3).output().contains("signature does not verify with the issuer's key")
        && refused.get(3).output().contains("(the token claims carol@example.com, not verified)"),
        refused.get(3).output());
    assertTrue(refused.get(4).output().contains("no token: under governance.identity.mode verified"),
        refused.get(4).output());
    assertEquals(ReleaseState.AWAITING_ROLLBACK_APPROVAL, wf.status().state(), "nothing that was refused moved it");

    ui.sendSignal(id, "approve", "{\"token\": \"" + alice + "\", \"comment\": \"confirmed in the flagged samples\"}");
    ReleaseReport r = Releases.result(wf, Duration.ofSeconds(60));

    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    AuditEntry approval = r.audit().stream().filter(e -> e.kind().equals("APPROVAL")).findFirst().orElseThrow();
    assertEquals("alice@example.com", approval.actor(), "the person is the token's email");
    assertEquals("safety-lead", approval.role());
    assertTrue(approval.message().contains("confirmed in the flagged samples"), approval.message());
    List<String> identity = r.audit().stream().filter(e -> e.kind().equals("IDENTITY")).map(AuditEntry::message)
        .toList();
    assertTrue(identity.stream().anyMatch(m -> m.startsWith("started the release, verified")), identity.toString());
    assertTrue(identity.stream().anyMatch(m -> m.startsWith("approve: verified (token ")), identity.toString());
    // Read once at the start by the worker's activity; the other realm's key came within the minute after that
    // read, so it was refused without reading again (the workflow tests cover the re-read).
    assertEquals(1, identity.stream().filter(m -> m.startsWith("read the issuer's keys from "
        + keycloak.jwksUrl("ripcord"))).count(), identity.toString());
    assertEquals(5, r.audit().stream().filter(e -> e.kind().equals("REFUSED")).count(), r.audit().toString());
    long failedTasks = server.client().fetchHistory(id).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED).count();
    assertEquals(0, failedTasks, "no refusal failed a workflow task");
    ui.screenshot(id + "-verified-rolled-back");
    ui.browser.navigate().refresh();
    ui.tabText("user-metadata-tab");
    String details = ui.until(d -> {
      String text = ui.frameText(d);
      return text.contains("ROLLED_BACK") ? text : null;
    });
    assertTrue(details.contains("released by rita@example.com (verified)"), "the UI's current details: " + details);
    Cli.Run status = Cli.run("status", id, "--address", server.address());
    assertTrue(status.output().contains("identity: verified by " + keycloak.realmUrl("ripcord")), status.output());
  }

  /** A release breached and waiting for a rollback approval, started by rita's token (in {@code ritaToken}). */
  private static ReleaseWorkflow breached(String model, Path ritaToken) throws Exception {
    ReleasePolicy p = policy(model);
    Path policyFile = Files.createDirectories(Components.artifacts().resolve("policies")).resolve(model + ".json");
    Files.writeString(policyFile, PolicyLoader.toJson(p));
    Cli.Run started = Cli.run("release", "start", "--policy", policyFile.toString(), "--address", server.address(),
        "--token-file", ritaToken.toString());
    assertEquals(0, started.exit(), started.output());
    ReleaseWorkflow wf = server.client().newWorkflowStub(ReleaseWorkflow.class, p.releaseId());
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(60));
    wf.observe(Releases.window("canary", 40));
    wf.observe(Releases.window("canary", 40));
    Releases.awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL, Duration.ofSeconds(30));
    return wf;
  }

  @Test
  void aKeycloakTokenDecidesInOneReleaseOnlyAndTheStartTokenDecidesNothing() throws Exception {
    Path rita = file("rita-start", token("ripcord", "ripcord-cli", "rita"));
    ReleaseWorkflow a = breached("chat-once-a", rita);
    Path ritaB = file("rita-start-b", token("ripcord", "ripcord-cli", "rita"));
    ReleaseWorkflow b = breached("chat-once-b", ritaB);
    Path alice = file("alice-once", token("ripcord", "ripcord-cli", "alice"));

    Cli.Run inA = approve("release-chat-once-a-v2", "--token-file", alice.toString());
    assertEquals(0, inA.exit(), inA.output());
    assertEquals(ReleaseState.ROLLED_BACK, Releases.result(a, Duration.ofSeconds(60)).state());
    Cli.Run inB = approve("release-chat-once-b-v2", "--token-file", alice.toString());
    assertEquals(1, inB.exit(), inB.output());
    assertTrue(inB.output().contains("was first presented to release release-chat-once-a-v2 (approve, ")
        && inB.output().contains("a token decides in one release only"), inB.output());
    Cli.Run ownStartToken = approve("release-chat-once-b-v2", "--token-file", ritaB.toString());
    assertEquals(1, ownStartToken.exit(), ownStartToken.output());
    assertTrue(ownStartToken.output().contains("already counted once in this release"), ownStartToken.output());
    Cli.Run ritaInB = approve("release-chat-once-b-v2", "--token-file", rita.toString());
    assertEquals(1, ritaInB.exit(), ritaInB.output());
    assertTrue(ritaInB.output().contains("was first presented to release release-chat-once-a-v2 (release start, "),
        ritaInB.output());
    assertEquals(ReleaseState.AWAITING_ROLLBACK_APPROVAL, b.status().state(), "nothing refused moved it");
    assertEquals(0, approve("release-chat-once-b-v2", "--token-file", file("alice-fresh",
        token("ripcord", "ripcord-cli", "alice")).toString()).exit(), "a fresh token decides");
    assertEquals(ReleaseState.ROLLED_BACK, Releases.result(b, Duration.ofSeconds(60)).state());

    // Labels of the finished release: only with a token, and not with one that already decided.
    Cli.Run reused = Cli.run("label", "release-chat-once-a-v2", "--outcome", "rollback-was-right", "--address",
        server.address(), "--token-file", alice.toString());
    assertEquals(1, reused.exit(), reused.output());
    assertTrue(reused.output().contains("was first presented to release-chat-once-a-v2 (approve)"), reused.output());
    Cli.Run typed = Cli.run("label", "release-chat-once-a-v2", "--outcome", "rollback-was-right", "--address",
        server.address(), "--by", "alice@example.com");
    assertEquals(1, typed.exit(), typed.output());
    assertTrue(typed.output().contains("a typed name does not count"), typed.output());
    Cli.Run labelled = Cli.run("label", "release-chat-once-a-v2", "--outcome", "rollback-was-right", "--address",
        server.address(), "--token-file", file("alice-label", token("ripcord", "ripcord-cli", "alice")).toString());
    assertEquals(0, labelled.exit(), labelled.output());
    assertTrue(labelled.output().contains("LABELLED alice@example.com: release-chat-once-a-v2"), labelled.output());
  }

  @Test
  void ripcordLoginSignsInThroughTheBrowserAndEveryDecisionCarriesAFreshTokenUntilLogout() throws Exception {
    Path home = Files.createDirectories(Components.artifacts().resolve("login-home"));
    Files.deleteIfExists(home.resolve("logins.json"));
    java.util.Map<String, String> env = java.util.Map.of("RIPCORD_CONFIG_DIR", home.toString());
    Process login = Cli.start(env, "login", "--issuer", keycloak.realmUrl("ripcord"));
    var lines = new java.io.BufferedReader(new java.io.InputStreamReader(login.getInputStream(),
        StandardCharsets.UTF_8));
    StringBuilder said = new StringBuilder();
    String open = null;
    for (String line = lines.readLine(); line != null && open == null; line = lines.readLine()) {
      said.append(line).append('\n');
      if (line.startsWith("To sign in, open ")) {
        open = line.substring("To sign in, open ".length()).strip();
      }
    }
    assertTrue(open != null && open.startsWith(keycloak.realmUrl("ripcord")), said.toString());
    // Alice opens the address in her browser, signs in at Keycloak and confirms the device.
    ui.browser.manage().deleteAllCookies();
    ui.browser.get(open);
    ui.until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(
        org.openqa.selenium.By.id("username"))).sendKeys("alice");
    ui.browser.findElement(org.openqa.selenium.By.id("password")).sendKeys("alice-password");
    ui.click(org.openqa.selenium.By.id("kc-login"));
    ui.until(d -> {
      var yes = d.findElements(org.openqa.selenium.By.id("kc-login"));
      if (!yes.isEmpty() && yes.get(0).isDisplayed()) {
        yes.get(0).click(); // the device grant's consent, when Keycloak asks for it
      }
      return d.getPageSource().contains("Device Login Successful") || !login.isAlive() ? true : null;
    });
    ui.screenshot("device-login-confirmed");
    assertTrue(login.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "ripcord login finished");
    String rest = new String(login.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, login.exitValue(), said + rest);
    assertTrue(rest.contains("signed in as alice@example.com at " + keycloak.realmUrl("ripcord")), said + rest);
    String stored = Files.readString(home.resolve("logins.json"));
    assertTrue(stored.contains("refreshToken") && !stored.contains("accessToken"), "only the refresh token kept");
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(home.resolve("logins.json"))));

    ReleaseWorkflow wf = breached("chat-login", file("rita-login", token("ripcord", "ripcord-cli", "rita")));
    Cli.Run approved = Cli.run(env, "approve", "release-chat-login-v2", "--address", server.address(), "--comment",
        "signed in once");
    assertEquals(0, approved.exit(), approved.output());
    assertTrue(approved.output().contains("approve accepted from alice@example.com"), approved.output());
    assertEquals(ReleaseState.ROLLED_BACK, Releases.result(wf, Duration.ofSeconds(60)).state());

    Cli.Run out = Cli.run(env, "logout", "--issuer", keycloak.realmUrl("ripcord"));
    assertEquals(0, out.exit(), out.output());
    assertTrue(out.output().contains("signed out of " + keycloak.realmUrl("ripcord") + " (refresh token revoked)"),
        out.output());
    ReleaseWorkflow again = breached("chat-logout", file("rita-logout", token("ripcord", "ripcord-cli", "rita")));
    Cli.Run refused = Cli.run(env, "approve", "release-chat-logout-v2", "--address", server.address());
    assertEquals(2, refused.exit(), "no token and no name: a usage error before anything is sent\n"
        + refused.output());
    assertEquals(ReleaseState.AWAITING_ROLLBACK_APPROVAL, again.status().state());
  }
}
