package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.integration.Cli;
import dev.ripcord.integration.Components;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Proc;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.decision.Measure;
import dev.ripcord.workflows.decision.WindowVerdict;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.ReleaseSpec;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The release pages in a real Chromium: a release started by the CLI with {@code --pages-url} on the real dev server,
 * run by the shipped worker jar, rolled back by pushed windows, and a healthy one still rolling out. Each page holds
 * the numbers the release's own {@code decisions} query reports, the trigger window is marked, the fleet list and
 * {@code ripcord list} find both, the Temporal UI's current details link the page, and the static page
 * {@code ripcord review --output html} writes opens with the network off. Screenshots go to
 * target/it-artifacts/ui.
 */
class ReleasePagesIT {
  private static final String TOKEN = "it-pages-token";
  static DevServer server;
  static WorkerProcess worker;
  static ReferenceGateway gateway;
  static TemporalUi ui;

  @BeforeAll
  static void up() throws Exception {
    server = new DevServer();
    worker = new WorkerProcess(server, List.of("-Xmx384m", "-XX:+UseSerialGC"), "--ripcord.pages.token=" + TOKEN);
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

  /** Starts a release of {@code model} with the CLI, as release tooling does, naming where the pages are. */
  private ReleaseWorkflow startWithTheCli(String model) throws Exception {
    ReleasePolicy base = PolicyBuilder.chat().pushed().interval("2s").stage("canary", 10, "30m").build();
    ReleasePolicy p = new ReleasePolicy(base.apiVersion(), new ReleaseSpec(model, "v2", "v1", null, null),
        new RouterSpec("http", gateway.url(), model), base.observations(), base.evaluation(), base.stages(),
        base.signals(), base.criteria(), base.governance(), base.rollback(), base.notifications());
    Path file = Files.createTempFile("pages-", ".json");
    Files.writeString(file, PolicyLoader.toJson(p));
    Cli.Run started = Cli.run(List.of(), "release", "start", "--policy", file.toString(), "--address",
        server.address(), "--pages-url", worker.url());
    assertEquals(0, started.exit(), started.output());
    assertTrue(started.output().contains("its page:  " + worker.url() + "/releases/" + p.releaseId()),
        started.output());
    ReleaseWorkflow wf = server.client().newWorkflowStub(ReleaseWorkflow.class, p.releaseId());
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(60));
    return wf;
  }

  private static void push(ReleaseWorkflow wf, long... per10k) {
    for (long x : per10k) {
      WorkflowStub.fromTyped(wf).signal("observe", Releases.windowJson("canary", x));
    }
  }

  @Test
  void eachReleasesPageHoldsTheNumbersItsDecisionsQueryReportsAndMarksTheTrigger() throws Exception {
    ReleaseWorkflow bad = startWithTheCli("pages-bad");
    ReleaseWorkflow healthy = startWithTheCli("pages-ok");
    push(bad, 5, 40, 6, 40);
    push(healthy, 5, 6, 4);
    assertEquals(ReleaseState.ROLLED_BACK, Releases.result(bad, Duration.ofSeconds(60)).state());
    Path histories = Files.createDirectories(Components.artifacts().resolve("histories"));
    Files.writeString(histories.resolve("pages-rolled-back.json"), server.client().fetchHistory(
        "release-pages-bad-v2").toJson(true));
    Proc.eventually("the healthy release judged its three pushed windows", Duration.ofSeconds(30),
        () -> healthy.decisions().stream().filter(d -> d.results().get(0).status().name().equals("OK")).count() >= 3,
        () -> healthy.decisions().toString());

    // Signed in once with the token (kept in a cookie), then the fleet list: both releases, each linking its page.
    ui.browser.get(worker.url() + "/releases?token=" + TOKEN);
    Proc.eventually("visibility lists both releases", Duration.ofSeconds(30), () -> {
      ui.browser.navigate().refresh();
      return ui.browser.findElements(By.cssSelector("tr[data-release^=release-pages-]")).size() == 2;
    }, () -> ui.browser.findElement(By.tagName("body")).getText());
    assertEquals("ROLLED_BACK", ui.browser.findElement(By.cssSelector("tr[data-release=release-pages-bad-v2]"))
        .getAttribute("data-state"));
    assertEquals(healthy.status().lastVerdict().label(), ui.browser.findElement(By.cssSelector(
        "tr[data-release=release-pages-ok-v2] td.verdict")).getText(), "a running release's last verdict");
    ui.screenshot("release-list");

    // Windows the release judged empty (none pushed in time) count too: the trigger's number is the release's.
    List<WindowVerdict> judged = bad.decisions();
    Integer fired = judged.stream().filter(d -> d.fired().contains("hallucination-limit")).map(WindowVerdict::window)
        .findFirst().orElseThrow();
    checkPage("release-pages-bad-v2", bad, fired);
    checkPage("release-pages-ok-v2", healthy, null);

    // The fleet from the CLI, the link from ripcord status.
    Cli.Run list = Cli.run(List.of(), "list", "--address", server.address(), "--model", "pages-bad", "--output",
        "json");
    assertEquals(0, list.exit(), list.output());
    assertTrue(list.output().contains("\"releaseId\" : \"release-pages-bad-v2\"")
        && list.output().contains("\"state\" : \"ROLLED_BACK\""), list.output());
    Cli.Run status = Cli.run(List.of(), "status", "release-pages-ok-v2", "--address", server.address());
    assertTrue(status.output().contains("[release page](" + worker.url() + "/releases/release-pages-ok-v2)"),
        status.output());

    // The Temporal UI's current details (Markdown, rendered in a sandboxed frame) link the page.
    ui.browser.get(server.uiUrl() + "/namespaces/default/workflows/release-pages-ok-v2");
    ui.tabText("user-metadata-tab");
    String href = worker.url() + "/releases/release-pages-ok-v2";
    ui.until(d -> {
      for (WebElement frame : d.findElements(By.tagName("iframe"))) {
        d.switchTo().frame(frame);
        boolean linked = !d.findElements(By.cssSelector("a[href='" + href + "']")).isEmpty();
        d.switchTo().defaultContent();
        if (linked) {
          return true;
        }
      }
      return null;
    });
    ui.screenshot("temporal-ui-links-the-release-page");
  }

