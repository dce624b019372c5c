package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.integration.Cli;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Proc;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.ReleaseSpec;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A person approves a rollback from the real Temporal Web UI (the dev server's), in a real Chromium driven through
 * ChromeDriver: "More Actions" → "Send a Signal" → {@code approve} with the JSON the README documents. Screenshots
 * of the workflow page are kept under target/it-artifacts/ui.
 */
class TemporalUiApprovalIT {
  static DevServer server;
  static WorkerProcess worker;
  static ReferenceGateway gateway;
  static TemporalUi ui;

  @BeforeAll
  static void up() throws Exception {
    server = new DevServer();
    worker = new WorkerProcess(server);
    gateway = ReferenceGateway.start(0);
    ui = new TemporalUi(server.uiUrl());
  }

  @AfterAll
  static void down() {
    if (ui != null) ui.close();
    if (gateway != null) gateway.close();
    if (worker != null) worker.close();
    if (server != null) server.close();
  }

  /** A release whose hallucination criterion needs approval, driven into breach by two bad pushed windows. */
  private ReleaseWorkflow breachedRelease(String model) throws Exception {
    ReleasePolicy base = PolicyBuilder.chat().pushed().interval("2s").stage("canary", 10, "30m")
        .hallucinationLimit(8, "rollback-after-approval", 2, 3).build();
    ReleasePolicy p = new ReleasePolicy(base.apiVersion(), new ReleaseSpec(model, "v2", "v1", null, null),
        new RouterSpec("http", gateway.url(), model), base.observations(), base.evaluation(), base.stages(),
        base.signals(), base.criteria(), base.governance(), base.rollback(), base.notifications());
    Cli.startRelease(server, p); // as release tooling does: the shipped CLI, which also sets the UI summary
    ReleaseWorkflow wf = server.client().newWorkflowStub(ReleaseWorkflow.class, p.releaseId());
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
    wf.observe(Releases.window("canary", 40));
    wf.observe(Releases.window("canary", 40));
    Releases.awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL, Duration.ofSeconds(30));
    return wf;
  }

  @Test
  void aSafetyLeadApprovesTheRollbackFromTheWebUiAndTheReleaseRollsBack() throws Exception {
    ReleaseWorkflow wf = breachedRelease("chat-ui");
    String id = "release-chat-ui-v2";

    ui.sendSignal(id, "approve", "{\"by\": \"alice@example.com\", \"role\": \"safety-lead\", \"comment\":"
        + " \"confirmed in the flagged samples\"}");

    ReleaseReport r = Releases.result(wf, Duration.ofSeconds(60));
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    assertEquals(List.of(10, 0), weights("chat-ui"), "canary at 10 %, then straight to 0 %");
    AuditEntry approval = r.audit().stream().filter(e -> e.kind().equals("APPROVAL")).findFirst().orElseThrow();
    assertEquals("alice@example.com", approval.actor());
    assertEquals("safety-lead", approval.role());
    assertTrue(approval.message().contains("confirmed in the flagged samples"), approval.message());

    ui.browser.navigate().refresh();
    ui.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Completed"));
    ui.screenshot(id + "-rolled-back");
    ui.tabText("user-metadata-tab");
    String details = ui.until(d -> {
      String text = ui.frameText(d);
      return text.contains("ROLLED_BACK") && text.contains("Release of chat-ui v2") ? text : null;
    });
    ui.screenshot(id + "-current-details");
    assertTrue(details.contains("ROLLED_BACK · chat-ui v2 · stage canary") && details.contains("alice@example.com"),
        "the current-details line: " + details);
    String attributes = ui.tabText("search-attributes-tab");
    ui.screenshot(id + "-search-attributes");
    for (String expected : List.of("RipcordModel", "chat-ui", "RipcordState", "ROLLED_BACK", "RipcordStage")) {
      assertTrue(attributes.contains(expected), expected + " is on the search-attributes tab:\n" + attributes);
    }
  }

  private static List<Integer> weights(String route) {
    return gateway.changes().stream().filter(c -> c.route().equals(route)).map(c -> c.weights().get("v2")).toList();
  }

  @Test
  void anApprovalFromSomeoneWithoutTheRightIsRefusedAndAudited() throws Exception {
    ReleaseWorkflow wf = breachedRelease("chat-ui-refused");
    String id = "release-chat-ui-refused-v2";

    ui.sendSignal(id, "approve", "{\"by\": \"mallory@example.com\", \"comment\": \"ship it back\"}");

    String[] last = {""};
    Proc.eventually("the refusal in the audit query", Duration.ofSeconds(20), () -> {
      List<AuditEntry> audit = wf.audit();
      last[0] = audit.toString();
      return audit.stream().anyMatch(e -> e.kind().equals("REFUSED") && "mallory@example.com".equals(e.actor()));
    }, () -> last[0]);
    AuditEntry refused = wf.audit().stream().filter(e -> e.kind().equals("REFUSED")).findFirst().orElseThrow();
    assertTrue(refused.message().contains("approve refused"), refused.message());
    assertEquals(ReleaseState.AWAITING_ROLLBACK_APPROVAL, wf.status().state(), "the release did not move");
    assertEquals(List.of(10), weights("chat-ui-refused"), "no traffic change");
    ui.browser.navigate().refresh();
    Thread.sleep(2000);
    ui.screenshot(id + "-refused");
    wf.rollback(Releases.json(java.util.Map.of("by", "carol@example.com", "comment", "cleanup after the test")));
    assertEquals(ReleaseState.ROLLED_BACK, Releases.result(wf, Duration.ofSeconds(60)).state());
  }
}
