package dev.ripcord.sandbox.observe;

import dev.ripcord.workflows.decision.Observation.Arm;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Log-normal latencies counted into Prometheus-style cumulative buckets, as a serving layer's {@code _bucket} series
 * report one window of one arm: a multinomial drawn bucket by bucket (each bucket binomial among the requests not yet
 * placed). Shared by the simulated model (demo, drills) and the detection benchmark.
 */
public final class LatencyHistogram {
  /** Bucket upper bounds in ms for the simulated model: fine enough that a 2.5 s limit falls on a bound. */
  public static final double[] SERVING_BOUNDS_MS = {50, 100, 250, 500, 750, 1000, 1500, 2000, 2500, 3000, 5000,
      10000};
  /** z of the 99th percentile, to place a distribution by its p99. */
  private static final double Z99 = 2.3263478740;

  private final double median;
  private final double sigma;
  private final double[] bounds;

  /** Latencies with this {@code median} (ms) and log-scale spread {@code sigma}, counted into {@code bounds} (ms). */
  public LatencyHistogram(double median, double sigma, double[] bounds) {
    if (!(median > 0) || !(sigma > 0) || bounds.length == 0) {
      throw new IllegalArgumentException("a latency histogram needs median > 0, sigma > 0 and bounds; got median "
          + median + ", sigma " + sigma + ", " + bounds.length + " bounds");
    }
    this.median = median;
    this.sigma = sigma;
    this.bounds = bounds.clone();
  }

  /** The distribution whose 99th percentile is {@code p99} ms, spread {@code sigma}, in {@link #SERVING_BOUNDS_MS}. */
  public static LatencyHistogram withP99(double p99, double sigma) {
    return new LatencyHistogram(p99 / Math.exp(Z99 * sigma), sigma, SERVING_BOUNDS_MS);
  }

  /** One window of {@code n} requests, every latency {@code factor} times this distribution's. */
  public Arm draw(SplittableRandom rnd, long n, double factor) {
    Map<String, Long> buckets = new LinkedHashMap<>();
    long left = n;
    double below = 0;
    long cumulative = 0;
    for (double bound : bounds) {
      double p = cdf(bound / factor) - below;
      double rest = 1 - below;
      long k = rest <= 0 ? 0 : binomial(rnd, left, Math.min(1, Math.max(0, p / rest)));
      left -= k;
      cumulative += k;
      below += p;
      buckets.put(label(bound), cumulative);
    }
    buckets.put("+Inf", n);
    return Arm.buckets(buckets);
  }

  /** The expected cumulative counts of {@code n} requests, every latency {@code factor} times this distribution's. */
  public Map<String, Long> expected(long n, double factor) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (double bound : bounds) {
      m.put(label(bound), Math.round(n * cdf(bound / factor)));
    }
    m.put("+Inf", n);
    return m;
  }

  /** The distribution function at {@code ms}. */
  public double cdf(double ms) {
    return normalCdf(Math.log(ms / median) / sigma);
  }

  private static String label(double bound) {
    return bound == Math.rint(bound) ? String.valueOf((long) bound) : String.valueOf(bound);
  }

  /**
   * A binomial draw: exact by trials below 50, as Poisson when the mean is below 30, by the normal approximation
   * above that.
   */
  public static long binomial(SplittableRandom rnd, long n, double p) {
    if (n <= 0 || p <= 0) {
      return 0;
    }
    if (p >= 1) {
      return n;
    }
    if (n < 50) {
      long k = 0;
      for (long i = 0; i < n; i++) {
        k += rnd.nextDouble() < p ? 1 : 0;
      }
      return k;
    }
    double mean = n * p;
    if (mean < 30) {
      double l = Math.exp(-mean);
      long k = 0;
      double prod = rnd.nextDouble();
      while (prod > l && k < n) {
        k++;
        prod *= rnd.nextDouble();
      }
      return k;
    }
    long k = Math.round(mean + Math.sqrt(mean * (1 - p)) * rnd.nextGaussian());
    return Math.max(0, Math.min(n, k));
  }

  /** Φ(z), by the complementary error function of Numerical Recipes (relative error below 1.2e-7). */
  public static double normalCdf(double z) {
    double x = Math.abs(z) / Math.sqrt(2);
    double t = 1 / (1 + 0.5 * x);
    double erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
        + t * 0.17087277)))))))));
    return z >= 0 ? 1 - erfc / 2 : erfc / 2;
  }
}