  /**
   * Opens a release's page and checks it against the release's own decisions, asked after the page was drawn (a
   * running release judges a window every interval): one table row per window the release had judged, with the
   * statistic and threshold the engine computed; the trigger window (if any) named and shaded.
   */
  private void checkPage(String id, ReleaseWorkflow wf, Integer firedWindow) throws Exception {
    ui.browser.get(worker.url() + "/releases/" + id);
    WebElement section = ui.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("section[data-criterion=hallucination-limit]")));
    assertEquals(firedWindow == null ? null : firedWindow.toString(), section.getAttribute("data-fired-window"),
        () -> wf.decisions().stream().map(d -> d.window() + " " + d.t() + " " + d.explanation()).toList().toString());
    List<WebElement> rows = section.findElements(By.cssSelector("table.evidence tbody tr"));
    int last = rows.stream().mapToInt(r -> Integer.parseInt(r.getAttribute("data-window"))).max().orElse(0);
    List<WindowVerdict> decisions = wf.decisions().stream().filter(d -> d.window() <= last).toList();
    List<WindowVerdict> withNumbers = decisions.stream().filter(d -> d.results().get(0).measures() != null
        && !d.results().get(0).measures().isEmpty()).toList();
    assertEquals(withNumbers.size(), rows.size(), "one row per window the release judged with a number: " + decisions);
    assertTrue(withNumbers.size() >= 3, decisions.toString());
    for (WindowVerdict d : withNumbers) {
      Measure m = d.results().get(0).measures().get(0);
      WebElement row = section.findElement(By.cssSelector("tr[data-window='" + d.window() + "']"));
      assertEquals(m.value(), Double.parseDouble(row.getAttribute("data-value")), id + " window " + d.window());
      assertEquals(m.threshold(), Double.parseDouble(row.getAttribute("data-threshold")));
      assertEquals(d.results().get(0).status().name(), row.getAttribute("data-status"));
    }
    if (firedWindow != null) {
      WebElement fired = section.findElement(By.cssSelector("tr[data-window='" + firedWindow + "']"));
      assertEquals("FIRED", fired.getAttribute("data-status"));
      assertTrue(section.getText().contains("fired at window " + firedWindow), section.getText());
    }
    assertTrue(section.findElements(By.tagName("svg")).size() >= 2, "statistic and arms charts");
    ui.screenshot(id);
  }

  @Test
  void theStaticPageOfTheDemosHistoryOpensWithTheNetworkOff() throws Exception {
    Cli.Run html = Cli.run(List.of(), "review", Components.root().resolve(
        "workflows/src/test/resources/histories/demo-automatic-rollback.json").toString(), "--output", "html");
    assertEquals(0, html.exit(), html.output());
    Path file = Components.artifacts().resolve("ui/demo-automatic-rollback.html");
    Files.writeString(file, html.output().substring(html.output().indexOf("<!doctype html>")));
    ui.browser.setNetworkConditions(offline());
    try {
      ui.browser.get(file.toUri().toString());
      WebElement section = ui.until(ExpectedConditions.presenceOfElementLocated(
          By.cssSelector("section[data-criterion=hallucination-limit]")));
      assertTrue(section.getAttribute("data-fired-window") != null, "the demo rolls back on this criterion");
      assertTrue(section.findElements(By.tagName("svg")).size() >= 2);
      Object fetched = ((JavascriptExecutor) ui.browser).executeScript(
          "return performance.getEntriesByType('resource').length");
      assertEquals(0L, fetched, "the page fetched nothing");
      ui.screenshot("static-review-offline");
    } finally {
      ui.browser.deleteNetworkConditions();
    }
  }

  private static ChromiumNetworkConditions offline() {
    ChromiumNetworkConditions c = new ChromiumNetworkConditions();
    c.setOffline(true);
    return c;
  }
}
