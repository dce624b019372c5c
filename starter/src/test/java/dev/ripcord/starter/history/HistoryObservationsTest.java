package dev.ripcord.starter.history;

import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ripcord.activities.history.HistoryObservations;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ripcord history observations} exports the pushed windows the release evaluated, never the refused ones. */
class HistoryObservationsTest {

  private static Map<String, Object> window(String stage, long events, String t) {
    Map<String, Object> w = new java.util.LinkedHashMap<>();
    if (t != null) {
      w.put("t", t);
    }
    if (stage != null) {
      w.put("stage", stage);
    }
    w.put("signals", Map.of("hallucination", Map.of("candidate", Map.of("events", events, "trials", 10_000),
        "baseline", Map.of("events", 5, "trials", 10_000)), "latency_p99_ms", Map.of("candidate", Map.of("value", 400))));
    return w;
  }

  @Test
  void refusedPushesAreNotExported() throws Exception {
    try (ReleaseHarness h = new ReleaseHarness()) {
      ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().build());
      h.env.sleep(Duration.ofMinutes(2));
      wf.observe(json(window("canary", 6, null)));                       // taken
      wf.observe(json(window("full", 6, null)));                         // another stage: refused
      wf.observe(json(window(null, 6, "2999-01-01T00:00:00Z")));         // ahead of the release's clock: refused
      wf.observe(json(Map.of("signals", Map.of("nope", Map.of()))));     // unknown signal: refused
      wf.observe(json(window(null, 7, null)));                           // taken
      h.env.sleep(Duration.ofMinutes(1));
      wf.rollback(json(Map.of("by", "carol@example.com")));
      ReleaseReport r = h.result(wf);
      long refused = r.audit().stream().filter(e -> e.kind().equals("REFUSED")).count();
      assertEquals(3, refused, r.audit().toString());

      List<JsonNode> all = HistoryObservations.of(h.history(r.releaseId()));
      // Every window the release judged: the two taken pushes, and the windows that closed with nothing pushed
      // while it waited for them (judged empty), where it closed them.
      assertEquals(r.windows(), all.size(), all.toString());
      List<JsonNode> empty = all.stream().filter(o -> o.path("signals").isEmpty()).toList();
      assertTrue(!empty.isEmpty() && empty.stream().allMatch(o -> o.path("source").asText()
          .equals("pushed: none this window")), empty.toString());
      List<JsonNode> exported = all.stream().filter(o -> !o.path("signals").isEmpty()).toList();
      assertEquals(2, exported.size(), exported.toString());
      assertEquals(6, exported.get(0).at("/signals/hallucination/candidate/events").asLong());
      assertEquals(7, exported.get(1).at("/signals/hallucination/candidate/events").asLong());
      assertTrue(all.stream().allMatch(o -> o.path("stage").asText().equals("canary")), all.toString());
      assertTrue(all.stream().allMatch(o -> o.hasNonNull("t")), all.toString());
    }
  }
}
