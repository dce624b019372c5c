package dev.ripcord.workflows.decision.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.decision.stats.SequentialTest.Kind;
import dev.ripcord.workflows.decision.stats.SequentialTest.Rules;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * V6's dispersion (residuals against the recent windows' ratio): binomial traffic is judged without a discount,
 * variation the arms do not share is measured as V2's estimate measures it, and a real step after a healthy run is not
 * mistaken for noise.
 */
class RecentDispersionTest {
  private static final long N = 10_000;

  private static SequentialTest cusum(Rules rules) {
    return new SequentialTest(Kind.CUSUM, true, 1.0, 2.0, 0.001, 240, 3, 3, rules);
  }

  @Test
  void binomialSplitsAreJudgedWithoutADiscount() {
    SplittableRandom rnd = new SplittableRandom(21);
    int discounted = 0;
    for (int run = 0; run < 400; run++) {
      SequentialTest t = cusum(Rules.V6);
      double[] s = new double[t.stateSize()];
      for (int w = 0; w < 30; w++) {
        long[] x = SequentialTestTest.split(rnd, 400, 0.5);
        t.update(s, x[0], N, x[1], N);
      }
      discounted += t.dispersion(s) > 1.5 ? 1 : 0;
    }
    assertTrue(discounted < 8, "binomial runs with dispersion above 1.5: " + discounted + " of 400");
  }

  @Test
  void sparseBinomialCountsAreNotReadAsDispersion() {
    SplittableRandom rnd = new SplittableRandom(22);
    int discounted = 0;
    for (int run = 0; run < 400; run++) {
      SequentialTest t = cusum(Rules.V6);
      double[] s = new double[t.stateSize()];
      for (int w = 0; w < 120; w++) {
        long[] x = SequentialTestTest.split(rnd, 4, 0.05); // 4 events a window, 1 in 20 the candidate's
        t.update(s, x[0], N, x[1], N);
      }
      discounted += t.dispersion(s) > 1.5 ? 1 : 0;
    }
    assertTrue(discounted < 8, "sparse binomial runs with dispersion above 1.5: " + discounted + " of 400");
  }

  @Test
  void candidateOnlyVariationIsMeasuredAsV2MeasuresIt() {
    SplittableRandom rnd = new SplittableRandom(23);
    double v2 = 0;
    double v6 = 0;
    for (int run = 0; run < 100; run++) {
      SequentialTest a = cusum(Rules.V5);
      SequentialTest b = cusum(Rules.V6);
      double[] sa = new double[a.stateSize()];
      double[] sb = new double[b.stateSize()];
      for (int w = 0; w < 30; w++) {
        long[] x = SequentialTestTest.split(rnd, 400, 0.5 * (1 + 0.2 * (rnd.nextBoolean() ? 1 : -1)));
        a.update(sa, x[0], N, x[1], N);
        b.update(sb, x[0], N, x[1], N);
      }
      v2 += a.dispersion(sa);
      v6 += b.dispersion(sb);
    }
    assertTrue(v6 / 100 > 2.5, "V6 mean dispersion " + v6 / 100);
    assertTrue(Math.abs(v6 - v2) / v2 < 0.25, "V6 " + v6 / 100 + " against V2 " + v2 / 100);
  }

  /**
   * 120 healthy windows, then the candidate's rate doubles: V2's pooled-ratio residuals read the step as dispersion
   * for the windows that follow (and discount the evidence by it); against the recent windows it is a few residuals.
   */
  @Test
  void aStepAfterAHealthyRunIsNotMistakenForNoise() {
    SplittableRandom rnd = new SplittableRandom(24);
    double v2 = 0;
    double v6 = 0;
    int runs = 100;
    for (int run = 0; run < runs; run++) {
      SequentialTest a = cusum(Rules.V5);
      SequentialTest b = cusum(Rules.V6);
      double[] sa = new double[a.stateSize()];
      double[] sb = new double[b.stateSize()];
      for (int w = 0; w < 130; w++) {
        long[] x = SequentialTestTest.split(rnd, 100, w < 120 ? 0.5 : 2.0 / 3); // candidate's rate 2x the baseline's from window 120
        a.update(sa, x[0], N, x[1], N);
        b.update(sb, x[0], N, x[1], N);
      }
      v2 += a.dispersion(sa);
      v6 += b.dispersion(sb);
    }
    assertTrue(v2 / runs > 1.5, "V2 reads the step as dispersion: " + v2 / runs);
    assertTrue(v6 / runs < 1.2, "V6 hardly: " + v6 / runs);
  }
}
