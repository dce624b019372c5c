package dev.ripcord.workflows.decision.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.decision.Allocation;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.classify.Classified.Kind;
import dev.ripcord.workflows.decision.stats.SequentialTest;
import dev.ripcord.workflows.decision.stats.Stats;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.LeafKind;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The paired test on the same prompts: known values, its explanation, and its false-alarm rate under continuous
 * monitoring on simulated releases whose prompts differ in difficulty.
 */
class PairedClassifierTest {
  private static final SignalSpec PAIRED = new SignalSpec("judged_bad", "paired", "quality", null, null, null, null);

  private static ConditionSpec paired(String test, Double alpha) {
    return new ConditionSpec("judged_bad", null, null, 1.0, null, null, null, null, null, null, test, alpha, null,
        null, null, null);
  }

  private static Leaf leaf(TreeMap<String, Double> stats, double alpha) {
    return new Leaf("c", "when", stats, new Allocation(Map.of(), alpha, 1000), 1, 1);
  }

  private static Observation window(long worse, long better, long concordant) {
    return new Observation("2026-12-01T10:00:00Z", null, "shadow",
        Map.of("judged_bad", SignalReading.paired(worse, better, concordant)), "test", null);
  }

  @Test
  void theEvidenceIsTheExactBinomialMixtureOnDiscordantPairsOnly() {
    ConditionSpec c = paired("msprt", null);
    assertInstanceOf(PairedClassifier.class, Classifier.of(LeafKind.of(c, PAIRED)));
    TreeMap<String, Double> stats = new TreeMap<>();
    Classified first = new PairedClassifier().classify(leaf(stats, 1e-3), PAIRED, c, window(9, 1, 990));
    // Under H0 a discordant pair is the candidate's with probability 1/2; against ratio r it is r/(1+r).
    double[] logs = new double[SequentialTest.GRID.length];
    for (int k = 0; k < logs.length; k++) {
      double theta = SequentialTest.GRID[k] / (1 + SequentialTest.GRID[k]);
      logs[k] = 9 * Math.log(theta / 0.5) + 1 * Math.log((1 - theta) / 0.5);
    }
    double expected = Stats.logMixture(SequentialTest.WEIGHTS, logs);
    assertTrue(first.text().contains(String.format(java.util.Locale.ROOT, "log-LR %.2f <", expected)), first.text());
    assertEquals(Kind.OK, first.kind(), first.text());
    assertTrue(first.text().startsWith("judged_bad: candidate worse on 9, baseline worse on 1 of 1000 same-prompt"
        + " pairs this window (9 of 10 discordant pairs so far on the candidate's side; 0.50 under H0), mSPRT on"
        + " discordant pairs"), first.text());

    // Concordant pairs carry no evidence: the same discordant split with a million concordant pairs is the same.
    TreeMap<String, Double> other = new TreeMap<>();
    Classified many = new PairedClassifier().classify(leaf(other, 1e-3), PAIRED, c, window(9, 1, 1_000_000));
    assertTrue(many.text().contains(String.format(java.util.Locale.ROOT, "log-LR %.2f <", expected)), many.text());

    Kind last = null;
    for (int w = 0; w < 5 && last != Kind.BREACH; w++) {
      last = new PairedClassifier().classify(leaf(stats, 1e-3), PAIRED, c, window(9, 1, 990)).kind();
    }
    assertEquals(Kind.BREACH, last, "a steady 9:1 split crosses log(1/α) within a few windows");
  }

  @Test
  void noPairsIsInconclusiveNeverHealthy() {
    Classified none = new PairedClassifier().classify(leaf(new TreeMap<>(), 1e-3), PAIRED, paired("msprt", null),
        new Observation("t", null, "shadow", Map.of(), "test", null));
    assertEquals(Kind.INCONCLUSIVE, none.kind());
    Classified empty = new PairedClassifier().classify(leaf(new TreeMap<>(), 1e-3), PAIRED, paired("cusum", null),
        window(0, 0, 0));
    assertEquals(Kind.INCONCLUSIVE, empty.kind());
  }

  /**
   * 2,000 healthy releases of 200 windows, 100 prompts a window, each prompt with its own difficulty (a beta(0.3, 3)
   * failure probability shared by both answers): the test, looked at after every window, falsely fires in fewer than
   * α of them, for the mixture SPRT and for CUSUM.
   */
  @Test
  void underH0ContinuousMonitoringCrossesInFewerThanAlphaOfReleases() {
    double alpha = 0.05;
    for (String test : new String[] {"msprt", "cusum"}) {
      SplittableRandom rnd = new SplittableRandom(20261202L);
      int releases = 2000;
      int fired = 0;
      for (int r = 0; r < releases; r++) {
        TreeMap<String, Double> stats = new TreeMap<>();
        Leaf leaf = new Leaf("c", "when", stats, new Allocation(Map.of(), alpha, 200), 1, 1);
        for (int w = 0; w < 200; w++) {
          long worse = 0;
          long better = 0;
          for (int i = 0; i < 100; i++) {
            double p = beta(rnd, 0.3, 3);
            boolean cand = rnd.nextDouble() < p;
            boolean base = rnd.nextDouble() < p;
            worse += cand && !base ? 1 : 0;
            better += base && !cand ? 1 : 0;
          }
          Classified x = new PairedClassifier().classify(leaf, PAIRED, paired(test, null),
              window(worse, better, 100 - worse - better));
          if (x.kind() == Kind.BREACH) {
            fired++;
            break;
          }
        }
      }
      double rate = (double) fired / releases;
      System.out.printf("paired %s under H0: %d of %d releases fired (%.4f, alpha %.2f)%n", test, fired, releases,
          rate, alpha);
      assertTrue(rate < alpha, test + ": " + fired + " of " + releases + " healthy releases fired (" + rate + ")");
    }
  }

  /** A beta(a, b) draw from two gamma draws (Marsaglia–Tsang, with the a < 1 boost). */
  static double beta(SplittableRandom rnd, double a, double b) {
    double x = gamma(rnd, a);
    return x / (x + gamma(rnd, b));
  }

  static double gamma(SplittableRandom rnd, double shape) {
    if (shape < 1) {
      return gamma(rnd, shape + 1) * Math.pow(rnd.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double z = normal(rnd);
      double v = Math.pow(1 + c * z, 3);
      if (v > 0 && Math.log(rnd.nextDouble()) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  static double normal(SplittableRandom rnd) {
    double u = rnd.nextDouble();
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }
}
