package dev.ripcord.workflows.decision.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The share beyond a histogram's point with its variance over units, against the same variance computed from each
 * unit's own requests: exact at the bucket bounds, never below it between them.
 */
class UnitShareTest {
  private static final double[] BOUNDS = {100, 200, 400, 800, Double.POSITIVE_INFINITY};

  /** Units' requests by bucket (not cumulative); a unit's latencies scale with its own slowness. */
  private static long[][] units(SplittableRandom rnd, int units, double clustered) {
    long[][] counts = new long[units][BOUNDS.length];
    for (int u = 0; u < units; u++) {
      double slowness = Math.exp(clustered * rnd.nextGaussian());
      int requests = 1 + rnd.nextInt(40);
      for (int i = 0; i < requests; i++) {
        double latency = 150 * slowness * Math.exp(0.6 * rnd.nextGaussian());
        int b = 0;
        while (latency > BOUNDS[b]) {
          b++;
        }
        counts[u][b]++;
      }
    }
    return counts;
  }

  private static String key(double bound) {
    return Double.isInfinite(bound) ? "+Inf" : String.valueOf((long) bound);
  }

  private record Sums(Histogram h, Map<String, Double> sq, Map<String, Double> cross) {}

  private static Sums sums(long[][] counts) {
    Map<String, Long> buckets = new LinkedHashMap<>();
    Map<String, Double> sq = new LinkedHashMap<>();
    Map<String, Double> cross = new LinkedHashMap<>();
    for (int b = 0; b < BOUNDS.length; b++) {
      long n = 0;
      double s = 0;
      double x = 0;
      for (long[] unit : counts) {
        long upTo = 0;
        long all = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
          all += unit[i];
          upTo += i <= b ? unit[i] : 0;
        }
        n += upTo;
        s += (double) upTo * upTo;
        x += (double) upTo * all;
      }
      buckets.put(key(BOUNDS[b]), n);
      sq.put(key(BOUNDS[b]), s);
      cross.put(key(BOUNDS[b]), x);
    }
    return new Sums((Histogram) Histogram.read(buckets), sq, cross);
  }

  /** The delta method's variance of the share beyond {@code point} from each unit's interpolated count. */
  private static double direct(long[][] counts, double point) {
    double[] beyond = new double[counts.length];
    double[] all = new double[counts.length];
    double e = 0;
    double t = 0;
    for (int u = 0; u < counts.length; u++) {
      double lo = 0;
      for (int i = 0; i < BOUNDS.length; i++) {
        all[u] += counts[u][i];
        if (point < lo) {
          beyond[u] += counts[u][i];
        } else if (point < BOUNDS[i]) {
          beyond[u] += Double.isInfinite(BOUNDS[i]) ? counts[u][i] : counts[u][i] * (BOUNDS[i] - point)
              / (BOUNDS[i] - lo);
        }
        lo = BOUNDS[i];
      }
      e += beyond[u];
      t += all[u];
    }
    double r = e / t;
    double residual = 0;
    for (int u = 0; u < counts.length; u++) {
      residual += (beyond[u] - r * all[u]) * (beyond[u] - r * all[u]);
    }
    return residual / (t * t) * counts.length / (counts.length - 1.0);
  }

  @Test
  void atABucketBoundTheVarianceIsTheDeltaMethodsOverUnits() {
    long[][] counts = units(new SplittableRandom(7), 300, 0.8);
    Sums s = sums(counts);
    for (double point : new double[] {100, 200, 400, 800}) {
      UnitShare.Estimate e = UnitShare.beyond(s.h(), point, counts.length, s.sq(), s.cross());
      assertNotNull(e);
      assertEquals(s.h().countAbove(point) / s.h().total(), e.share(), 1e-12);
      assertEquals(direct(counts, point), e.variance(), 1e-12 * (1 + direct(counts, point)), "at " + point);
    }
  }

  @Test
  void betweenBoundsTheVarianceIsNeverBelowTheUnitsOwnAndCloseToIt() {
    for (long seed = 1; seed <= 20; seed++) {
      long[][] counts = units(new SplittableRandom(seed), 200, seed % 2 == 0 ? 0.1 : 1.0);
      Sums s = sums(counts);
      for (double point : new double[] {50, 130, 250, 399, 600, 900, 5000}) {
        UnitShare.Estimate e = UnitShare.beyond(s.h(), point, counts.length, s.sq(), s.cross());
        double truth = direct(counts, point);
        assertTrue(e.variance() >= truth * (1 - 1e-9), "seed " + seed + " at " + point + ": " + e.variance()
            + " below " + truth);
        assertTrue(e.variance() <= truth * 1.5 + 1e-12, "seed " + seed + " at " + point + ": " + e.variance()
            + " far above " + truth);
      }
    }
  }

  @Test
  void clusteredUnitsGiveAVarianceFarAboveTheBinomialsAndUnclusteredOnesAboutIt() {
    long[][] clustered = units(new SplittableRandom(3), 400, 1.2);
    long[][] loose = units(new SplittableRandom(3), 400, 0.0);
    for (long[][] counts : java.util.List.of(clustered, loose)) {
      Sums s = sums(counts);
      UnitShare.Estimate e = UnitShare.beyond(s.h(), 400, counts.length, s.sq(), s.cross());
      double binomial = e.share() * (1 - e.share()) / e.requests();
      double designEffect = e.variance() / binomial;
      if (counts == clustered) {
        assertTrue(designEffect > 5, "clustered: " + designEffect);
      } else {
        assertTrue(designEffect > 0.7 && designEffect < 1.4, "independent requests: " + designEffect);
      }
    }
  }

  @Test
  void sumsThatMissABoundOrNoUnitsCouldGiveAreNamed() {
    long[][] counts = units(new SplittableRandom(5), 50, 0.5);
    Sums s = sums(counts);
    assertNull(UnitShare.problem(s.h(), s.sq(), s.cross()));
    Map<String, Double> missing = new LinkedHashMap<>(s.sq());
    missing.remove("400");
    assertTrue(UnitShare.problem(s.h(), missing, s.cross()).contains("a number for every bucket bound"));
    assertNull(UnitShare.beyond(s.h(), 300, 50, missing, s.cross()));
    Map<String, Double> tooBig = new LinkedHashMap<>(s.sq());
    tooBig.put("200", s.cross().get("200") * 2);
    assertTrue(UnitShare.problem(s.h(), tooBig, s.cross()).contains("at bound 200.0 the sums cannot come from units"),
        UnitShare.problem(s.h(), tooBig, s.cross()));
    Map<String, Double> inf = new LinkedHashMap<>(s.cross());
    inf.put("+Inf", s.cross().get("+Inf") - 1);
    assertTrue(UnitShare.problem(s.h(), s.sq(), inf) != null);
    assertNull(UnitShare.beyond(s.h(), 300, 1, s.sq(), s.cross()), "one unit has no variance over units");
  }
}
