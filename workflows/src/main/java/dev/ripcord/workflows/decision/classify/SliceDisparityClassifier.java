package dev.ripcord.workflows.decision.classify;

import dev.ripcord.workflows.decision.Measure;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Fairness: the worst slice's rate against the other slices' ({@code sliceVs: rest}) or its own baseline
 * ({@code sliceVs: baseline}); the ratio above {@code sliceRatioAbove} breaches.
 */
final class SliceDisparityClassifier implements Classifier {
  @Override
  public Classified classify(Leaf leaf, SignalSpec s, ConditionSpec c, Observation o) {
    SignalReading r = Arms.reading(s, o);
    if (r == null || r.slices() == null || r.slices().isEmpty()) {
      return Classified.inconclusive(s.name() + ": no slices this window");
    }
    boolean vsBaseline = "baseline".equals(c.sliceVs());
    long min = Math.max(1, c.minSamplesOrZero());
    long totalEvents = 0;
    long totalTrials = 0;
    for (SignalReading slice : r.slices().values()) {
      if (slice != null && slice.candidate() != null && slice.candidate().trials() != null) {
        totalEvents += slice.candidate().events() == null ? 0 : slice.candidate().events();
        totalTrials += slice.candidate().trials();
      }
    }
    String worst = null;
    double worstRatio = Double.NEGATIVE_INFINITY;
    double worstRate = 0;
    double worstRef = 0;
    for (var e : new TreeMap<>(r.slices()).entrySet()) {
      SignalReading slice = e.getValue();
      if (slice == null || slice.candidate() == null || slice.candidate().trials() == null
          || slice.candidate().trials() < min) {
        continue;
      }
      Arm a = slice.candidate();
      Arm ref = vsBaseline ? slice.baseline() : rest(a, totalEvents, totalTrials);
      if (ref == null || ref.trials() == null || ref.trials() < min) {
        continue;
      }
      double ratio = Arms.smoothedRate(s, a, 0) / Arms.smoothedRate(s, ref, 0);
      if (ratio > worstRatio) {
        worstRatio = ratio;
        worst = e.getKey();
        worstRate = Arms.rate(s, a);
        worstRef = Arms.rate(s, ref);
      }
    }
    if (worst == null) {
      return Classified.inconclusive(s.name() + ": no slice with " + min + " samples on both sides");
    }
    boolean breach = worstRatio > c.sliceRatioAbove();
    return Classified.of(breach, s.name() + " worst slice " + worst + " " + Arms.fmt(s, worstRate) + " vs "
        + (vsBaseline ? "its baseline " : "other slices ") + Arms.fmt(s, worstRef)
        + String.format(Locale.ROOT, ", ratio %.2f %s %.2f", worstRatio, breach ? ">" : "<=", c.sliceRatioAbove()))
        .with(Measure.of(leaf.path(), s.name(), "ratio", worstRatio, ">", c.sliceRatioAbove(), worstRate, worstRef,
            null));
  }

  /** The other slices together, or null when there are none. */
  private static Arm rest(Arm slice, long totalEvents, long totalTrials) {
    long ev = totalEvents - (slice.events() == null ? 0 : slice.events());
    long tr = totalTrials - slice.trials();
    return tr > 0 ? Arm.counts(ev, tr) : null;
  }
}
