package dev.ripcord.workflows.decision.classify;

import dev.ripcord.workflows.decision.Measure;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.stats.MeanTest;
import dev.ripcord.workflows.decision.stats.UnitRatio;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.Locale;

/**
 * A comparison with the baseline over units ({@code unit: user | session | conversation} on the signal): each arm's
 * rate or mean since the stage began as a ratio of sums over its units, with the delta method's cluster-robust
 * variance ({@link UnitRatio}), compared by the always-valid test of means ({@link MeanTest}) against the margin.
 * The window's own counts are added to the stage's totals kept in the criterion's statistics; its unit statistics
 * are the source's since the stage began, so each window's look uses all the stage's evidence, and each stage is
 * judged on its own units against ln(K/α) for K stages (units stick to an arm for a stage, not beyond it).
 */
final class UnitTestClassifier {
  private UnitTestClassifier() {}

  /** Whether this leaf compares the arms over units: a signal with units, a mixture test against the baseline. */
  static boolean applies(Leaf leaf, SignalSpec s, ConditionSpec c) {
    return s.unit() != null && leaf.rules().units() && "msprt".equals(c.test()) && c.above() == null
        && c.below() == null && (c.baselineRatioAbove() != null || c.baselineRatioBelow() != null);
  }

  static Classified classify(Leaf leaf, SignalSpec s, ConditionSpec c, Observation o) {
    SignalReading r = Arms.reading(s, o);
    Arm cand = r == null ? null : r.candidate();
    Arm base = r == null ? null : r.baseline();
    if (cand == null || base == null) {
      return Classified.inconclusive(s.name() + ": no " + (cand == null ? "candidate" : "baseline") + " data this"
          + " window");
    }
    if (cand.units() == null || base.units() == null || cand.unitEventsSq() == null || base.unitEventsSq() == null
        || cand.unitTrialsSq() == null || base.unitTrialsSq() == null || cand.unitEventsTrials() == null
        || base.unitEventsTrials() == null) {
      return Classified.inconclusive(s.name() + ": no " + s.unit() + " statistics this window (send units,"
          + " unitEventsSq, unitTrialsSq and unitEventsTrials since the stage began, for both arms)");
    }
    double[] window = totals(s, cand, base);
    if (window == null) {
      return Classified.inconclusive(s.name() + ": no " + (s.isRate() ? "events and trials" : "sample (n with sd,"
          + " or n, sum and sumSquares)") + " beside the " + s.unit() + " statistics this window");
    }
    String stage = o.stage() == null ? "" : o.stage();
    String key = leaf.path() + "/u@" + stage + "/";
    double[] sums = leaf.state(key, 4);
    for (int i = 0; i < 4; i++) {
      sums[i] += window[i];
    }
    leaf.keep(key, sums);
    UnitRatio uc = new UnitRatio(cand.units(), sums[0], sums[1], cand.unitEventsSq(), cand.unitTrialsSq(),
        cand.unitEventsTrials());
    UnitRatio ub = new UnitRatio(base.units(), sums[2], sums[3], base.unitEventsSq(), base.unitTrialsSq(),
        base.unitEventsTrials());
    MeanTest.Sample sc = uc.asSample();
    MeanTest.Sample sb = ub.asSample();
    boolean lowerIsWorse = c.baselineRatioBelow() != null;
    double margin = lowerIsWorse ? c.baselineRatioBelow() : c.baselineRatioAbove();
    int k = Math.max(1, leaf.stages());
    double alpha = leaf.alpha() / k;
    MeanTest.Result t = sc == null || sb == null ? null : new MeanTest(margin, lowerIsWorse, alpha,
        s.isRate() ? MeanTest.RATE_TAU : MeanTest.TAU).evaluate(new double[] {sc.n(), sc.sum(), sc.sumSquares(),
        sb.n(), sb.sum(), sb.sumSquares()});
    if (t == null) {
      return Classified.inconclusive(s.name() + ": fewer than two " + s.unit() + "s in an arm, or a baseline "
          + (s.isRate() ? "rate" : "mean") + " of 0, since stage '" + stage + "'");
    }
    boolean enough = sums[1] >= c.minSamplesOrZero();
    boolean breach = enough && t.crossed();
    double scale = s.isRate() ? s.perOrOne() : 1;
    return Classified.of(breach, String.format(Locale.ROOT, "%s %s over %,d %ss vs baseline %s over %,d %ss since"
        + " stage '%s': ratio %.3f, %s %.3f at %s always-valid confidence %s %.2f (log-LR %.2f, crossing at %.2f;"
        + " variance over %ss)%s", s.name(), Arms.fmt(s, uc.ratio() * scale), cand.units(), s.unit(),
        Arms.fmt(s, ub.ratio() * scale), base.units(), s.unit(), stage, t.ratio(), lowerIsWorse ? "≤" : "≥",
        t.bound(), MeanTestClassifier.percent(1 - alpha), breach ? (lowerIsWorse ? "<" : ">")
        : (lowerIsWorse ? "not <" : "not >"), margin, t.logLambda(), t.threshold(), s.unit(),
        enough ? "" : ", waiting for " + c.minSamplesOrZero() + " samples"))
        .with(Measure.of(leaf.path(), s.name(), lowerIsWorse ? "upper bound" : "lower bound", t.bound(),
            lowerIsWorse ? "<" : ">", margin, uc.ratio() * scale, ub.ratio() * scale, (long) sums[1]));
  }

  /** The window's own totals, candidate then baseline: events and trials, or a mean's sum and count. */
  private static double[] totals(SignalSpec s, Arm cand, Arm base) {
    if (s.isRate()) {
      if (cand.trials() == null || base.trials() == null) {
        return null;
      }
      return new double[] {cand.events() == null ? 0 : cand.events(), cand.trials(),
          base.events() == null ? 0 : base.events(), base.trials()};
    }
    MeanTest.Sample c = cand.sample();
    MeanTest.Sample b = base.sample();
    return c == null || b == null ? null : new double[] {c.sum(), c.n(), b.sum(), b.n()};
  }
}
