package dev.ripcord.workflows.decision.classify;

import dev.ripcord.workflows.decision.Measure;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.stats.SequentialTest;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.Locale;

/**
 * A sequential test that stays valid under continuous monitoring ({@link SequentialTest}): SPRT or CUSUM of a rate
 * against its limit ({@code above}), mixture SPRT or CUSUM of how events split between candidate and baseline
 * ({@code baselineRatioAbove}). Its state accumulates over windows in the criterion's statistics; the leaf breaches
 * when the statistic crosses the test's threshold and enough candidate samples were seen.
 */
final class SequentialClassifier implements Classifier {
  @Override
  public Classified classify(Leaf leaf, SignalSpec s, ConditionSpec c, Observation o) {
    if (UnitTestClassifier.applies(leaf, s, c)) {
      return UnitTestClassifier.classify(leaf, s, c, o);
    }
    String key = leaf.path() + "/";
    double alpha = leaf.alpha();
    SequentialTest.Kind kind = SequentialTest.Kind.valueOf(c.test().toUpperCase(Locale.ROOT));
    boolean vsBaseline = c.above() == null;
    SequentialTest test = new SequentialTest(kind, vsBaseline,
        vsBaseline ? c.baselineRatioAbove() : c.above() / s.perOrOne(), c.detect() == null ? 2.0 : c.detect(), alpha,
        leaf.allocation().horizonWindows(), leaf.sustainWindows(), leaf.sustainOf(), leaf.rules());
    double[] state = leaf.state(key + "s", test.stateSize());
    String name = kind == SequentialTest.Kind.MSPRT ? "mSPRT" : kind.name();
    String budget = String.format(Locale.ROOT, "α=%.1e", alpha);
    SignalReading r = Arms.reading(s, o);
    if (r == null || r.candidate() == null || r.candidate().trials() == null || r.candidate().trials() <= 0) {
      return Classified.inconclusive(s.name() + ": no candidate data this window (" + name
          + String.format(Locale.ROOT, " log-LR %.2f", test.statistic(state)) + ")");
    }
    Arm cand = r.candidate();
    long nc = cand.trials();
    long xc = cand.events() == null ? 0 : cand.events();
    long nb = 0;
    long xb = 0;
    String numbers;
    if (vsBaseline) {
      if (r.baseline() == null || r.baseline().trials() == null || r.baseline().trials() <= 0) {
        return Classified.inconclusive(s.name() + ": no baseline data this window (" + name
            + String.format(Locale.ROOT, " log-LR %.2f", test.statistic(state)) + ")");
      }
      nb = r.baseline().trials();
      xb = r.baseline().events() == null ? 0 : r.baseline().events();
      numbers = s.name() + " " + Arms.fmt(s, Arms.rate(s, cand)) + " vs baseline "
          + Arms.fmt(s, Arms.rate(s, r.baseline())) + " this window";
    } else {
      numbers = s.name() + " " + Arms.fmt(s, Arms.rate(s, cand)) + " this window vs limit " + Arms.fmt(s, c.above());
    }
    double stat = test.update(state, xc, nc, xb, nb, leaf.moment());
    leaf.keep(key + "s", state);
    double n = leaf.stats().getOrDefault(key + "n", 0.0) + nc;
    leaf.stats().put(key + "n", n);
    boolean enough = n >= c.minSamplesOrZero();
    boolean breach = enough && stat >= test.threshold();
    return Classified.of(breach, numbers + String.format(Locale.ROOT,
        ", %s log-LR %.2f %s %.2f (%s, %d candidate samples)", name, stat, breach ? ">=" : "<", test.threshold(),
        budget, (long) n) + (enough ? "" : ", waiting for " + c.minSamplesOrZero() + " samples"))
        .with(Measure.of(leaf.path(), s.name(), "log-LR", stat, ">=", test.threshold(), Arms.rate(s, cand),
            vsBaseline ? Arms.rate(s, r.baseline()) : null, (long) n));
  }
}
