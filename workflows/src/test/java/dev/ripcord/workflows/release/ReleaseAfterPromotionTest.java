package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import dev.ripcord.workflows.testing.ScriptedObservations;
import io.temporal.common.converter.RawValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A watch that does not end at 100 %: with {@code evaluation.afterPromotion}, the release keeps a holdout on the
 * baseline and keeps evaluating (late labels included) before it completes, and rolls back from there.
 */
class ReleaseAfterPromotionTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  @Test
  void aHealthyReleaseKeepsAHoldoutWhileItIsWatchedThenReleasesIt() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().afterPromotion(2, "30m").build());
    h.awaitState(wf, ReleaseState.WATCHING_AFTER_PROMOTION);
    assertEquals("after-promotion", wf.status().stage());
    assertEquals(98, wf.status().weight());
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.COMPLETED, r.state());
    assertEquals(List.of(10, 100, 98, 100), h.router.effectiveWeights());
    assertTrue(messages(r.audit(), "STATE").contains("ROLLING_OUT → WATCHING_AFTER_PROMOTION: every stage promoted;"
        + " watching on for 30m with the candidate at 98 % and 2 % held out on the baseline"),
        messages(r.audit(), "STATE").toString());
    assertTrue(messages(r.audit(), "ACTION").stream().anyMatch(m -> m.startsWith("post-promotion watch over: the"
        + " holdout is released: candidate 98 → 100 %")), messages(r.audit(), "ACTION").toString());
  }

  @Test
  void aRegressionSeenOnlyAgainstTheHoldoutRollsBack() {
    h.observations.script(r -> ScriptedObservations.window(r, r.stage().equals("after-promotion") ? 30 : 5, 400));
    ReleaseReport r = h.result(h.start(PolicyBuilder.chat().afterPromotion(2, "30m").build()));

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertEquals(List.of(10, 100, 98, 10, 0), h.router.effectiveWeights());
  }

  @Test
  void lateLabelsForTheFullStageStillActDuringTheWatch() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().inconclusive(1000, null).promotesOnTime()
        .afterPromotion(0, "6h").build());
    h.awaitState(wf, ReleaseState.WATCHING_AFTER_PROMOTION);
    for (int i = 0; i < 2; i++) { // rated hours later: 30 hallucinations per 10k answers served at 100 %
      RawValue late = ReleaseHarness.json(Map.of("stage", "full", "t", "2020-01-01T00:00:00Z", "signals",
          Map.of("hallucination", Map.of("candidate", Map.of("events", 30, "trials", 10_000)))));
      wf.observe(late);
      h.env.sleep(Duration.ofSeconds(1));
    }
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    assertTrue(messages(r.audit(), "TRIGGER").get(0).startsWith("hallucination-limit fired"),
        messages(r.audit(), "TRIGGER").toString());
  }
}
