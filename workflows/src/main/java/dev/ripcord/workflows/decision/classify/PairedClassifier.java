package dev.ripcord.workflows.decision.classify;

import dev.ripcord.workflows.decision.Measure;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Pairs;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.stats.SequentialTest;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.Locale;

/**
 * A paired comparison on the same prompts, in the spirit of McNemar's test: only discordant pairs (one answer bad,
 * the other good) carry evidence, and under H0 each falls on the candidate's side with probability r0/(1+r0) (one
 * half for {@code baselineRatioAbove: 1.0}). Given the discordant count that is an exact binomial, tested by the same
 * always-valid {@link SequentialTest} (mixture SPRT or CUSUM) as a split between arms with equal exposure, so it
 * spends the false-rollback budget like every other sequential leaf. Concordant pairs only count toward
 * {@code minSamples}.
 */
final class PairedClassifier implements Classifier {
  @Override
  public Classified classify(Leaf leaf, SignalSpec s, ConditionSpec c, Observation o) {
    if (UnitPairedClassifier.applies(leaf, s, c)) {
      return UnitPairedClassifier.classify(leaf, s, c, o);
    }
    String key = leaf.path() + "/";
    SequentialTest.Kind kind = SequentialTest.Kind.valueOf(c.test().toUpperCase(Locale.ROOT));
    SequentialTest test = new SequentialTest(kind, true, c.baselineRatioAbove(), c.detect() == null ? 2.0 : c.detect(),
        leaf.alpha(), leaf.allocation().horizonWindows(), leaf.sustainWindows(), leaf.sustainOf(), leaf.rules());
    double[] state = leaf.state(key + "s", test.stateSize());
    String name = (kind == SequentialTest.Kind.MSPRT ? "mSPRT" : kind.name()) + " on discordant pairs";
    SignalReading r = Arms.reading(s, o);
    Pairs p = r == null ? null : r.pairs();
    if (p == null || p.total() == 0) {
      return Classified.inconclusive(s.name() + ": no same-prompt pairs this window (" + name
          + String.format(Locale.ROOT, " log-LR %.2f", test.statistic(state)) + ")");
    }
    long worse = p.candidateWorse() == null ? 0 : p.candidateWorse();
    long better = p.baselineWorse() == null ? 0 : p.baselineWorse();
    // Equal exposure: every prompt was answered by both, so the split of discordant pairs is all that is tested.
    double stat = test.update(state, worse, p.total(), better, p.total(), leaf.moment());
    leaf.keep(key + "s", state);
    double n = leaf.stats().getOrDefault(key + "n", 0.0) + p.total();
    double d = leaf.stats().getOrDefault(key + "d", 0.0) + worse + better;
    double w = leaf.stats().getOrDefault(key + "w", 0.0) + worse;
    leaf.stats().put(key + "n", n);
    leaf.stats().put(key + "d", d);
    leaf.stats().put(key + "w", w);
    boolean enough = n >= c.minSamplesOrZero();
    boolean breach = enough && stat >= test.threshold();
    double r0 = c.baselineRatioAbove();
    return Classified.of(breach, String.format(Locale.ROOT, "%s: candidate worse on %d, baseline worse on %d of %d"
            + " same-prompt pairs this window (%d of %d discordant pairs so far on the candidate's side; %.2f under"
            + " H0), %s log-LR %.2f %s %.2f (α=%.1e, %d pairs)", s.name(), worse, better, p.total(), (long) w,
        (long) d, r0 / (1 + r0), name, stat, breach ? ">=" : "<", test.threshold(), leaf.alpha(), (long) n)
        + (enough ? "" : ", waiting for " + c.minSamplesOrZero() + " pairs"))
        .with(Measure.of(leaf.path(), s.name(), "log-LR", stat, ">=", test.threshold(), d > 0 ? w / d : null,
            r0 / (1 + r0), (long) n));
  }
}
