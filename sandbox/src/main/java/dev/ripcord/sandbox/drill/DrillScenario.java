package dev.ripcord.sandbox.drill;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A tabletop exercise: simulated traffic, which signals go bad from which stage, who answers which decision when (or
 * never), and what the release must do. See examples/drills/.
 *
 * @param signals per signal: the baseline's and the candidate's rate per output (or value), and from which stage on
 *     the candidate behaves as {@code degraded}
 * @param people scripted answers; a decision nobody answers runs into the policy's deadline
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DrillScenario(
    String name, String description, Traffic traffic, Map<String, SignalScript> signals, List<Answer> people,
    Expectation expect) {

  /** @param outputsPerMinute all traffic; @param shadowFraction mirrored to the candidate in a weight-0 stage */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Traffic(Long outputsPerMinute, Double shadowFraction) {}

  /**
   * Rates are per output (0.0003 = 3 per 10,000); means and ratios are each arm's mean (windows carry its sample);
   * quantiles are each arm's p99 in ms (windows carry log-normal histograms); {@code noise} moves other values.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SignalScript(Double baseline, Double candidate, Double degraded, String from, Double noise) {}

  /**
   * @param decision approve or reject
   * @param right which open decision it answers: rollback, promote or resume
   * @param after how long after the release asks
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Answer(String decision, String right, String by, String role, String after, String comment) {}

  /**
   * @param state the final state: ROLLED_BACK or COMPLETED
   * @param within for ROLLED_BACK: at most this long from the first degraded stage's start (or the release's start)
   * @param fired criteria that must have fired
   * @param breakGlass true: the rollback must be break-glass (the candidate to 0 % in one step)
   * @param frozen true: the release must have frozen ({@code rollback.unsafeAfter}) before people decided
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Expectation(String state, String within, List<String> fired, Boolean breakGlass, Boolean frozen) {
    public Expectation(String state, String within, List<String> fired) {
      this(state, within, fired, null, null);
    }
  }
}
