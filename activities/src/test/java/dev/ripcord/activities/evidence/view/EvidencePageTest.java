package dev.ripcord.activities.evidence.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The release page of stored histories: one file, charts inside it, and tables that hold the engine's numbers. */
class EvidencePageTest {
  private static final Pattern ROW = Pattern.compile("<tr class=\"([A-Z]+)\" data-window=\"(\\d+)\" data-status="
      + "\"[A-Z]+\" data-value=\"([^\"]+)\" data-threshold=\"([^\"]+)\"");

  static String page(String history) throws Exception {
    ReleaseEvidence e = EvidenceAssembly.of(List.of(EvidenceAssemblyTest.history(history)), null);
    String html = EvidencePage.html(e, null);
    Path out = Files.createDirectories(Path.of("target/pages"));
    Files.writeString(out.resolve(history.replace(".json", ".html")), html);
    return html;
  }

  @Test
  void aRolledBackReleasesPageHoldsItsChartsAndEveryWindowsNumbersAndNeedsNothingOutsideIt() throws Exception {
    ReleaseEvidence e = EvidenceAssembly.of(List.of(EvidenceAssemblyTest.history("msprt-pinned-v6-rolled-back.json")),
        null);
    String html = page("msprt-pinned-v6-rolled-back.json");
    assertTrue(html.startsWith("<!doctype html>") && html.endsWith("</html>\n"));
    // Charts are inline SVG: a statistic and an arms chart per leaf, and the weight line.
    int leaves = e.criteria().stream().mapToInt(c -> c.leaves().size()).sum();
    assertEquals(2 * leaves + 1, count(html, "<svg "), "one statistic and one arms chart per leaf, one weight chart");
    assertFalse(html.contains("<script") || html.contains("src=\"http") || html.contains("href=\"http")
        || html.contains("@import") || html.contains("url(http"), "nothing is fetched from elsewhere");
    ReleaseEvidence.Criterion fired = e.criteria().stream().filter(c -> c.firedWindow() != null).findFirst()
        .orElseThrow();
    assertTrue(html.contains("data-criterion=\"" + fired.name() + "\" data-fired-window=\"" + fired.firedWindow()
        + "\""), "the criterion's section names its trigger window");
    Matcher m = ROW.matcher(html);
    int rows = 0;
    int firedRows = 0;
    List<ReleaseEvidence.Point> points = fired.leaves().get(0).points();
    while (m.find()) {
      int window = Integer.parseInt(m.group(2));
      ReleaseEvidence.Point p = points.stream().filter(x -> x.window() == window).findFirst().orElseThrow();
      assertEquals(p.value(), Double.parseDouble(m.group(3)), "exact statistic of window " + window);
      assertEquals(p.threshold(), Double.parseDouble(m.group(4)));
      firedRows += "FIRED".equals(m.group(1)) ? 1 : 0;
      rows++;
    }
    assertEquals(points.size(), rows, "one table row per window the leaf judged");
    assertTrue(firedRows >= 1 && html.contains("fired (window " + fired.firedWindow() + ")"),
        "the trigger window is marked in the table and on the chart");
  }

  @Test
  void textFromTheHistoryIsEscaped() {
    assertEquals("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;",
        EvidencePage.escape("<script>alert(\"x\")</script> & '"));
  }

  @Test
  void aPageIsDrawnForEveryStoredReleaseHistory() throws Exception {
    int pages = 0;
    try (var files = Files.list(EvidenceAssemblyTest.STORED)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        var h = EvidenceAssemblyTest.history(f.getFileName().toString());
        if (!h.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName()
            .equals("Release")) {
          continue;
        }
        String html = EvidencePage.html(EvidenceAssembly.of(List.of(h), null), "/releases");
        assertTrue(html.contains("<svg ") && html.endsWith("</html>\n"), f.toString());
        pages++;
      }
    }
    assertTrue(pages >= 50, "pages drawn: " + pages);
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
