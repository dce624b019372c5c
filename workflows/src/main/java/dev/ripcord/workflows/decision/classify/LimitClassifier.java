package dev.ripcord.workflows.decision.classify;

import dev.ripcord.workflows.decision.Measure;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.SignalSpec;

/** An absolute per-window limit: the candidate's value {@code above} or {@code below} it breaches. */
final class LimitClassifier implements Classifier {
  @Override
  public Classified classify(Leaf leaf, SignalSpec s, ConditionSpec c, Observation o) {
    SignalReading r = Arms.reading(s, o);
    if (r == null || r.candidate() == null) {
      return Classified.inconclusive(s.name() + ": no candidate data");
    }
    Double cand = Arms.value(s, r.candidate(), c.minSamplesOrZero());
    if (cand == null) {
      return Classified.inconclusive(s.name() + ": " + Arms.shortfall(s, r.candidate(), c.minSamplesOrZero()));
    }
    boolean above = c.above() != null;
    double limit = above ? c.above() : c.below();
    boolean breach = above ? cand > limit : cand < limit;
    return Classified.of(breach, s.name() + " " + Arms.fmt(s, cand)
        + (breach ? (above ? " > " : " < ") : (above ? " <= " : " >= ")) + Arms.fmt(s, limit))
        .with(Measure.of(leaf.path(), s.name(), "value", cand, above ? ">" : "<", limit, cand, null, null));
  }
}
