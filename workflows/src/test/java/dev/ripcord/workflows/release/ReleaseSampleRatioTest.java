package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A candidate that receives less traffic than the router was told: the guard finds the mismatch, the comparisons of
 * the arms stop counting as evidence, and the release pauses for investigation instead of judging on biased arms.
 */
class ReleaseSampleRatioTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  /** A window of usefulness scores: {@code candidate} of 2,000 answers went to the candidate, which scores as well. */
  private static Map<String, Object> window(long candidate) {
    long baseline = 2_000 - candidate;
    return Map.of("signals", Map.of("utility_score", Map.of(
        "candidate", Map.of("value", 0.8, "n", candidate, "sd", 0.25),
        "baseline", Map.of("value", 0.8, "n", baseline, "sd", 0.25))));
  }

  @Test
  void eightPercentServedAtTenPausesForInvestigationAndStopsTheComparison() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().utilityTest(0.97, "rollback").build());
    h.env.sleep(Duration.ofSeconds(5));
    int windows = 0;
    while (windows < 20 && wf.status().state() == ReleaseState.ROLLING_OUT) {
      wf.observe(json(window(160)));
      h.env.sleep(Duration.ofMinutes(1));
      windows++;
    }
    h.awaitState(wf, ReleaseState.PAUSED_FOR_INVESTIGATION);
    ReleaseStatus s = wf.status();
    assertEquals(0, s.stageIndex(), "never promoted on biased arms");
    String found = messages(wf.report().audit(), "SAMPLE_RATIO").get(0);
    assertTrue(found.startsWith("sample ratio mismatch: candidate 8.0 % of ") && found.contains("router weight 10 %")
        && found.endsWith("(policy: pause-and-investigate)"), found);
    assertTrue(s.lastExplanation().contains("utility_score: sample ratio mismatch"), s.lastExplanation());
    assertEquals(List.of("sample-ratio"), s.waitingFor().criteria());
    assertTrue(windows > 1, "one window is not evidence of a mismatch: " + windows);
    wf.rollback(json(Map.of("by", "carol@example.com", "comment", "the gateway sends 8 %")));
    assertEquals(ReleaseState.ROLLED_BACK, h.result(wf).state());
  }

  @Test
  void aRightSplitIsNeverFlagged() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().utilityTest(0.97, "rollback").build());
    h.env.sleep(Duration.ofSeconds(5));
    for (int i = 0; i < 11; i++) {
      wf.observe(json(window(200)));
      h.env.sleep(Duration.ofMinutes(1));
    }
    h.awaitState(wf, ReleaseState.ROLLING_OUT);
    assertTrue(wf.status().stageIndex() >= 1, wf.status().line());
    assertEquals(List.of(), messages(wf.report().audit(), "SAMPLE_RATIO"));
  }
}
