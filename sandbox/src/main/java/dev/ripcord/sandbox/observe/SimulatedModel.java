package dev.ripcord.sandbox.observe;

import dev.ripcord.workflows.activity.ObservationActivities.ObservationRequest;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A simulated candidate and baseline serving traffic: per window, {@code outputsPerWindow} outputs split by the
 * candidate's weight (a shadow stage mirrors {@code shadowFraction} of traffic to the candidate), with events drawn
 * from each arm's rate. The candidate's rates change from a named stage on. Seeded per window, so a retried read
 * returns the same counts.
 */
public final class SimulatedModel implements Scenario {
  private final long outputsPerWindow;
  private final double shadowFraction;
  private final List<SignalModel> signals;
  private final long seed;

  /** How a simulated signal reports a window of one arm. */
  public enum Shape {
    /** Events among the arm's outputs ({@code baseline}, {@code candidate}: per-output probabilities). */
    COUNTS,
    /** One value with relative {@code noise}. */
    VALUE,
    /** A mean or ratio with its sample: {@code n} answers, their mean and a per-answer sd of {@link #ANSWER_SD}. */
    SAMPLE,
    /**
     * A latency histogram: cumulative counts of the arm's requests by upper bound in ms, log-normal with spread
     * {@link #LATENCY_SIGMA}; {@code baseline} and {@code candidate} are each arm's p99 in ms.
     */
    HISTOGRAM
  }

  /**
   * One simulated signal.
   *
   * @param degradedFromStages the stages in which the candidate behaves as {@code degraded}
   * @param noise a value's relative noise (other shapes draw their own sampling noise)
   */
  public record SignalModel(String name, Shape shape, boolean withBaseline, double baseline, double candidate,
      double degraded, List<String> degradedFromStages, double noise) {}

  /** The spread of one answer's score, for sampled means (graded scores in [0, 1] spread about this much). */
  public static final double ANSWER_SD = 0.25;
  /** The log-scale spread of simulated latencies (p99 about 3.2 × the median). */
  public static final double LATENCY_SIGMA = 0.5;

  public SimulatedModel(long outputsPerWindow, double shadowFraction, long seed, List<SignalModel> signals) {
    this.outputsPerWindow = outputsPerWindow;
    this.shadowFraction = shadowFraction;
    this.seed = seed;
    this.signals = List.copyOf(signals);
  }

  /**
   * Traffic like the conversational example's: the candidate behaves like the baseline (3 hallucinations per 10k)
   * except in {@code degradedStage}, where it hallucinates 20 per 10k. A shadow stage mirrors 10 % of traffic.
   */
  public static SimulatedModel conversationalDemo(long outputsPerWindow, String degradedStage) {
    return new SimulatedModel(outputsPerWindow, 0.1, 20261124L, List.of(
        new SignalModel("hallucination", Shape.COUNTS, true, 0.0003, 0.0003, 0.0020, List.of(degradedStage), 0),
        new SignalModel("moderation_failure", Shape.COUNTS, true, 0.00005, 0.00005, 0.00005, List.of(), 0),
        new SignalModel("utility_score", Shape.SAMPLE, true, 0.82, 0.83, 0.83, List.of(), 0),
        new SignalModel("error_rate", Shape.COUNTS, false, 0.002, 0.002, 0.002, List.of(), 0),
        new SignalModel("latency_ms", Shape.HISTOGRAM, true, 900, 950, 950, List.of(), 0),
        new SignalModel("engagement", Shape.SAMPLE, true, 0.41, 0.42, 0.42, List.of(), 0)));
  }

  @Override
  public Observation window(ObservationRequest r) {
    SplittableRandom rnd = new SplittableRandom(seed ^ (31L * r.releaseId().hashCode() + r.window()));
    long candidateTrials = r.weight() == 0
        ? Math.round(outputsPerWindow * shadowFraction) : Math.round(outputsPerWindow * r.weight() / 100.0);
    long baselineTrials = outputsPerWindow - (r.weight() == 0 ? 0 : candidateTrials);
    Map<String, SignalReading> out = new LinkedHashMap<>();
    for (SignalModel s : signals) {
      boolean degraded = s.degradedFromStages().contains(r.stage());
      double c = degraded ? s.degraded() : s.candidate();
      Arm candidate = arm(rnd, s.shape(), candidateTrials, c, s.noise());
      Arm baseline = s.withBaseline() ? arm(rnd, s.shape(), baselineTrials, s.baseline(), s.noise()) : null;
      out.put(s.name(), new SignalReading(candidate, baseline, null));
    }
    return new Observation(r.to(), r.from(), r.stage(), out, "simulated",
        "simulated window " + r.window() + " at " + r.weight() + " %");
  }

  /**
   * A binomial draw: as Poisson (by multiplication, close to Binomial(n, p) for small p) when the mean is below 40,
   * by the normal approximation above that. Shared with the detection benchmark.
   */
  public static long binomial(SplittableRandom rnd, long n, double p) {
    if (n <= 0 || p <= 0) {
      return 0;
    }
    double mean = n * p;
    if (mean < 40) {
      double limit = Math.exp(-mean);
      long k = 0;
      double prod = rnd.nextDouble();
      while (prod > limit) {
        k++;
        prod *= rnd.nextDouble();
      }
      return Math.min(k, n);
    }
    long k = Math.round(mean + Math.sqrt(mean * (1 - p)) * rnd.nextGaussian());
    return Math.max(0, Math.min(n, k));
  }

  private static Arm arm(SplittableRandom rnd, Shape shape, long n, double level, double noise) {
    return switch (shape) {
      case COUNTS -> Arm.counts(binomial(rnd, n, level), n);
      case VALUE -> Arm.value(level * (1 + noise * rnd.nextGaussian()));
      case SAMPLE -> sample(rnd, n, level);
      case HISTOGRAM -> LatencyHistogram.withP99(level, LATENCY_SIGMA).draw(rnd, n, 1.0);
    };
  }

  /** {@code n} answers of mean {@code mu}: their mean as drawn, with its sample. */
  private static Arm sample(SplittableRandom rnd, long n, double mu) {
    if (n < 2) {
      return Arm.value(mu);
    }
    return Arm.mean(mu + ANSWER_SD / Math.sqrt(n) * rnd.nextGaussian(), n, ANSWER_SD);
  }
}
