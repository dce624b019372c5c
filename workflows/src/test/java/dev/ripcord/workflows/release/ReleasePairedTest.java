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
 * A shadow stage where candidate and baseline answer the same prompts: pushed {@code paired} windows are judged on
 * their discordant pairs, a worse candidate is rolled back before any user sees it, and malformed pairs are refused
 * without failing the workflow.
 */
class ReleasePairedTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  private static PolicyBuilder shadowed() {
    return PolicyBuilder.chat().pushed().stage("shadow", 0, "10m").stage("canary", 10, "10m")
        .stage("full", 100, "10m").pairedJudge("rollback");
  }

  private static Map<String, Object> pairs(long worse, long better, long concordant) {
    return Map.of("signals", Map.of("judged_bad", Map.of("pairs", Map.of("candidateWorse", worse, "baselineWorse",
        better, "concordant", concordant))));
  }

  @Test
  void aCandidateWorseOnTheSamePromptsIsRolledBackInShadow() {
    ReleaseWorkflow wf = h.start(shadowed().build());
    h.env.sleep(Duration.ofSeconds(5));
    wf.observe(json(Map.of("signals", Map.of("judged_bad", Map.of("candidate", Map.of("events", 3, "trials", 10))))));
    wf.observe(json(Map.of("signals", Map.of("judged_bad", Map.of("pairs", Map.of("candidateWorse", -1,
        "baselineWorse", 2, "concordant", 10))))));
    for (int i = 0; i < 6; i++) {
      wf.observe(json(pairs(14, 4, 482)));
    }
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertEquals(List.of(), h.router.effectiveWeights().stream().filter(w -> w > 0).toList(),
        "never exposed to users");
    String trigger = messages(r.audit(), "TRIGGER").get(0);
    assertTrue(trigger.contains("judged_bad: candidate worse on 14, baseline worse on 4 of 500 same-prompt pairs"
        + " this window") && trigger.contains("mSPRT on discordant pairs log-LR") && trigger.contains(">= 6.91"),
        trigger);
    List<String> refused = messages(r.audit(), "REFUSED");
    assertTrue(refused.get(0).contains("signals.judged_bad.pairs is required (judged_bad is paired)"),
        refused.toString());
    assertTrue(refused.get(1).contains("signals.judged_bad.pairs.candidateWorse must be a whole number of prompts"),
        refused.toString());
    assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(h.history(r.releaseId()).getEvents()));
  }

  @Test
  void anEvenSplitPromotesOutOfShadow() {
    ReleaseWorkflow wf = h.start(shadowed().build());
    h.env.sleep(Duration.ofSeconds(5));
    for (int i = 0; i < 12; i++) {
      wf.observe(json(pairs(5, 5, 490)));
      h.env.sleep(Duration.ofMinutes(1));
    }
    h.awaitState(wf, ReleaseState.ROLLING_OUT);
    assertTrue(wf.status().stageIndex() >= 1, "promoted out of shadow: " + wf.status().line());
    assertTrue(wf.status().lastExplanation().contains("same-prompt pairs"), wf.status().lastExplanation());
  }
}
