package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ripcord.integration.Components;
import dev.ripcord.integration.Releases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The real Temporal Web UI in a real headless Chromium (through ChromeDriver), as a person uses it: open a workflow,
 * "More Actions" → "Send a Signal", pick the signal, type the JSON. Screenshots and, on a timeout, the page's HTML go
 * to target/it-artifacts/ui.
 */
final class TemporalUi implements AutoCloseable {
  final ChromeDriver browser;
  final WebDriverWait wait;
  final Path shots;
  private final String uiUrl;

  TemporalUi(String uiUrl) throws IOException {
    this(uiUrl, List.of());
  }

  /** @param chromiumArgs more flags for Chromium (e.g. a pinned test certificate) */
  TemporalUi(String uiUrl, List<String> chromiumArgs) throws IOException {
    this.uiUrl = uiUrl;
    ChromeOptions options = new ChromeOptions().setBinary(Components.chromium().toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,1300");
    options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL")); // kept with a failed page
    options.addArguments(chromiumArgs);
    browser = new ChromeDriver(new ChromeDriverService.Builder()
        .usingDriverExecutable(Components.chromedriver().toFile()).usingAnyFreePort().build(), options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    shots = Files.createDirectories(Components.artifacts().resolve("ui"));
  }

  /** Sends {@code signal} with the payload {@code json} from the workflow's page, checking the editor holds it. */
  void sendSignal(String workflowId, String signal, String json) throws Exception {
    browser.get(uiUrl + "/namespaces/default/workflows/" + workflowId);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=workflow-id-heading]"),
        workflowId));
    click(By.cssSelector("button[aria-controls=workflow-actions]"));
    click(By.cssSelector("[data-testid=signal-button]"));
    By open = By.cssSelector("dialog[open][data-testid=signal-confirmation-modal]");
    WebElement dialog = until(ExpectedConditions.visibilityOfElementLocated(open));
    click(By.cssSelector("dialog[open][data-testid=signal-confirmation-modal] [data-testid=signal-select-button]"));
    click(By.xpath("//dialog[@open]//ul[@role='listbox']//li[.//span[normalize-space()='" + signal + "']]"));
    JsonNode typed = null;
    // Headless Chrome on a busy 2-core machine has dropped a keystroke of a 1 kB token (CI, 2026-12-02): type again
    // when the editor does not hold exactly the payload, and send only once it does.
    for (int attempt = 1; attempt <= 3 && !Releases.JSON.readTree(json).equals(typed); attempt++) {
      WebElement editor = dialog.findElement(By.cssSelector("[role=textbox][data-language=json]"));
      editor.click();
      editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
      editor.sendKeys(json);
      // Leave the editor (the UI reformats the JSON on blur and re-renders the form), then check that it holds
      // exactly the payload meant: CodeMirror closes brackets and quotes as one types.
      click(By.xpath("//dialog[@open]//label[.//input[@value='json/plain']]"));
      Thread.sleep(750);
      String text = dialog.findElement(By.cssSelector("[role=textbox][data-language=json]")).getText();
      try {
        typed = Releases.JSON.readTree(text);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        typed = null;
      }
    }
    assertEquals(Releases.JSON.readTree(json), typed, "the UI's editor holds the payload typed");
    screenshot(workflowId + "-signal-dialog");
    click(By.cssSelector("dialog[open][data-testid=signal-confirmation-modal] [data-testid=confirm-modal-button]"));
    until(ExpectedConditions.invisibilityOfElementLocated(open));
  }

  /**
   * Signs in through the UI's identity provider (a Keycloak login form), as a person does, landing on the workflow
   * list of the default namespace.
   */
  void signIn(String user, String password) throws IOException {
    String back = uiUrl + "/namespaces/default/workflows";
    browser.get(uiUrl + "/auth/sso?returnUrl=" + java.net.URLEncoder.encode(back,
        java.nio.charset.StandardCharsets.UTF_8));
    until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
    browser.findElement(By.id("password")).sendKeys(password);
    screenshot("sign-in-" + user);
    click(By.id("kc-login"));
    until(d -> d.getCurrentUrl().startsWith(back));
  }

  void screenshot(String name) throws IOException {
    Files.write(shots.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
  }

  /** Waits, and on a timeout keeps the page's HTML and a screenshot for the post-mortem. */
  <T> T until(Function<? super WebDriver, T> condition) throws IOException {
    try {
      return wait.until(condition);
    } catch (org.openqa.selenium.TimeoutException t) {
      keepFailedPage();
      throw t;
    }
  }

  void click(By by) throws IOException {
    WebElement e;
    try {
      // The UI renders some controls twice (wide and narrow layouts): take the one that is shown.
      e = wait.until(d -> d.findElements(by).stream().filter(x -> x.isDisplayed() && x.isEnabled()).findFirst()
          .orElse(null));
    } catch (org.openqa.selenium.TimeoutException t) {
      keepFailedPage();
      throw t;
    }
    ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", e);
    e.click();
  }

  String tabText(String tab) throws Exception {
    click(By.cssSelector("[data-testid=" + tab + "]"));
    Thread.sleep(1500);
    return browser.findElement(By.tagName("body")).getText();
  }

  /** The text of the UI's sandboxed iframes (the summary and the current details, rendered from Markdown). */
  String frameText(WebDriver d) {
    StringBuilder text = new StringBuilder();
    for (WebElement frame : d.findElements(By.tagName("iframe"))) {
      d.switchTo().frame(frame);
      text.append(d.findElement(By.tagName("body")).getText()).append('\n');
      d.switchTo().defaultContent();
    }
    return text.toString();
  }

  private void keepFailedPage() throws IOException {
    Files.writeString(shots.resolve("failed-page.html"), browser.getPageSource());
    try {
      Files.write(shots.resolve("failed-page-console.log"), browser.manage().logs().get("browser").getAll().stream()
          .map(e -> e.getLevel() + " " + e.getMessage()).toList());
    } catch (RuntimeException e) {
      Files.writeString(shots.resolve("failed-page-console.log"), "no console log: " + e);
    }
    screenshot("failed-page");
  }

  @Override
  public void close() {
    browser.quit();
  }
}
