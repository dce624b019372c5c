package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.policy.JudgeSpec;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A signal scored by an LLM judge: while the judge fails, disagrees with people or is another version than the
 * release's evidence is for, criteria on the signal are inconclusive, never healthy and never a breach, and the audit
 * says why.
 */
class ReleaseJudgeTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();
  private static final JudgeSpec JUDGE = new JudgeSpec("grounding-judge", "gj-3", 0.05, 0.8, 20);

  private static Map<String, Object> window(long hallucinations, String judgeVersion, long errors, long labelled,
      long agreed) {
    return Map.of("signals", Map.of("hallucination", Map.of("candidate", Map.of("events", hallucinations, "trials",
            10000), "baseline", Map.of("events", 5, "trials", 10000))),
        "judges", Map.of("grounding-judge", Map.of("version", judgeVersion, "calls", 200, "errors", errors,
            "labelled", labelled, "agreed", agreed)));
  }

  @Test
  void aFailingJudgeMakesItsCriteriaInconclusiveSoTheReleasePausesInsteadOfTrustingIt() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().judge(JUDGE).build());
    h.env.sleep(Duration.ofSeconds(5));
    wf.observe(json(window(5, "gj-3", 0, 10, 10)));
    h.env.sleep(Duration.ofMinutes(1));
    for (int i = 0; i < 6; i++) {
      wf.observe(json(window(40, "gj-3", 30, 0, 0))); // the judge times out on 15 % of its calls
      h.env.sleep(Duration.ofMinutes(1));
    }
    h.awaitState(wf, ReleaseState.PAUSED_FOR_INVESTIGATION);
    assertEquals(List.of(10), h.router.effectiveWeights(), "no rollback on evidence the judge cannot vouch for");
    List<String> judge = messages(wf.audit(), "JUDGE");
    assertTrue(judge.get(0).startsWith("judge unreliable: grounding-judge failing: 30 of 200 calls errored or timed"
        + " out (15.0 %, at most 5.0 %) (window 2); criteria on [hallucination] are inconclusive until it"
        + " recovers"), judge.toString());
    assertEquals(1, judge.size(), "said once, not every window: " + judge);
    assertTrue(wf.status().lastExplanation().contains("hallucination: judge unreliable: grounding-judge failing"),
        wf.status().lastExplanation());
    wf.rollback(dev.ripcord.workflows.testing.ReleaseHarness.person("alice@example.com", null)); // people decide
    assertEquals(ReleaseState.ROLLED_BACK, h.result(wf).state());
  }

  @Test
  void aJudgeThatChangesVersionMidReleaseIsAuditedAndItsWindowsAreNotMixedIn() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().judge(JUDGE).stage("canary", 10, "6m")
        .stage("full", 100, "6m").build());
    h.env.sleep(Duration.ofSeconds(5));
    String[] versions = {"gj-3", "gj-3", "gj-4", "gj-4", "gj-3", "gj-3", "gj-3", "gj-3", "gj-3", "gj-3", "gj-3",
        "gj-3", "gj-3", "gj-3", "gj-3", "gj-3"};
    for (String v : versions) {
      if (wf.status().state() == ReleaseState.COMPLETED) {
        break;
      }
      // gj-4 would call every answer a hallucination; its windows must not count.
      wf.observe(json(window(v.equals("gj-4") ? 60 : 5, v, 0, 5, 5)));
      h.env.sleep(Duration.ofMinutes(1));
    }
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.COMPLETED, r.state(), r.audit().toString());
    List<String> judge = messages(r.audit(), "JUDGE");
    assertTrue(judge.get(0).startsWith("judge grounding-judge changed version gj-3 → gj-4 in window 3; the release's"
        + " evidence is for gj-3, so windows it scores are not counted and nothing is reset or mixed"),
        judge.toString());
    assertTrue(judge.get(1).startsWith("judge unreliable: grounding-judge version gj-4 scored this window"),
        judge.toString());
    assertTrue(judge.get(2).startsWith("judge grounding-judge changed version gj-4 → gj-3 in window 5"),
        judge.toString());
    assertTrue(judge.get(3).startsWith("judge grounding-judge reliable again (window 5)"), judge.toString());
    assertTrue(messages(r.audit(), "TRIGGER").isEmpty(), "gj-4's 60/10k never counted: " + r.audit());
  }
}
