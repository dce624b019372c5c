package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.activity.ObservationActivities.ObservationRequest;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import dev.ripcord.workflows.testing.ScriptedObservations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Coverage, not just streaks: a stage is promoted only on enough conclusive windows ({@code evaluation.minCoverage}),
 * and evidence missing in most windows fires the inconclusive fallback over {@code evaluation.inconclusiveSpan}.
 */
class ReleaseEvidenceTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  /** Too few candidate samples for the criterion's minSamples (1000): an inconclusive window. */
  private static Observation thin(ObservationRequest r) {
    return new Observation(r.to(), r.from(), r.stage(), Map.of("hallucination",
        new SignalReading(Arm.counts(0, 200), Arm.counts(5, 10_000), null),
        "latency_p99_ms", new SignalReading(Arm.value(400), null, null)), "scripted", null);
  }

  private static Instant at(ReleaseReport r, String message) {
    return Instant.parse(r.audit().stream().filter(e -> e.message().startsWith(message)).findFirst()
        .orElseThrow(() -> new AssertionError(message + " not in " + r.audit())).at());
  }

  @Test
  void aStageWhoseEvidenceHasNotArrivedBakesOnUntilItHas() {
    h.observations.script(r -> r.window() <= 8 ? thin(r) : ScriptedObservations.window(r, 5, 400));
    ReleaseReport r = h.result(h.start(PolicyBuilder.chat().inconclusive(1000, null).build()));

    assertEquals(ReleaseState.COMPLETED, r.state());
    assertTrue(messages(r.audit(), "STATE").contains("stage 'canary' has baked, but not on enough evidence:"
        + " hallucination-limit: 1 of 9 windows conclusive (needs 50 %, evaluation.minCoverage); it bakes on until"
        + " the evidence arrives or the inconclusive rules act"), messages(r.audit(), "STATE").toString());
    Duration canary = Duration.between(at(r, "stage canary:"), at(r, "stage full:"));
    assertTrue(canary.compareTo(Duration.ofMinutes(16)) >= 0 && canary.compareTo(Duration.ofMinutes(17)) < 0,
        "promoted once 8 of 16 windows were conclusive, not at the 10-minute bake: " + canary);
  }

  @Test
  void evidenceMissingInFourOfEveryFiveWindowsFiresTheFallback() {
    h.observations.script(r -> r.window() % 5 == 0 ? ScriptedObservations.window(r, 5, 400) : thin(r));
    // maxInconclusive 5, onInconclusive pause-and-investigate
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build());
    h.awaitState(wf, ReleaseState.PAUSED_FOR_INVESTIGATION);
    ReleaseReport r = h.result(wf); // nobody resumes: the resume right's deadline rolls back

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    List<String> triggers = messages(r.audit(), "DECISION");
    assertTrue(triggers.stream().anyMatch(m -> m.contains("no conclusive data") && m.contains("5 of the last 7"
        + " windows inconclusive, limit 5 reached")), triggers.toString());
  }
}
