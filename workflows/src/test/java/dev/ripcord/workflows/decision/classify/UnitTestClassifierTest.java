package dev.ripcord.workflows.decision.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ripcord.workflows.decision.Allocation;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.classify.Classified.Kind;
import dev.ripcord.workflows.decision.stats.SequentialTest;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.LeafKind;
import dev.ripcord.workflows.policy.SignalSpec;
import dev.ripcord.workflows.testing.Draws;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Users who stick to one arm: each arm serves a fixed pool of users for the stage, users differ in how active they
 * are and in how often they trigger the signal, and the candidate is identical to the baseline. An output-level test
 * reads the pools' chance difference as a real one, given time; the comparison over users does not, and still finds
 * a candidate that is really worse.
 */
class UnitTestClassifierTest {
  private static final SignalSpec BY_USER = new SignalSpec("hallucination", "rate", "quality", null, 10000, true,
      null, null, "user");

  /** One arm's fixed pool of users: activity (share of the arm's outputs) and propensity (times the base rate). */
  private record Pool(double[] activity, double[] propensity, long[] events, long[] trials) {
    static Pool draw(SplittableRandom rnd, int users) {
      double[] a = new double[users];
      double[] m = new double[users];
      double total = 0;
      for (int u = 0; u < users; u++) {
        a[u] = Math.exp(1.0 * rnd.nextGaussian()); // heavy-tailed activity
        total += a[u];
        m[u] = Draws.gamma(rnd, 0.25) / 0.25; // mean 1, users differ a lot in how often they trigger it
      }
      for (int u = 0; u < users; u++) {
        a[u] /= total;
      }
      return new Pool(a, m, new long[users], new long[users]);
    }

    /** One window of {@code outputs}: the window's counts, with the pool's unit sums since the stage began. */
    Arm window(SplittableRandom rnd, long outputs, double rate) {
      long e = 0;
      long t = 0;
      for (int u = 0; u < activity.length; u++) {
        long tu = Draws.poisson(rnd, outputs * activity[u]);
        long eu = Draws.poisson(rnd, tu * Math.min(1, rate * propensity[u]));
        trials[u] += tu;
        events[u] += eu;
        t += tu;
        e += eu;
      }
      long units = 0;
      double ee = 0;
      double tt = 0;
      double et = 0;
      for (int u = 0; u < activity.length; u++) {
        if (trials[u] > 0) {
          units++;
          ee += (double) events[u] * events[u];
          tt += (double) trials[u] * trials[u];
          et += (double) events[u] * trials[u];
        }
      }
      return Arm.counts(Math.min(e, t), t).withUnits(units, ee, tt, et);
    }
  }

  /** How many of {@code releases} breach within {@code windows}, the candidate's rate {@code factor} times. */
  private static int breaches(SequentialTest.Rules rules, int releases, int windows, double factor, int users,
      long outputs) throws Exception {
    ConditionSpec c = new YAMLMapper().readValue("{signal: hallucination, test: msprt, baselineRatioAbove: 1.0}",
        ConditionSpec.class);
    Classifier k = Classifier.of(LeafKind.of(c, BY_USER));
    int breached = 0;
    for (int release = 0; release < releases; release++) {
      SplittableRandom rnd = new SplittableRandom(20261207L + release);
      Pool cand = Pool.draw(rnd, users);
      Pool base = Pool.draw(rnd, users);
      Leaf leaf = new Leaf("c", "when", new TreeMap<>(), Allocation.of(PolicyBuilder.chat().build()), 1, 1, rules,
          1);
      for (int w = 0; w < windows; w++) {
        Observation o = new Observation("t", null, "canary", Map.of("hallucination", new SignalReading(
            cand.window(rnd, outputs, 0.002 * factor), base.window(rnd, outputs, 0.002), null)), "test", null);
        if (k.classify(leaf, BY_USER, c, o).kind() == Kind.BREACH) {
          breached++;
          break;
        }
      }
    }
    return breached;
  }

  @Test
  void aHealthyCandidateServingOtherUsersIsNotRolledBackWhenTheComparisonIsOverUsers() throws Exception {
    int outputLevel = breaches(SequentialTest.Rules.V4, 40, 240, 1.0, 150, 1_000);
    int overUsers = breaches(SequentialTest.Rules.V5, 40, 240, 1.0, 150, 1_000);
    assertEquals(0, overUsers, "healthy releases rolled back when compared over users");
    assertTrue(outputLevel >= 4, "the output-level test reads the pools' chance difference as real: " + outputLevel
        + " of 40");
  }

  @Test
  void aCandidateThatReallyHallucinatesMoreIsStillFoundOverUsers() throws Exception {
    // A fixed pool holds only so much evidence, however long it is watched: 150 users this different cannot show a
    // doubling surely; 2,000 users can, within the stage.
    int found = breaches(SequentialTest.Rules.V5, 20, 240, 2.0, 2_000, 5_000);
    assertTrue(found >= 18, "a candidate twice as bad, found in " + found + " of 20 releases");
  }

  @Test
  void aWindowWithoutUnitStatisticsIsInconclusiveAndTheExplanationSaysWhatToSend() throws Exception {
    ConditionSpec c = new YAMLMapper().readValue("{signal: hallucination, test: msprt, baselineRatioAbove: 1.0}",
        ConditionSpec.class);
    Leaf leaf = new Leaf("c", "when", new TreeMap<>(), Allocation.of(PolicyBuilder.chat().build()), 1, 1,
        SequentialTest.Rules.V5, 1);
    Classified none = Classifier.of(LeafKind.of(c, BY_USER)).classify(leaf, BY_USER, c, new Observation("t", null,
        "canary", Map.of("hallucination", new SignalReading(Arm.counts(3, 1_000), Arm.counts(2, 1_000), null)),
        "test", null));
    assertEquals(Kind.INCONCLUSIVE, none.kind());
    assertTrue(none.text().contains("no user statistics this window (send units, unitEventsSq, unitTrialsSq and"
        + " unitEventsTrials since the stage began, for both arms)"), none.text());
    Classified some = Classifier.of(LeafKind.of(c, BY_USER)).classify(leaf, BY_USER, c, new Observation("t", null,
        "canary", Map.of("hallucination", new SignalReading(Arm.counts(30, 10_000).withUnits(400, 90, 400_000, 1_200),
        Arm.counts(20, 10_000).withUnits(380, 60, 420_000, 900), null)), "test", null));
    assertTrue(some.text().startsWith("hallucination 30.0/10k over 400 users vs baseline 20.0/10k over 380 users"
        + " since stage 'canary': ratio 1.500"), some.text());
    assertTrue(some.text().contains("variance over users"), some.text());
  }
}
