package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A condition over signals. Exactly one form per node:
 * <ul>
 *   <li>a leaf on one {@code signal}: {@code above} / {@code below} a limit in the signal's unit, or
 *       {@code baselineRatioAbove} / {@code baselineRatioBelow} comparing candidate to baseline; with an optional
 *       {@code minSamples} below which the window is inconclusive;</li>
 *   <li>{@code allOf}, {@code anyOf}: lists of conditions;</li>
 *   <li>{@code atLeast} with {@code of}: at least k of the listed conditions (multi-factor).</li>
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConditionSpec(
    String signal,
    Double above,
    Double below,
    Double baselineRatioAbove,
    Double baselineRatioBelow,
    Long minSamples,
    List<ConditionSpec> allOf,
    List<ConditionSpec> anyOf,
    Integer atLeast,
    List<ConditionSpec> of) {

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isLeaf() {
    return signal != null;
  }

  public long minSamplesOrZero() {
    return minSamples == null ? 0 : minSamples;
  }
}
