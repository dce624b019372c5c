package dev.ripcord.workflows.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.policy.Stickiness;
import dev.ripcord.workflows.testing.PolicyBuilder;
import org.junit.jupiter.api.Test;

/**
 * The sample-ratio guard behind a router that hashes users onto a ring: a split within the tolerated band of the
 * weight is as right as the weight itself (rarely flagged, however long the stage), a split outside it is still found.
 */
class SampleRatioToleranceTest {
  private static final double TOLERANCE = SampleRatio.STICKY_TOLERANCE;

  @Test
  void withoutToleranceTheBayesFactorIsThePlainOne() {
    for (long[] x : new long[][] {{0, 0}, {70, 930}, {700, 19_300}, {2_750, 7_250}}) {
      assertEquals(SampleRatio.logBayesFactor(x[0], x[1], 0.25), SampleRatio.logBayesFactor(x[0], x[1], 0.25, 0));
    }
    assertTrue(SampleRatio.logBayesFactor(2_750, 7_250, 0.25, TOLERANCE)
        < SampleRatio.logBayesFactor(2_750, 7_250, 0.25), "a band makes the split less surprising, never more");
  }

  @Test
  void aSplitAtTheEdgeOfTheBandIsRarelyFlaggedHoweverLongTheStageRuns() {
    int flagged = 0;
    for (long seed = 0; seed < 300; seed++) {
      if (SampleRatioTest.firstFlag(seed, 25, 0.25 * (1 + TOLERANCE), TOLERANCE, 120, 500) > 0) {
        flagged++;
      }
    }
    assertTrue(flagged <= 3, flagged + " of 300 splits at the band's edge (28.75 % at 25) flagged at α = 1e-3");
  }

  @Test
  void theRingsImbalanceIsAMismatchOnlyWithoutTolerance() {
    // HAProxy's consistent hashing put 27.5 % of users on the candidate at weight 25 (HaproxyRouterIT's ring).
    int exact = 0;
    int tolerant = 0;
    for (long seed = 0; seed < 20; seed++) {
      exact += SampleRatioTest.firstFlag(seed, 25, 0.275, 0, 60, 500) > 0 ? 1 : 0;
      tolerant += SampleRatioTest.firstFlag(seed, 25, 0.275, TOLERANCE, 60, 500) > 0 ? 1 : 0;
    }
    assertTrue(exact >= 19, exact + " of 20 stages of 30,000 users at 27.5 % for 25 % flagged with no tolerance");
    assertEquals(0, tolerant, "within 15 % of the weight, none is");
  }

  @Test
  void tenPercentServedAsEightIsStillFound() {
    int found = 0;
    for (long seed = 0; seed < 20; seed++) {
      found += SampleRatioTest.firstFlag(seed, 10, 0.08, TOLERANCE, 120, 2_000) > 0 ? 1 : 0;
    }
    assertTrue(found >= 19, found + " of 20 stages at 8 % for 10 % found outside the 8.5–11.5 % band");
    SampleRatio.State s = null;
    for (int w = 0; w < 10; w++) {
      s = SampleRatio.observe(s, "canary", 10, false, SampleRatioTest.window(1_600, 18_400), 1e-3, TOLERANCE);
    }
    assertNotNull(s.mismatch(), "200,000 outputs at 8.0 %");
    assertTrue(s.mismatch().contains("router weight 10 ± 1.5 %"), s.mismatch());
  }

  @Test
  void stickyRoutersTolerateTheRingAndAPolicyCanSayOtherwise() throws Exception {
    RouterSpec sticky = new RouterSpec("http", "http://gateway:8080", "chat", null, new Stickiness("X-User-Id", null));
    assertEquals(0, SampleRatio.tolerance(PolicyBuilder.chat().build()));
    assertEquals(TOLERANCE, SampleRatio.tolerance(PolicyBuilder.chat().router(sticky).build()));
    ObjectMapper json = new ObjectMapper();
    ObjectNode tree = json.valueToTree(PolicyBuilder.chat().router(sticky).build());
    ((ObjectNode) tree.get("evaluation")).putObject("sampleRatio").put("tolerance", 0.0);
    ReleasePolicy exact = json.treeToValue(tree, ReleasePolicy.class);
    assertEquals(0, SampleRatio.tolerance(exact));
    assertNull(SampleRatio.observe(null, "full", 100, false, SampleRatioTest.window(1, 1), 1e-3, TOLERANCE), "no split at 100 %");
  }
}
