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
 * Graded scores pushed with their samples: a candidate whose usefulness falls below the margin is rolled back by the
 * always-valid test of means, with the numbers in its trigger; a healthy one is promoted; a value without a sample
 * moves nothing.
 */
class ReleaseScoredTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  private static Map<String, Object> scores(double candidate, long n, double baseline, long nb) {
    return Map.of("signals", Map.of("utility_score", Map.of(
        "candidate", Map.of("value", candidate, "n", n, "sd", 0.25),
        "baseline", Map.of("n", nb, "sum", baseline * nb, "sumSquares", (0.25 * 0.25 * (nb - 1)) + nb * baseline
            * baseline))));
  }

  @Test
  void aLessUsefulCandidateIsRolledBackByTheTestOfMeans() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().utilityTest(0.97, "rollback").build());
    h.env.sleep(Duration.ofSeconds(5));
    wf.observe(json(Map.of("signals", Map.of("utility_score", Map.of("candidate", Map.of("value", 0.7),
        "baseline", Map.of("value", 0.8))))));
    int windows = 0;
    while (windows < 12 && wf.status().state().isWatching()) {
      wf.observe(json(scores(0.736, 200, 0.8, 1_800)));
      h.env.sleep(Duration.ofMinutes(1));
      windows++;
    }
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertTrue(windows > 1, "one window of 200 scores is not evidence enough: " + windows);
    String trigger = messages(r.audit(), "TRIGGER").get(0);
    assertTrue(trigger.contains("utility_score 0.736 (n ") && trigger.contains("vs baseline 0.800 (n ")
        && trigger.contains("always-valid confidence < 0.97"), trigger);
    assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(h.history(r.releaseId()).getEvents()));
  }

  @Test
  void aCandidateAsUsefulAsTheBaselineIsPromoted() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().utilityTest(0.97, "rollback").build());
    h.env.sleep(Duration.ofSeconds(5));
    for (int i = 0; i < 12; i++) {
      wf.observe(json(scores(0.8, 200, 0.8, 1_800)));
      h.env.sleep(Duration.ofMinutes(1));
    }
    h.awaitState(wf, ReleaseState.ROLLING_OUT);
    assertTrue(wf.status().stageIndex() >= 1, "promoted: " + wf.status().line());
    String canary = wf.decisions().get(0).explanation();
    assertTrue(canary.contains("always-valid confidence not < 0.97"), canary);
  }

  @Test
  void aCandidateWorseOnlyOnceExposedIsJudgedSinceItsStageBegan() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().stage("shadow", 0, "30m").stage("canary", 10, "30m")
        .stage("full", 100, "10m").utilityTest(0.97, "rollback").build());
    h.env.sleep(Duration.ofSeconds(5));
    for (int i = 0; i < 30 && wf.status().state() == ReleaseState.SHADOW; i++) {
      wf.observe(json(scores(0.8, 2_000, 0.8, 2_000))); // mirrored requests: as useful as the baseline
      h.env.sleep(Duration.ofMinutes(1));
    }
    h.awaitState(wf, ReleaseState.ROLLING_OUT);
    int windows = 0;
    while (windows < 30 && wf.status().state().isWatching()) {
      wf.observe(json(scores(0.74, 200, 0.8, 1_800)));
      h.env.sleep(Duration.ofMinutes(1));
      windows++;
    }
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    String trigger = messages(r.audit(), "TRIGGER").get(0);
    assertTrue(trigger.contains("since stage 'canary'"), trigger);
    assertTrue(windows <= 10, "found within ten canary windows, not diluted by the shadow's hour: " + windows);
  }

  /** Cumulative counts of {@code n} requests, {@code slow} of them in the slowest buckets (beyond 1 s). */
  private static Map<String, Object> latencies(long n, long slow) {
    long fast = n - slow;
    return Map.of("250", fast * 8 / 10, "500", fast * 95 / 100, "1000", fast, "2500", fast + slow / 2, "+Inf", n);
  }

  @Test
  void aCandidateSlowerOnlyOnceExposedIsJudgedByItsLatencySinceItsStageBegan() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().stage("shadow", 0, "30m").stage("canary", 10, "30m")
        .stage("full", 100, "10m").latencyTest(1.2, "rollback").build());
    h.env.sleep(Duration.ofSeconds(5));
    for (int i = 0; i < 30 && wf.status().state() == ReleaseState.SHADOW; i++) { // mirrored: 0.2 % beyond 1 s
      wf.observe(json(Map.of("signals", Map.of("latency_ms", Map.of("candidate", Map.of("buckets", latencies(2_000,
          4)), "baseline", Map.of("buckets", latencies(2_000, 4)))))));
      h.env.sleep(Duration.ofMinutes(1));
    }
    h.awaitState(wf, ReleaseState.ROLLING_OUT);
    int windows = 0;
    while (windows < 30 && wf.status().state().isWatching()) { // 5 % of the candidate's answers now beyond 1 s
      wf.observe(json(Map.of("signals", Map.of("latency_ms", Map.of("candidate", Map.of("buckets", latencies(200,
          10)), "baseline", Map.of("buckets", latencies(1_800, 4)))))));
      h.env.sleep(Duration.ofMinutes(1));
      windows++;
    }
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    String trigger = messages(r.audit(), "TRIGGER").get(0);
    assertTrue(trigger.contains("latency-regression") && trigger.contains("since stage 'canary'")
        && trigger.contains("interpolated within its bucket"), trigger);
    assertTrue(windows <= 10, "found within ten canary windows, not after paying back the shadow's hour: " + windows);
    assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(h.history(r.releaseId()).getEvents()));
  }
}
