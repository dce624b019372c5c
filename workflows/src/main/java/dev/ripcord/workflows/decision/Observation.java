package dev.ripcord.workflows.decision;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ripcord.workflows.decision.stats.MeanTest;
import java.util.Map;

/**
 * What was observed in one evaluation window: per signal, the candidate's and (where configured) the baseline's
 * counts or values, optionally per slice. One line of the backtest format is one observation.
 *
 * @param t the window's end (ISO-8601)
 * @param from the window's start, if known
 * @param stage the stage the release was in
 * @param source where it came from (pushed, scripted, a query), so the decision can be reproduced
 * @param judges the health of the LLM judges that scored this window's signals, by judge name (optional)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Observation(
    String t, String from, String stage, Map<String, SignalReading> signals, String source, String query,
    Map<String, JudgeReading> judges) {

  public Observation(String t, String from, String stage, Map<String, SignalReading> signals, String source,
      String query) {
    this(t, from, stage, signals, source, query, null);
  }

  /**
   * How an LLM judge fared this window.
   *
   * @param version the judge's version that scored the window (its model and prompt)
   * @param calls judge calls made; {@code errors} of them errored or timed out
   * @param labelled calibration outputs a person also labelled this window; {@code agreed} of them the judge agreed on
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record JudgeReading(String version, Long calls, Long errors, Long labelled, Long agreed) {}

  /**
   * One signal in one window.
   *
   * @param pairs for a {@code paired} signal (instead of the arms): how the same prompts' answers compared
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SignalReading(Arm candidate, Arm baseline, Map<String, SignalReading> slices, Pairs pairs) {
    public SignalReading(Arm candidate, Arm baseline, Map<String, SignalReading> slices) {
      this(candidate, baseline, slices, null);
    }

    public static SignalReading paired(long candidateWorse, long baselineWorse, long concordant) {
      return new SignalReading(null, null, null, new Pairs(candidateWorse, baselineWorse, concordant));
    }
  }

  /**
   * One window of a paired comparison: candidate and baseline answered the same prompts, and each answer was judged
   * good or bad.
   *
   * @param candidateWorse prompts where the candidate's answer was bad and the baseline's good
   * @param baselineWorse prompts where the baseline's answer was bad and the candidate's good
   * @param concordant prompts where both were good or both bad (they say nothing about which is better)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Pairs(Long candidateWorse, Long baselineWorse, Long concordant, Long units, Double unitWorseSq,
      Double unitDiscordantSq, Double unitWorseDiscordant) {
    public Pairs(Long candidateWorse, Long baselineWorse, Long concordant) {
      this(candidateWorse, baselineWorse, concordant, null, null, null, null);
    }

    /**
     * These pairs with the statistics of their units since the stage began (a paired signal with a {@code unit}):
     * {@code units} users (or sessions, conversations) whose prompts were paired and, over them, the sums of each
     * unit's candidate-worse pairs², discordant pairs² and candidate-worse × discordant pairs.
     */
    public Pairs withUnits(long units, double worseSq, double discordantSq, double worseDiscordant) {
      return new Pairs(candidateWorse, baselineWorse, concordant, units, worseSq, discordantSq, worseDiscordant);
    }

    /** Whether it carries any of its units' statistics. */
    @JsonIgnore
    public boolean hasUnits() {
      return units != null || unitWorseSq != null || unitDiscordantSq != null || unitWorseDiscordant != null;
    }

    /** Every prompt both answered. */
    @JsonIgnore
    public long total() {
      return n(candidateWorse) + n(baselineWorse) + n(concordant);
    }

    private static long n(Long v) {
      return v == null ? 0 : v;
    }
  }

  /**
   * One arm of one signal in one window: counts for a rate ({@code events} out of {@code trials}); for a mean or a
   * ratio its {@code value} (a threshold compares it) and, to be tested, its sample: {@code n} with {@code sd}, or
   * {@code n} with {@code sum} and {@code sumSquares}; for a quantile its {@code value} or the window's
   * {@code buckets}, cumulative counts by upper bound as Prometheus's {@code _bucket} series hold them.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Arm(Long events, Long trials, Double value, Long n, Double sd, Double sum, Double sumSquares,
      Map<String, Long> buckets, Long units, Double unitEventsSq, Double unitTrialsSq, Double unitEventsTrials,
      Map<String, Double> unitBucketsSq, Map<String, Double> unitBucketsTrials) {
    public Arm(Long events, Long trials, Double value, Long n, Double sd, Double sum, Double sumSquares,
        Map<String, Long> buckets) {
      this(events, trials, value, n, sd, sum, sumSquares, buckets, null, null, null, null);
    }

    public Arm(Long events, Long trials, Double value, Long n, Double sd, Double sum, Double sumSquares,
        Map<String, Long> buckets, Long units, Double unitEventsSq, Double unitTrialsSq, Double unitEventsTrials) {
      this(events, trials, value, n, sd, sum, sumSquares, buckets, units, unitEventsSq, unitTrialsSq,
          unitEventsTrials, null, null);
    }

    /**
     * This histogram's arm with the statistics of its units since the stage began (a quantile signal with a
     * {@code unit}): {@code units} users (or sessions, conversations) and, for each bucket's upper bound, the sums
     * over units of the unit's requests up to that bound, squared ({@code unitBucketsSq}) and times the unit's
     * requests ({@code unitBucketsTrials}); at {@code +Inf} both are the sum of each unit's requests squared.
     */
    public Arm withUnitBuckets(long units, Map<String, Double> bucketsSq, Map<String, Double> bucketsTrials) {
      return new Arm(events, trials, value, n, sd, sum, sumSquares, buckets, units, null, null, null, bucketsSq,
          bucketsTrials);
    }

    public Arm(Long events, Long trials, Double value) {
      this(events, trials, value, null, null, null, null, null);
    }

    /**
     * This arm with the statistics of its units since the stage began (see {@code stats.UnitRatio}): {@code units}
     * users (or sessions, conversations) and, over them, the sums of each unit's events², trials² and events·trials
     * (for a mean: its sum of scores and its count).
     */
    public Arm withUnits(long units, double eventsSq, double trialsSq, double eventsTrials) {
      return new Arm(events, trials, value, n, sd, sum, sumSquares, buckets, units, eventsSq, trialsSq, eventsTrials);
    }

    /** Whether it carries any of its units' statistics. */
    @JsonIgnore
    public boolean hasUnits() {
      return units != null || unitEventsSq != null || unitTrialsSq != null || unitEventsTrials != null
          || unitBucketsSq != null || unitBucketsTrials != null;
    }

    public static Arm counts(long events, long trials) {
      return new Arm(events, trials, null);
    }

    public static Arm value(double value) {
      return new Arm(null, null, value);
    }

    /** A mean with its sample: {@code n} observations of mean {@code value} and standard deviation {@code sd}. */
    public static Arm mean(double value, long n, double sd) {
      return new Arm(null, null, value, n, sd, null, null, null);
    }

    /** A window's histogram: cumulative counts by upper bound ({@code "+Inf"} holds them all). */
    public static Arm buckets(Map<String, Long> buckets) {
      return new Arm(null, null, null, null, null, null, null, buckets);
    }

    /** Whether it carries any of the fields that came with scored windows (n, sd, sum, sumSquares, buckets, units). */
    @JsonIgnore
    public boolean isScored() {
      return n != null || sd != null || sum != null || sumSquares != null || buckets != null || hasUnits();
    }

    /** Its sample as a test reads it, or null without one (a value alone is a threshold's, not a test's). */
    @JsonIgnore
    public MeanTest.Sample sample() {
      if (n == null) {
        return null;
      }
      if (sum != null && sumSquares != null) {
        return new MeanTest.Sample(n, sum, sumSquares);
      }
      return value != null && sd != null ? MeanTest.Sample.of(n, value, sd) : null;
    }

    /** Its mean: the value, or sum over n. */
    @JsonIgnore
    public Double mean() {
      return value != null ? value : sum != null && n != null && n > 0 ? sum / n : null;
    }
  }

  public static Observation empty(String t, String stage, String source) {
    return new Observation(t, null, stage, Map.of(), source, null);
  }

  @JsonIgnore
  public boolean isEmpty() {
    return signals == null || signals.isEmpty();
  }

  /** The most candidate trials any rate signal saw in this window: the window's sample size. */
  @JsonIgnore
  public long candidateTrials() {
    long max = 0;
    if (signals != null) {
      for (SignalReading r : signals.values()) {
        if (r != null && r.candidate() != null && r.candidate().trials() != null) {
          max = Math.max(max, r.candidate().trials());
        }
      }
    }
    return max;
  }
}
