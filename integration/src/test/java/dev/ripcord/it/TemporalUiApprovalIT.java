package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.integration.Cli;
import dev.ripcord.integration.Components;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Proc;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.ReleaseSpec;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.release.AuditEntry;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person approves a rollback from the real Temporal Web UI (the dev server's), in a real Chromium driven through
 * ChromeDriver: "More Actions" → "Send a Signal" → {@code approve} with the JSON the README documents. Screenshots
 * of the workflow page are kept under target/it-artifacts/ui.
 */
class TemporalUiApprovalIT {
  static DevServer server;
  static WorkerProcess worker;
  static ReferenceGateway gateway;
  static ChromeDriver browser;
  static WebDriverWait wait;
  static Path shots;

  @BeforeAll
  static void up() throws Exception {
    server = new DevServer();
    worker = new WorkerProcess(server);
    gateway = ReferenceGateway.start(0);
    ChromeOptions options = new ChromeOptions().setBinary(Components.chromium().toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,1300");
    browser = new ChromeDriver(new ChromeDriverService.Builder()
        .usingDriverExecutable(Components.chromedriver().toFile()).usingAnyFreePort().build(), options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    shots = Files.createDirectories(Components.artifacts().resolve("ui"));
  }

  @AfterAll
  static void down() {
    if (browser != null) browser.quit();
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

  private void sendSignalFromUi(String workflowId, String signal, String json) throws Exception {
    browser.get(server.uiUrl() + "/namespaces/default/workflows/" + workflowId);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=workflow-id-heading]"),
        workflowId));
    click(By.cssSelector("button[aria-controls=workflow-actions]"));
    click(By.cssSelector("[data-testid=signal-button]"));
    By open = By.cssSelector("dialog[open][data-testid=signal-confirmation-modal]");
    WebElement dialog = until(ExpectedConditions.visibilityOfElementLocated(open));
    click(By.cssSelector("dialog[open][data-testid=signal-confirmation-modal] [data-testid=signal-select-button]"));
    click(By.xpath("//dialog[@open]//ul[@role='listbox']//li[.//span[normalize-space()='" + signal + "']]"));
    WebElement editor = dialog.findElement(By.cssSelector("[role=textbox][data-language=json]"));
    editor.click();
    editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    editor.sendKeys(json);
    // Leave the editor (the UI reformats the JSON on blur and re-renders the form), then check that it holds
    // exactly the payload meant: CodeMirror closes brackets and quotes as one types.
    click(By.xpath("//dialog[@open]//label[.//input[@value='json/plain']]"));
    Thread.sleep(750);
    JsonNode typed = Releases.JSON.readTree(
        dialog.findElement(By.cssSelector("[role=textbox][data-language=json]")).getText());
    assertEquals(Releases.JSON.readTree(json), typed, "the UI's editor holds the payload typed");
    Files.write(shots.resolve(workflowId + "-signal-dialog.png"), browser.getScreenshotAs(OutputType.BYTES));
    click(By.cssSelector("dialog[open][data-testid=signal-confirmation-modal] [data-testid=confirm-modal-button]"));
    until(ExpectedConditions.invisibilityOfElementLocated(open));
  }

  /** Waits, and on a timeout keeps the page's HTML and a screenshot for the post-mortem. */
  private <T> T until(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition)
      throws Exception {
    try {
      return wait.until(condition);
    } catch (org.openqa.selenium.TimeoutException t) {
      Files.writeString(shots.resolve("failed-page.html"), browser.getPageSource());
      Files.write(shots.resolve("failed-page.png"), browser.getScreenshotAs(OutputType.BYTES));
      throw t;
    }
  }

  private void click(By by) throws Exception {
    WebElement e;
    try {
      // The UI renders some controls twice (wide and narrow layouts): take the one that is shown.
      e = wait.until(d -> d.findElements(by).stream().filter(x -> x.isDisplayed() && x.isEnabled()).findFirst()
          .orElse(null));
    } catch (org.openqa.selenium.TimeoutException t) {
      Files.writeString(shots.resolve("failed-page.html"), browser.getPageSource());
      Files.write(shots.resolve("failed-page.png"), browser.getScreenshotAs(OutputType.BYTES));
      throw t;
    }
    ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", e);
    e.click();
  }

  private String tabText(String tab) throws Exception {
    click(By.cssSelector("[data-testid=" + tab + "]"));
    Thread.sleep(1500);
    return browser.findElement(By.tagName("body")).getText();
  }

  @Test
  void aSafetyLeadApprovesTheRollbackFromTheWebUiAndTheReleaseRollsBack() throws Exception {
    ReleaseWorkflow wf = breachedRelease("chat-ui");
    String id = "release-chat-ui-v2";

    sendSignalFromUi(id, "approve",
        "{\"by\": \"alice@example.com\", \"role\": \"safety-lead\", \"comment\": \"confirmed in the flagged samples\"}");

    ReleaseReport r = Releases.result(wf, Duration.ofSeconds(60));
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    assertEquals(List.of(10, 0), weights("chat-ui"), "canary at 10 %, then straight to 0 %");
    AuditEntry approval = r.audit().stream().filter(e -> e.kind().equals("APPROVAL")).findFirst().orElseThrow();
    assertEquals("alice@example.com", approval.actor());
    assertEquals("safety-lead", approval.role());
    assertTrue(approval.message().contains("confirmed in the flagged samples"), approval.message());

    browser.navigate().refresh();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Completed"));
    Files.write(shots.resolve(id + "-rolled-back.png"), browser.getScreenshotAs(OutputType.BYTES));
    tabText("user-metadata-tab");
    // The UI renders the summary and the current details (Markdown) in sandboxed iframes.
    String details = until(d -> {
      StringBuilder text = new StringBuilder();
      for (WebElement frame : d.findElements(By.tagName("iframe"))) {
        d.switchTo().frame(frame);
        text.append(d.findElement(By.tagName("body")).getText()).append('\n');
        d.switchTo().defaultContent();
      }
      return text.indexOf("ROLLED_BACK") >= 0 && text.indexOf("Release of chat-ui v2") >= 0 ? text.toString() : null;
    });
    Files.write(shots.resolve(id + "-current-details.png"), browser.getScreenshotAs(OutputType.BYTES));
    assertTrue(details.contains("ROLLED_BACK · chat-ui v2 · stage canary") && details.contains("alice@example.com"),
        "the current-details line: " + details);
    String attributes = tabText("search-attributes-tab");
    Files.write(shots.resolve(id + "-search-attributes.png"), browser.getScreenshotAs(OutputType.BYTES));
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

    sendSignalFromUi(id, "approve", "{\"by\": \"mallory@example.com\", \"comment\": \"ship it back\"}");

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
    browser.navigate().refresh();
    Thread.sleep(2000);
    Files.write(shots.resolve(id + "-refused.png"), browser.getScreenshotAs(OutputType.BYTES));
    wf.rollback(Releases.json(java.util.Map.of("by", "carol@example.com", "comment", "cleanup after the test")));
    assertEquals(ReleaseState.ROLLED_BACK, Releases.result(wf, Duration.ofSeconds(60)).state());
  }
}
