package dev.ripcord.bench.detection;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The detection benchmark's arithmetic: the information bounds its delays are measured against (one-sample,
 * two-sample split, a CUSUM that knows the change), calibration of counting rules to the false-rollback budget,
 * binomial tails, Clopper-Pearson intervals, delays and the summaries the JSON reports. Pure.
 */
final class Bounds {
  private Bounds() {}

  static double klBernoulli(double p, double q) {
    return p * Math.log(p / q) + (1 - p) * Math.log((1 - p) / (1 - q));
  }

  /** Wald's approximation of the expected sample size under H1 for error rates alpha, beta. */
  static double waldNumerator(double alpha, double beta) {
    return (1 - beta) * Math.log((1 - beta) / alpha) + beta * Math.log(beta / (1 - alpha));
  }

  /** One-sample bound, candidate outputs: the rate is known to be p0 under H0. */
  static double oneSampleBound(double ratio, double p0) {
    return waldNumerator(DetectionBenchmark.BUDGET, DetectionBenchmark.BETA) / klBernoulli(ratio * p0, p0);
  }

  /** Information per candidate output in the event split (Poisson limit), nats, at base rate p0. */
  static double splitInfoPerCandidateOutput(double ratio, double share, double p0) {
    double theta0 = share;
    double theta1 = ratio * share / (ratio * share + 1 - share);
    double eventsPerCandidateOutput = (ratio * share + (1 - share)) * p0 / share;
    return eventsPerCandidateOutput * klBernoulli(theta1, theta0);
  }

  /** Two-sample bound, candidate outputs: the concurrent baseline is the reference. */
  static double twoSampleBound(double ratio, double share, double p0) {
    return twoSampleBound(ratio, share, p0, DetectionBenchmark.BUDGET);
  }

  /** The same at a false-rollback probability of {@code alpha} (a signal's share of the budget). */
  static double twoSampleBound(double ratio, double share, double p0, double alpha) {
    return waldNumerator(alpha, DetectionBenchmark.BETA) / splitInfoPerCandidateOutput(ratio, share, p0);
  }

  /** A CUSUM that knows the change, calibrated to the same false-rollback probability over the horizon. */
  static double cusumReference(double ratio, double share, double p0, int horizon) {
    return Math.log(horizon / DetectionBenchmark.BUDGET) / splitInfoPerCandidateOutput(ratio, share, p0);
  }

  /** The smallest per-measurement event limit x such that P(at least k of m measurements fail) <= budget. */
  static long calibrate(long window, long measurements, int k, double rate) {
    for (long x = 0; x <= window; x++) {
      double q = binomialUpperTail(window, rate, x + 1);
      if (binomialUpperTail(measurements, q, k) <= DetectionBenchmark.BUDGET) {
        return x;
      }
    }
    return window;
  }

  /** P(Bin(n, p) >= k), summed in log space. */
  static double binomialUpperTail(long n, double p, long k) {
    if (k <= 0) {
      return 1;
    }
    if (p <= 0) {
      return 0;
    }
    double sum = 0;
    double lp = Math.log(p);
    double lq = Math.log1p(-p);
    double logC = logChoose(n, k);
    for (long j = k; j <= n; j++) {
      double term = Math.exp(logC + j * lp + (n - j) * lq);
      sum += term;
      if (term < sum * 1e-16 && j > n * p) {
        break;
      }
      logC += Math.log((double) (n - j) / (j + 1));
    }
    return Math.min(1, sum);
  }

  static double logChoose(long n, long k) {
    return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
  }

  /** Lanczos approximation of log Γ(x). */
  static double logGamma(double x) {
    double[] g = {676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    x -= 1;
    double a = 0.99999999999980993;
    double t = x + 7.5;
    for (int i = 0; i < 8; i++) {
      a += g[i] / (x + i + 1);
    }
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
  }

  /** Exact (Clopper–Pearson) 95 % interval for k events in n, by bisection on the binomial tails. */
  static double[] clopperPearson(long k, long n) {
    double lo = k == 0 ? 0 : bisect(p -> binomialUpperTail(n, p, k) - 0.025);
    double hi = k == n ? 1 : bisect(p -> 0.025 - (1 - binomialUpperTail(n, p, k + 1)));
    return new double[] {lo, hi};
  }

  static double bisect(java.util.function.DoubleUnaryOperator f) {
    double a = 0;
    double b = 1;
    for (int i = 0; i < 200; i++) {
      double m = (a + b) / 2;
      if (f.applyAsDouble(m) < 0) {
        a = m;
      } else {
        b = m;
      }
    }
    return (a + b) / 2;
  }

  static Map<String, Object> summarise(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mean", Arrays.stream(s).average().orElse(Double.NaN));
    m.put("p50", s.length == 0 ? Double.NaN : s[(int) Math.floor(0.50 * (s.length - 1))]);
    m.put("p95", s.length == 0 ? Double.NaN : s[(int) Math.ceil(0.95 * (s.length - 1))]);
    return m;
  }

  static Map<String, Object> stats(List<Double> xs) {
    return Map.of("min", min(xs), "median", median(xs), "max", xs.stream().mapToDouble(d -> d).max().orElse(Double.NaN));
  }

  static double min(List<Double> xs) {
    return xs.stream().mapToDouble(d -> d).min().orElse(Double.NaN);
  }

  static double median(List<Double> xs) {
    double[] s = xs.stream().mapToDouble(d -> d).sorted().toArray();
    return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** Minutes from the change to the rollback (a miss counts as the rest of the horizon: a lower bound). */
  static double delay(int firedAt, Scenario s) {
    if (firedAt < s.changeAt()) {
      return (s.horizon() - s.changeAt()) / (double) s.slicesPerMinute();
    }
    return (firedAt - s.changeAt() + 1) / (double) s.slicesPerMinute();
  }
}
