package dev.ripcord.workflows.decision.stats;

import java.util.HashMap;
import java.util.Map;

/**
 * The share of an arm's requests beyond a point of its histogram, with its variance taken over units (users,
 * sessions, conversations) instead of requests: a quantile's test asks whether more than 1 − q of the candidate's
 * requests lie beyond a point, and when one user's requests are all slow together, that share is a ratio of sums
 * over units like a rate ({@link UnitRatio}).
 *
 * <p>The source sends, for each bucket's upper bound b and over the arm's units since the stage began, Σ c_u(b)² and
 * Σ c_u(b)·t_u, where c_u(b) counts the unit's requests up to b and t_u all of them (at {@code +Inf} both are
 * Σ t_u²). That gives the delta method's variance of the share up to each bound exactly. A point inside a bucket
 * (a, b] is interpolated as Prometheus does: each unit's count up to it is (1 − f)·c_u(a) + f·c_u(b) with
 * f = (point − a)/(b − a), so its residual is the same mix of the residuals at a and b, and by Minkowski's inequality
 * the standard error at the point is at most (1 − f)·se(a) + f·se(b). That bound is what is used: never smaller than
 * the true one, and equal to it at the bounds themselves. Pure.
 */
public final class UnitShare {
  private UnitShare() {}

  /**
   * @param share the share of the arm's requests beyond the point
   * @param variance its variance over units (an upper bound between bucket bounds)
   * @param requests the arm's requests
   */
  public record Estimate(double share, double variance, long requests) {
    /** The share as {@link MeanTest} reads a sample: {@code units} observations with this mean and variance. */
    public MeanTest.Sample asSample(long units) {
      return MeanTest.Sample.of(units, share, Math.sqrt(variance * units));
    }
  }

  /**
   * The share of {@code h}'s requests beyond {@code point} with its variance over {@code units}, from the sums over
   * units {@code sq} (Σ c_u(b)²) and {@code cross} (Σ c_u(b)·t_u) by bucket bound; null with fewer than two units, no
   * requests, or sums that miss one of the histogram's bounds.
   */
  public static Estimate beyond(Histogram h, double point, long units, Map<String, Double> sq,
      Map<String, Double> cross) {
    long n = h.total();
    double[] bounds = h.bounds();
    double[] s = aligned(bounds, sq);
    double[] x = aligned(bounds, cross);
    if (n == 0 || units < 2 || s == null || x == null) {
      return null;
    }
    double trialsSq = s[bounds.length - 1];
    double share = h.countAbove(point) / n;
    for (int i = 0; i < bounds.length; i++) {
      if (point < bounds[i]) {
        double lo = i == 0 ? 0 : bounds[i - 1];
        double seLo = i == 0 ? 0 : se(units, h.upTo(i - 1), n, s[i - 1], trialsSq, x[i - 1]);
        if (Double.isInfinite(bounds[i])) {
          return estimate(share, seLo, n);
        }
        double f = point <= lo ? 0 : (point - lo) / (bounds[i] - lo);
        double seHi = se(units, h.upTo(i), n, s[i], trialsSq, x[i]);
        return estimate(share, (1 - f) * seLo + f * seHi, n);
      }
    }
    return estimate(share, 0, n);
  }

  private static Estimate estimate(double share, double se, long n) {
    return Double.isNaN(se) ? null : new Estimate(share, se * se, n);
  }

  private static double se(long units, long upTo, long n, double sq, double trialsSq, double cross) {
    return Math.sqrt(new UnitRatio(units, upTo, n, sq, trialsSq, cross).variance());
  }

  /**
   * What is wrong with one arm's sums by bound, or null: one for each of the histogram's bounds (keys written as in
   * {@code buckets}), finite and not negative, and sums some units can give — c_u(b) ≤ t_u makes
   * Σ c_u(b)² ≤ Σ c_u(b)·t_u ≤ Σ t_u², and at {@code +Inf} the two are equal.
   */
  public static String problem(Histogram h, Map<String, Double> sq, Map<String, Double> cross) {
    double[] bounds = h.bounds();
    double[] s = aligned(bounds, sq);
    double[] x = aligned(bounds, cross);
    if (s == null || x == null) {
      return "unitBucketsSq and unitBucketsTrials need a number for every bucket bound the buckets hold, \"+Inf\""
          + " included (keys as in buckets)";
    }
    double trialsSq = s[bounds.length - 1];
    for (int i = 0; i < bounds.length; i++) {
      String b = Double.isInfinite(bounds[i]) ? "+Inf" : String.valueOf(bounds[i]);
      if (!Double.isFinite(s[i]) || !Double.isFinite(x[i]) || s[i] < 0 || x[i] < 0) {
        return "unitBucketsSq and unitBucketsTrials at " + b + " must be finite and not negative";
      }
      double slack = 1e-9 * (1 + trialsSq);
      if (s[i] > x[i] + slack || x[i] > trialsSq + slack) {
        return "at bound " + b + " the sums cannot come from units: each unit's requests up to a bound are at most"
            + " all its requests, so unitBucketsSq ≤ unitBucketsTrials ≤ unitBucketsSq at +Inf";
      }
    }
    if (Math.abs(s[bounds.length - 1] - x[bounds.length - 1]) > 1e-9 * (1 + trialsSq)) {
      return "at +Inf unitBucketsSq and unitBucketsTrials are both the sum of each unit's requests squared, but they"
          + " differ";
    }
    return null;
  }

  /** The sums by bound in the histogram's order, or null when one is missing or a key is not a bound. */
  private static double[] aligned(double[] bounds, Map<String, Double> sums) {
    if (sums == null) {
      return null;
    }
    Map<Double, Double> byBound = new HashMap<>();
    for (Map.Entry<String, Double> e : sums.entrySet()) {
      double bound;
      try {
        bound = "+Inf".equals(e.getKey()) ? Double.POSITIVE_INFINITY : Double.parseDouble(e.getKey());
      } catch (NumberFormatException x) {
        return null;
      }
      if (e.getValue() == null) {
        return null;
      }
      byBound.put(bound, e.getValue());
    }
    double[] out = new double[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      Double v = byBound.get(bounds[i]);
      if (v == null) {
        return null;
      }
      out[i] = v;
    }
    return out;
  }
}
