package dev.ripcord.starter.cli;

import static dev.ripcord.starter.cli.CliRun.ripcord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ripcord backtest} as a person runs it on recorded windows: one decision per window and a summary, scored
 * windows tested, the split guarded at each stage's planned weight, and a malformed line named.
 */
class BacktestCommandTest {
  @TempDir Path tmp;

  @Test
  void backtestPrintsOneJsonDecisionPerWindowThenASummary() throws Exception {
    CliRun r = ripcord("backtest", "--policy", "../examples/conversational-agent.yaml", "--observations",
        "../examples/observations.jsonl", "--output", "json");
    assertEquals(0, r.code(), r.err());
    var lines = r.out().lines().toList();
    assertEquals(13, lines.size(), r.out());
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var w7 = json.readTree(lines.get(6));
    assertEquals(7, w7.get("window").asInt());
    assertEquals("continue", w7.get("decision").asText());
    assertEquals("hallucination-limit", w7.get("pending").get(0).asText());
    var w8 = json.readTree(lines.get(7));
    assertEquals("rollback", w8.get("decision").asText());
    assertEquals("2026-01-01T00:08:00Z", w8.get("t").asText());
    var summary = json.readTree(lines.get(12)).get("summary");
    assertEquals(8, summary.get("firstActionWindow").asInt());
    assertEquals("rollback", summary.get("firstAction").asText());
  }

  /**
   * One canary window of the example: its first recorded window with {@code candidateN} and {@code baselineN} answers
   * per arm in every signal, the candidate's utility {@code utility}, and {@code slowPer1000} of its answers beyond 1 s.
   */
  private static String scoredWindow(int minute, long candidateN, long baselineN, double utility, long slowPer1000)
      throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var w = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
        Files.readAllLines(Path.of("../examples/observations.jsonl")).get(0));
    w.put("t", String.format(java.util.Locale.ROOT, "2026-01-01T00:%02d:00Z", minute));
    for (var signal : w.withObject("/signals").properties()) {
      for (String arm : List.of("candidate", "baseline")) {
        var a = (com.fasterxml.jackson.databind.node.ObjectNode) signal.getValue().get(arm);
        long n = arm.equals("candidate") ? candidateN : baselineN;
        if (a == null) {
          continue;
        } else if (a.has("trials")) {
          a.put("events", Math.round(a.get("events").asDouble() / a.get("trials").asDouble() * n)).put("trials", n);
        } else if (a.has("n")) {
          a.put("n", n);
        } else if (a.has("buckets")) {
          long slow = arm.equals("candidate") ? n * slowPer1000 / 1000 : n / 1000;
          a.set("buckets", json.valueToTree(java.util.Map.of("500", (n - slow) * 9 / 10, "1000", n - slow, "+Inf", n)));
        }
      }
    }
    w.withObject("/signals/utility_score/candidate").put("value", utility);
    return w + "\n";
  }

  @Test
  void backtestTestsScoresAndHistogramsAndGuardsTheSplitAtEachStagesWeight() throws Exception {
    Path right = tmp.resolve("scored.jsonl");
    Path drifted = tmp.resolve("drifted.jsonl");
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int m = 1; m <= 12; m++) { // the canary at 5 %: 1 candidate answer in 20, 10 % less useful from minute 4
      a.append(scoredWindow(m, 2_000, 38_000, m < 4 ? 0.82 : 0.738, 1));
      b.append(scoredWindow(m, 2_100, 57_900, 0.82, 1)); // 3.5 % of answers reach the candidate, not 5 %
    }
    Files.writeString(right, a.toString());
    Files.writeString(drifted, b.toString());

    CliRun worse = ripcord("backtest", "--policy", "../examples/conversational-agent.yaml", "--observations",
        right.toString(), "--output", "json");
    assertEquals(0, worse.code(), worse.err());
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> lines = worse.out().lines().toList();
    var first = json.readTree(lines.get(0)).get("explanation").asText();
    assertTrue(first.contains("utility_score 0.820 (n 2,000) vs baseline 0.820 (n 38,000)")
        && first.contains("latency_ms p99 candidate") && first.contains("interpolated within its bucket"), first);
    var summary = json.readTree(lines.get(lines.size() - 1)).get("summary");
    assertEquals("rollback-after-approval", summary.get("firstAction").asText(), summary.toString());
    assertTrue(summary.get("firstActionCriteria").toString().contains("utility-drift"), summary.toString());
    assertTrue(summary.get("firstActionWindow").asInt() >= 4, summary.toString());
    assertTrue(summary.get("sampleRatio") == null || summary.get("sampleRatio").isNull(), summary.toString());

    CliRun skewed = ripcord("backtest", "--policy", "../examples/conversational-agent.yaml", "--observations",
        drifted.toString());
    assertEquals(0, skewed.code(), skewed.err());
    String last = skewed.out().lines().reduce((x, y) -> y).orElse("");
    assertTrue(last.contains("first action pause-and-investigate at window 1 (2026-01-01T00:01:00Z) by [sample-ratio]")
        && last.contains("window 1: sample ratio mismatch: candidate 3.5 % of 60,000 outputs this stage, router weight"
        + " 5 %"), last);
    assertTrue(skewed.out().lines().findFirst().orElse("").contains("utility-drift inconclusive: utility_score: sample"
        + " ratio mismatch"), "no comparison of the arms counts once the split is wrong:\n" + skewed.out());
  }

  @Test
  void backtestRejectsAMalformedLineNamingItAndTheField() throws Exception {
    Path obs = tmp.resolve("obs.jsonl");
    Files.writeString(obs, "{\"signals\":{\"hallucination\":{\"candidate\":{\"events\":3,\"trials\":10000}}}}\n"
        + "{\"signals\":{\"hallucination\":{\"candidate\":{\"events\":30,\"trials\":10}}}}\n");
    CliRun r = ripcord("backtest", "--policy", "../examples/conversational-agent.yaml", "--observations", obs.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("line 2: signals.hallucination.candidate must have 0 <= events <= trials, got 30/10"),
        r.err());
  }
}
