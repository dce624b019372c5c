package dev.ripcord.workflows.decision.classify;

import dev.ripcord.workflows.decision.Measure;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Pairs;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.stats.MeanTest;
import dev.ripcord.workflows.decision.stats.UnitRatio;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.Locale;

/**
 * A paired comparison over units ({@code unit: user | session | conversation} on a paired signal): one user's prompts
 * tend to split the same way (a hard topic, a long conversation), so the discordant pairs are not independent. The
 * share of discordant pairs on the candidate's side since the stage began is a ratio of sums over units
 * (candidate-worse ÷ discordant), with the delta method's variance over units ({@link UnitRatio}), tested by the
 * always-valid test of means against r0/(1 + r0) ({@link MeanTest#against}). The windows' counts are summed since the
 * stage began in the criterion's statistics; their unit sums come from the source since the stage began. Each stage
 * is judged on its own units against ln(K/α) for K stages. The mixing scale is the effect {@code detect} names (2 by
 * default: the candidate worse twice as often as r0 allows).
 */
final class UnitPairedClassifier {
  private UnitPairedClassifier() {}

  /** Whether this leaf splits pairs over units: a paired signal with units, a mixture test. */
  static boolean applies(Leaf leaf, SignalSpec s, ConditionSpec c) {
    return s.unit() != null && leaf.rules().unitShares() && "msprt".equals(c.test());
  }

  static Classified classify(Leaf leaf, SignalSpec s, ConditionSpec c, Observation o) {
    SignalReading r = Arms.reading(s, o);
    Pairs p = r == null ? null : r.pairs();
    if (p == null || p.total() == 0) {
      return Classified.inconclusive(s.name() + ": no same-prompt pairs this window");
    }
    if (p.units() == null || p.unitWorseSq() == null || p.unitDiscordantSq() == null
        || p.unitWorseDiscordant() == null) {
      return Classified.inconclusive(s.name() + ": no " + s.unit() + " statistics this window (send units,"
          + " unitWorseSq, unitDiscordantSq and unitWorseDiscordant since the stage began)");
    }
    String stage = o.stage() == null ? "" : o.stage();
    String key = leaf.path() + "/up@" + stage + "/";
    double[] sums = leaf.state(key, 3); // pairs, discordant pairs, candidate-worse pairs since the stage began
    long worse = p.candidateWorse() == null ? 0 : p.candidateWorse();
    long better = p.baselineWorse() == null ? 0 : p.baselineWorse();
    sums[0] += p.total();
    sums[1] += worse + better;
    sums[2] += worse;
    leaf.keep(key, sums);
    double r0 = c.baselineRatioAbove();
    double p0 = r0 / (1 + r0);
    double detect = (c.detect() == null ? 2.0 : c.detect()) * r0;
    double tau = detect / (1 + detect) / p0 - 1;
    int k = Math.max(1, leaf.stages());
    double alpha = leaf.alpha() / k;
    MeanTest.Sample sample = new UnitRatio(p.units(), sums[2], sums[1], p.unitWorseSq(), p.unitDiscordantSq(),
        p.unitWorseDiscordant()).asSample();
    MeanTest.Result t = sample == null ? null : new MeanTest(1, false, alpha, tau).against(sample, p0);
    if (t == null) {
      return Classified.inconclusive(String.format(Locale.ROOT, "%s: fewer than two %ss, or no discordant pairs,"
          + " since stage '%s' (%d of %d pairs so far)", s.name(), s.unit(), stage, (long) sums[1], (long) sums[0]));
    }
    boolean enough = sums[0] >= c.minSamplesOrZero();
    boolean breach = enough && t.crossed();
    return Classified.of(breach, String.format(Locale.ROOT, "%s: candidate worse on %,d of %,d discordant pairs"
        + " (%,d pairs) from %,d %ss since stage '%s', %.3f against %.3f under H0; ratio %.2f ≥ %.2f at %s"
        + " always-valid confidence %s 1 (log-LR %.2f, crossing at %.2f; variance over %ss)%s", s.name(),
        (long) sums[2], (long) sums[1], (long) sums[0], p.units(), s.unit(), stage, sums[2] / sums[1], p0,
        t.ratio(), t.bound(), MeanTestClassifier.percent(1 - alpha), breach ? ">" : "not >", t.logLambda(),
        t.threshold(), s.unit(), enough ? "" : ", waiting for " + c.minSamplesOrZero() + " pairs"))
        .with(Measure.of(leaf.path(), s.name(), "lower bound", t.bound(), ">", 1, sums[2] / sums[1], p0,
            (long) sums[0]));
  }
}
