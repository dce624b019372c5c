package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A condition over signals. Exactly one form per node:
 * <ul>
 *   <li>a leaf on one {@code signal}; for rates also {@code confidence} (a per-window Wilson bound must clear the
 *       limit), {@code test: sprt|cusum} with {@code above} (sequential test of the rate against the limit, the
 *       alternative being {@code detect} times it, default 2), {@code test: msprt|cusum} with
 *       {@code baselineRatioAbove} (sequential comparison with the concurrent baseline), {@code alpha} (this test's
 *       share of the false-rollback budget), or {@code sliceRatioAbove} with {@code sliceVs: rest|baseline}
 *       (fairness: the worst slice against the other slices, or against its own baseline); on a mean with
 *       {@code test: msprt} and a baseline ratio, an always-valid comparison of means; on a quantile signal
 *       {@code quantile} (e.g. 0.99) read from each window's histogram;</li>
 *   <li>otherwise a leaf on one {@code signal}: {@code above} / {@code below} a limit in the signal's unit, or
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
    List<ConditionSpec> of,
    String test,
    Double alpha,
    Double detect,
    Double confidence,
    Double sliceRatioAbove,
    String sliceVs,
    Double quantile) {

  /** Every form but quantiles. */
  public ConditionSpec(String signal, Double above, Double below, Double baselineRatioAbove, Double baselineRatioBelow,
      Long minSamples, List<ConditionSpec> allOf, List<ConditionSpec> anyOf, Integer atLeast, List<ConditionSpec> of,
      String test, Double alpha, Double detect, Double confidence, Double sliceRatioAbove, String sliceVs) {
    this(signal, above, below, baselineRatioAbove, baselineRatioBelow, minSamples, allOf, anyOf, atLeast, of, test,
        alpha, detect, confidence, sliceRatioAbove, sliceVs, null);
  }

  /** The leaf forms that existed before the statistical tests, for tests and builders. */
  public ConditionSpec(String signal, Double above, Double below, Double baselineRatioAbove, Double baselineRatioBelow,
      Long minSamples, List<ConditionSpec> allOf, List<ConditionSpec> anyOf, Integer atLeast, List<ConditionSpec> of) {
    this(signal, above, below, baselineRatioAbove, baselineRatioBelow, minSamples, allOf, anyOf, atLeast, of,
        null, null, null, null, null, null, null);
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isLeaf() {
    return signal != null;
  }

  /** The one form this node takes; see {@link Condition}. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public Condition form() {
    int forms = (signal != null ? 1 : 0) + (allOf != null ? 1 : 0) + (anyOf != null ? 1 : 0)
        + (atLeast != null || of != null ? 1 : 0);
    if (forms != 1) {
      return new Condition.Malformed(forms);
    }
    if (signal != null) {
      return new Condition.Leaf(this);
    }
    if (allOf != null) {
      return new Condition.Composite(Condition.Composite.Kind.ALL_OF, allOf, allOf.size());
    }
    if (anyOf != null) {
      return new Condition.Composite(Condition.Composite.Kind.ANY_OF, anyOf, 1);
    }
    return new Condition.Composite(Condition.Composite.Kind.AT_LEAST, of == null ? List.of() : of,
        atLeast == null ? 0 : atLeast);
  }

  /**
   * Whether {@code test} holds for any leaf of this condition (the node itself when it is one, its children's leaves
   * when it is a composite; empty children are no leaves).
   */
  public boolean anyLeaf(java.util.function.Predicate<ConditionSpec> test) {
    if (form() instanceof Condition.Composite composite) {
      return composite.children().stream().anyMatch(x -> x != null && x.anyLeaf(test));
    }
    return isLeaf() && test.test(this);
  }

  public long minSamplesOrZero() {
    return minSamples == null ? 0 : minSamples;
  }
}
