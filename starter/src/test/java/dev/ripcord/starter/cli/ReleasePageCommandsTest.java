package dev.ripcord.starter.cli;

import static dev.ripcord.starter.cli.CliRun.ripcord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The release page from the CLI ({@code ripcord review --output html}) and the fleet list's and the pages address's
 * checks, which refuse bad input before connecting to anything.
 */
class ReleasePageCommandsTest {
  private static final String DEMO = "../workflows/src/test/resources/histories/demo-automatic-rollback.json";

  @Test
  void reviewWritesTheReleasePageOfAHistoryAsOneFile() throws Exception {
    CliRun r = ripcord("review", DEMO, "--output", "html");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("<!doctype html>") && r.out().trim().endsWith("</html>"));
    assertTrue(r.out().contains("<section class=\"criterion\" id=\"criterion-hallucination-limit\""
        + " data-criterion=\"hallucination-limit\" data-fired-window="), "the fired criterion is marked");
    assertTrue(r.out().contains("<svg ") && !r.out().contains("<script"), "charts drawn inline, no script");
    Path out = Files.createDirectories(Path.of("target/pages"));
    Files.writeString(out.resolve("demo-automatic-rollback.html"), r.out());
  }

  @Test
  void aFileThatIsNotAReleasesHistoryIsNamed() throws Exception {
    CliRun r = ripcord("review", "../workflows/src/test/resources/histories/ledger-labels-checked.json", "--output",
        "html");
    assertEquals(1, r.code(), r.out());
    assertTrue(r.err().contains("not a release's history"), r.err());
  }

  @Test
  void listRefusesAFilterThatCannotMatchBeforeConnecting() {
    CliRun r = ripcord("list", "--state", "SOMEWHERE", "--address", "127.0.0.1:1");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("state 'SOMEWHERE' is not one of [VALIDATING"), r.err());
    CliRun quote = ripcord("list", "--model", "chat' OR 1=1", "--address", "127.0.0.1:1");
    assertEquals(2, quote.code(), quote.err());
    assertTrue(quote.err().contains("letters, digits"), quote.err());
  }

  @Test
  void aPagesAddressThatIsNotHttpIsRefusedBeforeTheReleaseStarts() {
    CliRun r = ripcord("release", "start", "--policy", "../examples/conversational-agent.yaml", "--pages-url",
        "ftp://ripcord.example.com", "--address", "127.0.0.1:1");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--pages-url 'ftp://ripcord.example.com' is not an http(s) address"), r.err());
    assertFalse(r.err().contains("UNAVAILABLE"), "nothing was contacted: " + r.err());
  }
}
