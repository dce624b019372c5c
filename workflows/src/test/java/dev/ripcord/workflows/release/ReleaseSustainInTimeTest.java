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
 * Batches pushed every 10 s to a release whose criterion must hold for 3 minutes ({@code sustain: {for: 3m}}, a 1m
 * interval): each is judged when it arrives, but the breach must last three intervals of time, not three batches, so
 * a spike of 100 s does not act and a lasting one acts once it has lasted.
 */
class ReleaseSustainInTimeTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  private static Map<String, Object> batch(int candidatePer10k) {
    return Map.of("signals", Map.of("hallucination", Map.of("candidate", Map.of("events", candidatePer10k, "trials",
        10_000), "baseline", Map.of("events", 5, "trials", 10_000))));
  }

  /** Pushes {@code count} batches 10 s apart; stops early once the release no longer watches. */
  private void push(ReleaseWorkflow wf, int count, int per10k) {
    for (int i = 0; i < count && wf.status().state().isWatching(); i++) {
      wf.observe(json(batch(per10k)));
      h.env.sleep(Duration.ofSeconds(10));
    }
  }

  @Test
  void aSpikeOf100SecondsPushedEvery10SecondsDoesNotAct() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().inconclusive(1000, null)
        .hallucinationLimitFor(8.0, "rollback", "3m").build());
    h.env.sleep(Duration.ofSeconds(5));
    push(wf, 12, 4); // two healthy minutes
    push(wf, 10, 40); // 100 s at five times the limit: ten batches, counted by batches it would act on the third
    push(wf, 18, 4);
    assertTrue(wf.status().state().isWatching(), wf.status().toString());
    List<String> pending = wf.decisions().stream().map(d -> d.explanation()).filter(m -> m.contains("pending"))
        .toList();
    assertTrue(pending.stream().anyMatch(m -> m.contains("in 2 of last 3 intervals (needs 3 of 3)")), pending.toString());
    assertTrue(pending.stream().noneMatch(m -> m.contains("in 3 of last 3")), pending.toString());
  }

  @Test
  void aLastingBreachActsOnceItHasLastedThreeIntervals() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().inconclusive(1000, null)
        .hallucinationLimitFor(8.0, "rollback", "3m").build());
    h.env.sleep(Duration.ofSeconds(5));
    long first = h.env.currentTimeMillis();
    push(wf, 60, 40);
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    String trigger = messages(r.audit(), "TRIGGER").get(0);
    assertTrue(trigger.contains("in 3 of last 3 intervals (needs 3 of 3)"), trigger);
    long fired = java.time.Instant.parse(r.audit().stream().filter(e -> e.kind().equals("TRIGGER")).findFirst()
        .orElseThrow().at()).toEpochMilli();
    assertTrue(fired - first >= Duration.ofMinutes(2).toMillis() && fired - first < Duration.ofMinutes(3).toMillis(),
        "three intervals: the third begins two minutes after the first batch; fired after " + (fired - first) + " ms");
    assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(h.history(r.releaseId()).getEvents()));
  }
}
