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
