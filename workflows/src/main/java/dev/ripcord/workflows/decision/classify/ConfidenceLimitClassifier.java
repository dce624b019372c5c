package dev.ripcord.workflows.decision.classify;

import dev.ripcord.workflows.decision.Measure;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.stats.Stats;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.Locale;

/** A per-window limit on a rate that must be cleared with {@code confidence}: the Wilson bound, not the estimate. */
final class ConfidenceLimitClassifier implements Classifier {
  @Override
  public Classified classify(Leaf leaf, SignalSpec s, ConditionSpec c, Observation o) {
    SignalReading r = Arms.reading(s, o);
    if (r == null || r.candidate() == null) {
      return Classified.inconclusive(s.name() + ": no candidate data");
    }
    Arm a = r.candidate();
    if (a.trials() == null || a.events() == null || a.trials() <= 0 || a.trials() < c.minSamplesOrZero()) {
      return Classified.inconclusive(s.name() + ": " + Arms.shortfall(s, a, c.minSamplesOrZero()));
    }
    double z = Stats.normalQuantile(c.confidence());
    boolean above = c.above() != null;
    double bound = Stats.wilson(a.events(), a.trials(), z, above) * s.perOrOne();
    double limit = above ? c.above() : c.below();
    boolean breach = above ? bound > limit : bound < limit;
    return Classified.of(breach, s.name() + " " + Arms.fmt(s, Arms.rate(s, a)) + String.format(Locale.ROOT,
        ", %s %.1f %% bound %s %s %s", above ? "lower" : "upper", c.confidence() * 100, Arms.fmt(s, bound),
        breach ? (above ? ">" : "<") : (above ? "<=" : ">="), Arms.fmt(s, limit)))
        .with(Measure.of(leaf.path(), s.name(), above ? "lower bound" : "upper bound", bound, above ? ">" : "<", limit,
            Arms.rate(s, a), null, a.trials()));
  }
}
