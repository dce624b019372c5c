package dev.ripcord.workflows.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.decision.JudgeHealth.JudgeState;
import dev.ripcord.workflows.decision.Observation.JudgeReading;
import dev.ripcord.workflows.policy.JudgeSpec;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** When a judge can be trusted, window by window, without Temporal. */
class JudgeHealthTest {
  private static final JudgeSpec JUDGE = new JudgeSpec("grounding-judge", "gj-3", 0.05, 0.8, 10);

  private static JudgeState step(JudgeState was, JudgeReading r) {
    return JudgeHealth.assess(JUDGE, was, r);
  }

  @Test
  void aHealthyJudgeIsTrustedAndItsLabelsAccumulate() {
    JudgeState s = step(JudgeState.fresh("gj-3"), new JudgeReading("gj-3", 100L, 2L, 6L, 6L));
    assertNull(s.unreliable());
    s = step(s, new JudgeReading(null, 100L, 0L, 6L, 5L));
    assertNull(s.unreliable(), "11 of 12 labels agree: above 80 %");
    assertEquals(12, s.labelled());
    assertEquals(11, s.agreed());
  }

  @Test
  void failingCallsLowAgreementAMissingReadingOrAnotherVersionMakeItUnreliable() {
    JudgeState failing = step(JudgeState.fresh("gj-3"), new JudgeReading("gj-3", 100L, 12L, null, null));
    assertEquals("failing: 12 of 100 calls errored or timed out (12.0 %, at most 5.0 %)", failing.unreliable());

    JudgeState few = step(JudgeState.fresh("gj-3"), new JudgeReading("gj-3", 100L, 0L, 8L, 4L));
    assertNull(few.unreliable(), "8 labels are fewer than minLabels: agreement not judged yet");
    JudgeState disagreeing = step(few, new JudgeReading("gj-3", 100L, 0L, 4L, 2L));
    assertEquals("agrees with human labels on 50.0 % of 12 calibration labels (at least 80.0 %)",
        disagreeing.unreliable());

    assertEquals("no health reading this window (calls and errors), so its error rate is unknown",
        step(JudgeState.fresh("gj-3"), null).unreliable());

    JudgeState other = step(few, new JudgeReading("gj-4", 100L, 0L, 50L, 50L));
    assertTrue(other.unreliable().startsWith("version gj-4 scored this window, but the release's evidence is for"
        + " gj-3"), other.unreliable());
    assertEquals(8, other.labelled(), "another version's labels are not mixed in");
    assertEquals("gj-4", other.lastVersion());
    JudgeState back = step(other, new JudgeReading("gj-3", 100L, 1L, 0L, 0L));
    assertNull(back.unreliable());
    assertEquals("gj-3", back.lastVersion());
  }

  @Test
  void aPolicyWithoutJudgesCarriesNoJudgeState() {
    assertNull(JudgeHealth.assess(PolicyBuilder.chat().build(), null, Observation.empty("t", "canary", "x")));
    ReleasePolicy judged = PolicyBuilder.chat().judge(JUDGE).build();
    TreeMap<String, JudgeState> s = JudgeHealth.assess(judged, null, new Observation("t", null, "canary", Map.of(),
        "x", null, Map.of("grounding-judge", new JudgeReading("gj-3", 10L, 0L, null, null))));
    assertEquals(Map.of("grounding-judge", new JudgeState(0, 0, null, "gj-3")), s);
  }
}
