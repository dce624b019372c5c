package dev.ripcord.workflows.decision;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What was observed in one evaluation window: per signal, the candidate's and (where configured) the baseline's
 * counts or values, optionally per slice. One line of the backtest format is one observation.
 *
 * @param t the window's end (ISO-8601)
 * @param from the window's start, if known
 * @param stage the stage the release was in
 * @param source where it came from (pushed, scripted, a query), so the decision can be reproduced
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Observation(
    String t, String from, String stage, Map<String, SignalReading> signals, String source, String query) {

  /** One signal in one window. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SignalReading(Arm candidate, Arm baseline, Map<String, SignalReading> slices) {}

  /** Counts for a rate ({@code events} out of {@code trials}) or a {@code value} for means and quantiles. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Arm(Long events, Long trials, Double value) {
    public static Arm counts(long events, long trials) {
      return new Arm(events, trials, null);
    }

    public static Arm value(double value) {
      return new Arm(null, null, value);
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
