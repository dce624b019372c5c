package dev.ripcord.workflows.decision.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ripcord.workflows.decision.Allocation;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.Pairs;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.classify.Classified.Kind;
import dev.ripcord.workflows.decision.stats.SequentialTest;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.LeafKind;
import dev.ripcord.workflows.policy.SignalSpec;
import dev.ripcord.workflows.testing.Draws;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A quantile's share beyond its point and a paired signal's split of discordant pairs, over units: each stage serves
 * a fixed set of users, users differ in how active they are and in how often their requests are slow (or their
 * prompts go the candidate's way), and the candidate is as good as allowed. Output by output a test reads the set's
 * chance lean as the candidate's, given time; over users it does not, and still finds a candidate that is worse.
 */
class UnitSharesClassifierTest {
  private static final SignalSpec LATENCY = new SignalSpec("latency", "quantile", "operational", null, null, true,
      null, null, "user");
  private static final SignalSpec PAIRED = new SignalSpec("judged_bad", "paired", "quality", null, null, null, null,
      null, "user");
  private static final double LIMIT = 2000;
  private static final String[] BOUNDS = {"1000", "2000", "4000", "+Inf"};

  /**
   * A fixed set of users: activity (share of the outputs), lean (times the base probability of a slow request, mean
   * 1) and side (the probability that the user's discordant pair is the candidate's, Beta(μ, 1 − μ): mean μ, and
   * users differ as much as a coin's bias can).
   */
  private record Users(double[] activity, double[] lean, double[] side, long[][] counts) {
    static Users draw(SplittableRandom rnd, int users, int cells, double sideMean) {
      double[] a = new double[users];
      double[] m = new double[users];
      double[] p = new double[users];
      double total = 0;
      for (int u = 0; u < users; u++) {
        a[u] = Math.exp(rnd.nextGaussian());
        total += a[u];
        m[u] = Draws.gamma(rnd, 0.25) / 0.25;
        double x = Draws.gamma(rnd, sideMean);
        p[u] = x / (x + Draws.gamma(rnd, 1 - sideMean));
      }
      for (int u = 0; u < users; u++) {
        a[u] /= total;
      }
      return new Users(a, m, p, new long[users][cells]);
    }

    /**
     * One window of a latency histogram: each request beyond {@link #LIMIT} with probability {@code slow} times the
     * user's lean, else half below 1,000 and half up to 2,000; slow ones up to 4,000, one in ten beyond. The window's
     * buckets with the users' sums by bound since the stage began.
     */
    Arm latency(SplittableRandom rnd, long outputs, double slow) {
      long[] window = new long[BOUNDS.length];
      for (int u = 0; u < activity.length; u++) {
        long t = Draws.poisson(rnd, outputs * activity[u]);
        for (long i = 0; i < t; i++) {
          int b = rnd.nextDouble() < Math.min(1, slow * lean[u]) ? (rnd.nextDouble() < 0.9 ? 2 : 3)
              : (rnd.nextBoolean() ? 0 : 1);
          counts[u][b]++;
          window[b]++;
        }
      }
      Map<String, Long> buckets = new LinkedHashMap<>();
      Map<String, Double> sq = new LinkedHashMap<>();
      Map<String, Double> cross = new LinkedHashMap<>();
      long cumulative = 0;
      long units = 0;
      for (int b = 0; b < BOUNDS.length; b++) {
        cumulative += window[b];
        buckets.put(BOUNDS[b], cumulative);
        double s = 0;
        double x = 0;
        for (long[] c : counts) {
          long upTo = 0;
          long all = 0;
          for (int i = 0; i < BOUNDS.length; i++) {
            upTo += i <= b ? c[i] : 0;
            all += c[i];
          }
          s += (double) upTo * upTo;
          x += (double) upTo * all;
          units += b == 0 && all > 0 ? 1 : 0;
        }
        sq.put(BOUNDS[b], s);
        cross.put(BOUNDS[b], x);
      }
      return Arm.buckets(buckets).withUnitBuckets(units, sq, cross);
    }

    /**
     * One window of same-prompt pairs: each prompt discordant with probability 0.05, the candidate's side with the
     * user's probability; the window's counts with the users' sums since the stage began.
     */
    Pairs pairs(SplittableRandom rnd, long outputs) {
      long w = 0;
      long d = 0;
      long all = 0;
      for (int u = 0; u < activity.length; u++) {
        long t = Draws.poisson(rnd, outputs * activity[u]);
        for (long i = 0; i < t; i++) {
          if (rnd.nextDouble() < 0.05) {
            boolean cand = rnd.nextDouble() < side[u];
            counts[u][0] += cand ? 1 : 0;
            counts[u][1]++;
            w += cand ? 1 : 0;
            d++;
          }
        }
        counts[u][2] += t;
        all += t;
      }
      long units = 0;
      double ww = 0;
      double dd = 0;
      double wd = 0;
      for (long[] c : counts) {
        units += c[2] > 0 ? 1 : 0;
        ww += (double) c[0] * c[0];
        dd += (double) c[1] * c[1];
        wd += (double) c[0] * c[1];
      }
      return new Pairs(w, d - w, all - d).withUnits(units, ww, dd, wd);
    }
  }

  private static Leaf leaf(SequentialTest.Rules rules) {
    return new Leaf("c", "when", new TreeMap<>(), Allocation.of(PolicyBuilder.chat().build()), 1, 1, rules, 1);
  }

  /** The baseline's window: 10,000 requests, p99 at {@link #LIMIT} exactly. */
  private static final Arm BASELINE = Arm.buckets(Map.of("1000", 4_950L, "2000", 9_900L, "4000", 9_990L, "+Inf",
      10_000L));

  /** How many of {@code releases} breach within {@code windows}: p99 against the baseline's, slow share given. */
  private static int latencyBreaches(SequentialTest.Rules rules, int releases, int windows, double slow, int users,
      long outputs) throws Exception {
    ConditionSpec c = new YAMLMapper().readValue("{signal: latency, quantile: 0.99, baselineRatioAbove: 1.0, test:"
        + " msprt}", ConditionSpec.class);
    Classifier k = Classifier.of(LeafKind.of(c, LATENCY));
    int breached = 0;
    for (int release = 0; release < releases; release++) {
      SplittableRandom rnd = new SplittableRandom(20261208L + release);
      Users cand = Users.draw(rnd, users, BOUNDS.length, 0.5);
      Leaf leaf = leaf(rules);
      for (int w = 0; w < windows; w++) {
        Observation o = new Observation("t", null, "canary", Map.of("latency", new SignalReading(
            cand.latency(rnd, outputs, slow), BASELINE, null)), "test", null);
        if (k.classify(leaf, LATENCY, c, o).kind() == Kind.BREACH) {
          breached++;
          break;
        }
      }
    }
    return breached;
  }

  /** How many of {@code releases} breach within {@code windows}: the candidate's side of discordant pairs. */
  private static int pairedBreaches(SequentialTest.Rules rules, int releases, int windows, double worse, int users,
      long outputs) {
    ConditionSpec c = new ConditionSpec("judged_bad", null, null, 1.0, null, null, null, null, null, null, "msprt",
        null, null, null, null, null);
    Classifier k = Classifier.of(LeafKind.of(c, PAIRED));
    int breached = 0;
    for (int release = 0; release < releases; release++) {
      SplittableRandom rnd = new SplittableRandom(20261209L + release);
      Users set = Users.draw(rnd, users, 3, worse);
      Leaf leaf = leaf(rules);
      for (int w = 0; w < windows; w++) {
        Observation o = new Observation("t", null, "canary", Map.of("judged_bad", new SignalReading(null, null, null,
            set.pairs(rnd, outputs))), "test", null);
        if (k.classify(leaf, PAIRED, c, o).kind() == Kind.BREACH) {
          breached++;
          break;
        }
      }
    }
    return breached;
  }

  @Test
  void aCandidateAsFastAsAllowedIsNotRolledBackWhenItsSlowRequestsAreCountedOverUsers() throws Exception {
    int outputLevel = latencyBreaches(SequentialTest.Rules.V6, 30, 240, 0.01, 150, 1_000);
    int overUsers = latencyBreaches(SequentialTest.Rules.V7, 30, 240, 0.01, 150, 1_000);
    assertEquals(0, overUsers, "releases at the allowed 1 % beyond the limit rolled back over users");
    assertTrue(outputLevel >= 5, "output by output a few slow users read as a slow candidate: " + outputLevel
        + " of 30");
  }

  @Test
  void aCandidateWithTwiceTheSlowRequestsIsStillFoundOverUsers() throws Exception {
    int found = latencyBreaches(SequentialTest.Rules.V7, 15, 240, 0.02, 2_000, 5_000);
    assertTrue(found >= 14, "twice the slow share, found in " + found + " of 15 releases");
  }

  @Test
  void pairsThatSplitEvenlyOverAllUsersAreNotRolledBackWhenCountedOverUsers() {
    int outputLevel = pairedBreaches(SequentialTest.Rules.V6, 30, 240, 0.5, 150, 1_000);
    int overUsers = pairedBreaches(SequentialTest.Rules.V7, 30, 240, 0.5, 150, 1_000);
    assertEquals(0, overUsers, "even splits rolled back over users");
    assertTrue(outputLevel >= 5, "output by output a few leaning users read as a worse candidate: " + outputLevel
        + " of 30");
  }

  @Test
  void aCandidateWorseOnTwoThirdsOfDiscordantPairsIsStillFoundOverUsers() {
    int found = pairedBreaches(SequentialTest.Rules.V7, 15, 240, 2.0 / 3, 2_000, 5_000);
    assertTrue(found >= 14, "worse on two thirds, found in " + found + " of 15 releases");
  }

  @Test
  void theExplanationSaysWhatWasTestedOverUsersAndWhatToSendWithoutUnits() throws Exception {
    ConditionSpec c = new YAMLMapper().readValue("{signal: latency, quantile: 0.99, baselineRatioAbove: 1.0, test:"
        + " msprt}", ConditionSpec.class);
    Classifier k = Classifier.of(LeafKind.of(c, LATENCY));
    assertInstanceOf(QuantileClassifier.class, k);
    Leaf leaf = leaf(SequentialTest.Rules.V7);
    Map<String, Long> buckets = Map.of("1000", 500L, "2000", 980L, "4000", 998L, "+Inf", 1000L);
    Classified none = k.classify(leaf, LATENCY, c, new Observation("t", null, "canary", Map.of("latency",
        new SignalReading(Arm.buckets(buckets), BASELINE, null)), "test", null));
    assertEquals(Kind.INCONCLUSIVE, none.kind());
    assertTrue(none.text().contains("no user statistics this window (send units, unitBucketsSq and"
        + " unitBucketsTrials since the stage began)"), none.text());
    Users set = Users.draw(new SplittableRandom(1), 100, BOUNDS.length, 0.5);
    Classified some = k.classify(leaf, LATENCY, c, new Observation("t", null, "canary", Map.of("latency",
        new SignalReading(set.latency(new SplittableRandom(2), 1_000, 0.01), BASELINE, null)), "test", null));
    assertTrue(some.text().matches("latency p99 candidate .* over [0-9,]+ requests of [0-9]+ users since stage"
        + " 'canary'; [0-9.]+ % beyond 2000 \\(1.00 × baseline p99 2000\\).*variance over users.*"), some.text());
    Classified pairs = Classifier.of(LeafKind.of(new ConditionSpec("judged_bad", null, null, 1.0, null, null, null,
        null, null, null, "msprt", null, null, null, null, null), PAIRED)).classify(leaf, PAIRED,
        new ConditionSpec("judged_bad", null, null, 1.0, null, null, null, null, null, null, "msprt", null, null,
            null, null, null), new Observation("t", null, "canary", Map.of("judged_bad",
            SignalReading.paired(9, 1, 990)), "test", null));
    assertTrue(pairs.text().contains("no user statistics this window (send units, unitWorseSq, unitDiscordantSq"
        + " and unitWorseDiscordant since the stage began)"), pairs.text());
  }
}
