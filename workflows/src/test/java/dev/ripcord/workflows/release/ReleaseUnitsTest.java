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
 * Pushed windows whose arms carry their users' statistics since the stage began: a candidate whose users are flagged
 * twice as often is rolled back with the comparison over users in its trigger; unit statistics on a signal that
 * declares no unit are refused into the audit log.
 */
class ReleaseUnitsTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  /**
   * One window of the candidate's {@code outputs} from its {@code users} equally active users, nine times as many for
   * the baseline, the candidate's flagged {@code factor} times as often; unit sums since the stage began, after
   * {@code w + 1} windows.
   */
  private static Map<String, Object> window(int w, long users, long outputs, double factor) {
    return Map.of("signals", Map.of("flagged", Map.of("candidate", arm(w, users, outputs, 0.004 * factor),
        "baseline", arm(w, users * 9, outputs * 9, 0.004)))); // the canary's 10 : 90 split
  }

  private static Map<String, Object> arm(int w, long users, long outputs, double rate) {
    double t = (double) outputs * (w + 1) / users; // each user's outputs so far
    double e = t * rate; // and events: every user alike, half of them at twice the rate, half at none
    long events = Math.round(outputs * rate);
    return Map.of("events", events, "trials", outputs, "units", users, "unitEventsSq",
        users / 2.0 * (2 * e) * (2 * e), "unitTrialsSq", users * t * t, "unitEventsTrials", users / 2.0 * 2 * e * t);
  }

  @Test
  void aCandidateWhoseUsersAreFlaggedTwiceAsOftenIsRolledBackOnTheComparisonOverUsers() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().byUser("rollback").build());
    h.env.sleep(Duration.ofSeconds(5));
    int windows = 0;
    while (windows < 30 && wf.status().state().isWatching()) {
      wf.observe(json(window(windows, 1_000, 2_500, 2.0)));
      h.env.sleep(Duration.ofMinutes(1));
      windows++;
    }
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    String trigger = messages(r.audit(), "TRIGGER").stream().findFirst().orElse(r.audit().toString());
    assertTrue(trigger.contains("flagged-vs-baseline") && trigger.contains("over 1,000 users vs baseline")
        && trigger.contains("variance over users"), trigger);
    assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(h.history(r.releaseId()).getEvents()));
  }

  /**
   * One window of latency histograms, 1,000 of the candidate's requests from {@code users} equally active users and
   * nine times as many for the baseline (p99 1,000 ms): 6 % of the candidate's requests between 1,000 and 2,000 ms,
   * all from half its users. The candidate's sums by bound since the stage began, after {@code w + 1} windows.
   */
  private static Map<String, Object> latencyWindow(int w, long users) {
    double t = 1_000.0 * (w + 1) / users; // each user's requests so far
    double[] slowHalf = {0.70, 0.88, 1, 1}; // share of a user's requests up to 500, 1000, 2000, +Inf
    double[] fastHalf = {1.00, 1.00, 1, 1};
    String[] bounds = {"500", "1000", "2000", "+Inf"};
    Map<String, Double> sq = new java.util.LinkedHashMap<>();
    Map<String, Double> cross = new java.util.LinkedHashMap<>();
    for (int b = 0; b < bounds.length; b++) {
      sq.put(bounds[b], users / 2.0 * t * t * (slowHalf[b] * slowHalf[b] + fastHalf[b] * fastHalf[b]));
      cross.put(bounds[b], users / 2.0 * t * t * (slowHalf[b] + fastHalf[b]));
    }
    return Map.of("signals", Map.of("latency_ms", Map.of(
        "candidate", Map.of("buckets", Map.of("500", 850, "1000", 940, "2000", 1000, "+Inf", 1000), "units", users,
            "unitBucketsSq", sq, "unitBucketsTrials", cross),
        "baseline", Map.of("buckets", Map.of("500", 8100, "1000", 8910, "2000", 9000, "+Inf", 9000)))));
  }

  @Test
  void aCandidateWhoseUsersWaitTooLongIsRolledBackOnItsSlowShareOverUsers() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().latencyTest(1.2, "rollback").sharesByUser().build());
    h.env.sleep(Duration.ofSeconds(5));
    int windows = 0;
    while (windows < 30 && wf.status().state().isWatching()) {
      wf.observe(json(latencyWindow(windows, 200)));
      h.env.sleep(Duration.ofMinutes(1));
      windows++;
    }
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    String trigger = messages(r.audit(), "TRIGGER").stream().findFirst().orElse(r.audit().toString());
    assertTrue(trigger.contains("latency-regression") && trigger.contains("requests of 200 users since stage")
        && trigger.contains("1.20 × baseline p99 1000") && trigger.contains("variance over users"), trigger);
    assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(h.history(r.releaseId()).getEvents()));
  }

  @Test
  void aCandidateWorseOnMostDiscordantPairsIsRolledBackOnTheSplitOverUsers() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().pairedJudge("rollback").sharesByUser().build());
    h.env.sleep(Duration.ofSeconds(5));
    int windows = 0;
    long users = 300;
    while (windows < 30 && wf.status().state().isWatching()) {
      double w = 30.0 * (windows + 1) / users; // each user's candidate-worse pairs so far, on average
      double d = 40.0 * (windows + 1) / users; // and discordant pairs
      wf.observe(json(Map.of("signals", Map.of("judged_bad", Map.of("pairs", Map.of("candidateWorse", 30,
          "baselineWorse", 10, "concordant", 960, "units", users, "unitWorseSq", users / 2.0 * (2.25 + 0.25) * w * w,
          "unitDiscordantSq", users * d * d, "unitWorseDiscordant", users * w * d))))));
      h.env.sleep(Duration.ofMinutes(1));
      windows++;
    }
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    String trigger = messages(r.audit(), "TRIGGER").stream().findFirst().orElse(r.audit().toString());
    assertTrue(trigger.contains("same-prompt-quality") && trigger.contains("from 300 users since stage")
        && trigger.contains("variance over users"), trigger);
  }

  @Test
  void unitStatisticsOnASignalWithoutAUnitAreRefusedIntoTheAuditLog() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().build());
    h.env.sleep(Duration.ofSeconds(5));
    wf.observe(json(Map.of("signals", Map.of("hallucination", Map.of("candidate", Map.of("events", 3, "trials",
        10_000, "units", 300, "unitEventsSq", 9, "unitTrialsSq", 400_000, "unitEventsTrials", 100))))));
    h.env.sleep(Duration.ofSeconds(5));
    List<String> refused = wf.audit().stream().filter(e -> e.kind().equals("REFUSED")).map(e -> e.message())
        .toList();
    assertTrue(refused.stream().anyMatch(m -> m.contains("signals.hallucination.candidate: units, unitEventsSq,"
        + " unitTrialsSq and unitEventsTrials are for signals that declare a unit (hallucination declares none)")),
        refused.toString());
  }
}
