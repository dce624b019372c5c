package dev.ripcord.bench.detection;

import dev.ripcord.sandbox.observe.LatencyHistogram;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Simulated windows of graded scores and latency histograms, as a serving layer would report them per arm: a score's
 * window is its sample's summary (the mean drawn from its sampling distribution, the variance from a scaled χ²), a
 * latency window the counts of log-normal latencies in Prometheus-style buckets ({@link LatencyHistogram}). Both
 * arms share nothing but the clock, so only a real difference in the candidate separates them.
 */
final class ScoredStreams {
  /** Bucket upper bounds in ms, as a latency histogram would have them. */
  static final double[] BOUNDS = {100, 250, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000};
  static final double SCORE_SD = 0.25;
  static final double BASELINE_SCORE = 0.8;
  /** Log-normal latencies: median 800 ms, σ 0.6 (p99 about 3.2 s). */
  static final double LATENCY_MEDIAN = 800;
  static final double LATENCY_SIGMA = 0.6;
  static final LatencyHistogram LATENCY = new LatencyHistogram(LATENCY_MEDIAN, LATENCY_SIGMA, BOUNDS);

  private ScoredStreams() {}

  /** One window of scores: {@code nc} and {@code nb} answers, the candidate's mean {@code factor} times the baseline's. */
  static Observation scores(SplittableRandom rnd, long nc, long nb, double factor) {
    Map<String, SignalReading> s = new LinkedHashMap<>();
    s.put("utility_score", new SignalReading(score(rnd, nc, BASELINE_SCORE * factor),
        score(rnd, nb, BASELINE_SCORE), null));
    return new Observation(null, null, "canary", s, "bench", null);
  }

  private static Arm score(SplittableRandom rnd, long n, double mu) {
    double mean = mu + SCORE_SD / Math.sqrt(n) * rnd.nextGaussian();
    // (n-1) s²/σ² is χ² with n-1 degrees of freedom: its normal approximation is exact enough at these n.
    double chi = Math.max(1e-9, (n - 1) + Math.sqrt(2.0 * (n - 1)) * rnd.nextGaussian());
    double sd = SCORE_SD * Math.sqrt(chi / (n - 1));
    return new Arm(null, null, mean, n, sd, null, null, null);
  }

  /** One window of latencies: {@code nc} and {@code nb} requests, the candidate's latencies {@code factor} times longer. */
  static Observation latencies(SplittableRandom rnd, long nc, long nb, double factor) {
    Map<String, SignalReading> s = new LinkedHashMap<>();
    s.put("latency_ms", new SignalReading(LATENCY.draw(rnd, nc, factor), LATENCY.draw(rnd, nb, 1.0), null));
    return new Observation(null, null, "canary", s, "bench", null);
  }

  /** One window's arm sizes of a stage served at {@code share}: the candidate's count drawn binomially. */
  static long[] split(SplittableRandom rnd, long total, double share) {
    long c = binomial(rnd, total, share);
    return new long[] {c, total - c};
  }

  static long binomial(SplittableRandom rnd, long n, double p) {
    return LatencyHistogram.binomial(rnd, n, p);
  }
}
