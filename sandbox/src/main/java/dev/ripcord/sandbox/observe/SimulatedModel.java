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

  /**
   * One simulated signal. For rates the numbers are per-output probabilities; for values they are the mean value.
   *
   * @param degradedFromStages the stages in which the candidate behaves as {@code degraded}
   * @param sampled for a mean or ratio: each arm reports its sample ({@code n} answers, their mean and a per-answer
   *     sd of {@link #ANSWER_SD}), the mean drawn from its sampling distribution; otherwise a value with
   *     {@code noise}
   */
  public record SignalModel(String name, boolean rate, boolean withBaseline, double baseline, double candidate,
      double degraded, List<String> degradedFromStages, double noise, boolean sampled) {
    public SignalModel(String name, boolean rate, boolean withBaseline, double baseline, double candidate,
        double degraded, List<String> degradedFromStages, double noise) {
      this(name, rate, withBaseline, baseline, candidate, degraded, degradedFromStages, noise, false);
    }
  }

  /** The spread of one answer's score, for sampled means (graded scores in [0, 1] spread about this much). */
  public static final double ANSWER_SD = 0.25;

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
        new SignalModel("hallucination", true, true, 0.0003, 0.0003, 0.0020, List.of(degradedStage), 0),
        new SignalModel("moderation_failure", true, true, 0.00005, 0.00005, 0.00005, List.of(), 0),
        new SignalModel("utility_score", false, true, 0.82, 0.83, 0.83, List.of(), 0.01, true),
        new SignalModel("error_rate", true, false, 0.002, 0.002, 0.002, List.of(), 0),
        new SignalModel("latency_p99_ms", false, false, 900, 950, 950, List.of(), 0.05),
        new SignalModel("engagement", false, true, 0.41, 0.42, 0.42, List.of(), 0.02, true)));
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
      if (s.rate()) {
        out.put(s.name(), new SignalReading(Arm.counts(binomial(rnd, candidateTrials, c), candidateTrials),
            s.withBaseline() ? Arm.counts(binomial(rnd, baselineTrials, s.baseline()), baselineTrials) : null, null));
      } else if (s.sampled()) {
        out.put(s.name(), new SignalReading(sample(rnd, candidateTrials, c),
            s.withBaseline() ? sample(rnd, baselineTrials, s.baseline()) : null, null));
      } else {
        out.put(s.name(), new SignalReading(Arm.value(c * (1 + s.noise() * rnd.nextGaussian())),
            s.withBaseline() ? Arm.value(s.baseline() * (1 + s.noise() * rnd.nextGaussian())) : null, null));
      }
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

  /** {@code n} answers of mean {@code mu}: their mean as drawn, with its sample. */
  private static Arm sample(SplittableRandom rnd, long n, double mu) {
    if (n < 2) {
      return Arm.value(mu);
    }
    return Arm.mean(mu + ANSWER_SD / Math.sqrt(n) * rnd.nextGaussian(), n, ANSWER_SD);
  }
}
