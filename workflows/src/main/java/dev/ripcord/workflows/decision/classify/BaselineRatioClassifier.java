package dev.ripcord.workflows.decision.classify;

import dev.ripcord.workflows.decision.Measure;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.Locale;

/**
 * The candidate against the concurrent baseline in the same window: the ratio {@code baselineRatioAbove} or
 * {@code baselineRatioBelow} breaches. Rates are smoothed (half an event) so a zero count compares finitely.
 */
final class BaselineRatioClassifier implements Classifier {
  @Override
  public Classified classify(Leaf leaf, SignalSpec s, ConditionSpec c, Observation o) {
    SignalReading r = Arms.reading(s, o);
    if (r == null || r.candidate() == null) {
      return Classified.inconclusive(s.name() + ": no candidate data");
    }
    long min = c.minSamplesOrZero();
    Double cand = Arms.value(s, r.candidate(), min);
    if (cand == null) {
      return Classified.inconclusive(s.name() + ": " + Arms.shortfall(s, r.candidate(), min));
    }
    if (r.baseline() == null) {
      return Classified.inconclusive(s.name() + ": no baseline data");
    }
    Double base = s.isRate() ? Arms.smoothedRate(s, r.baseline(), min) : r.baseline().value();
    if (base == null) {
      return Classified.inconclusive(s.name() + ": baseline " + Arms.shortfall(s, r.baseline(), min));
    }
    double candForRatio = s.isRate() ? Arms.smoothedRate(s, r.candidate(), 0) : cand;
    double ratio = base == 0 ? (candForRatio == 0 ? 1.0 : Double.POSITIVE_INFINITY) : candForRatio / base;
    boolean above = c.baselineRatioAbove() != null;
    double limit = above ? c.baselineRatioAbove() : c.baselineRatioBelow();
    boolean breach = above ? ratio > limit : ratio < limit;
    return Classified.of(breach, s.name() + " " + Arms.fmt(s, cand) + " vs baseline "
        + Arms.fmt(s, s.isRate() ? Arms.rate(s, r.baseline()) : base) + String.format(Locale.ROOT, ", ratio %.2f", ratio)
        + (breach ? (above ? " > " : " < ") : (above ? " <= " : " >= ")) + String.format(Locale.ROOT, "%.2f", limit)
        + (s.isRate() ? "" : " (no sample size: a threshold, not a test)"))
        .with(Measure.of(leaf.path(), s.name(), "ratio", ratio, above ? ">" : "<", limit, cand,
            s.isRate() ? Arms.rate(s, r.baseline()) : base, null));
  }
}
