package dev.ripcord.workflows.decision.classify;

import dev.ripcord.workflows.decision.Measure;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.stats.MeanTest;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.Locale;

/**
 * A graded score or other mean against the concurrent baseline's, with a margin, by an always-valid test
 * ({@link MeanTest}): {@code baselineRatioBelow: 0.97, test: msprt} rolls back once the candidate's mean is, with
 * always-valid confidence 1-α, below 0.97 times the baseline's. Each window adds its arms' samples to the running sums
 * kept in the criterion's statistics; a window whose arms carry no sample is inconclusive, never healthy.
 */
final class MeanTestClassifier implements Classifier {
  @Override
  public Classified classify(Leaf leaf, SignalSpec s, ConditionSpec c, Observation o) {
    if (UnitTestClassifier.applies(leaf, s, c)) {
      return UnitTestClassifier.classify(leaf, s, c, o);
    }
    boolean lowerIsWorse = c.baselineRatioBelow() != null;
    double margin = lowerIsWorse ? c.baselineRatioBelow() : c.baselineRatioAbove();
    double alpha = leaf.alpha();
    SignalReading r = Arms.reading(s, o);
    MeanTest.Sample cand = r == null || r.candidate() == null ? null : r.candidate().sample();
    MeanTest.Sample base = r == null || r.baseline() == null ? null : r.baseline().sample();
    if (cand == null || base == null) {
      return Classified.inconclusive(s.name() + ": " + (r == null || r.candidate() == null ? "no candidate data"
          : r.baseline() == null ? "no baseline data" : "no sample size (send n with sd, or n, sum and sumSquares):"
          + " a value alone is a threshold's evidence, not a test's") + " this window");
    }
    // The sums since the release began; under stage restarts also those since each stage began, judged against
    // ln(K/α) for K stages (a union bound over where the change may start), the largest statistic counting.
    boolean restarts = leaf.rules().stageRestarts();
    int k = restarts ? leaf.stages() : 1;
    MeanTest test = new MeanTest(margin, lowerIsWorse, alpha / k);
    java.util.List<String> keys = restarts ? leaf.sinceEachStage(leaf.path() + "/m", o.stage())
        : java.util.List.of(leaf.path() + "/m");
    MeanTest.Result best = null;
    String since = null;
    for (String key : keys) {
      double[] state = leaf.state(key, MeanTest.STATE);
      MeanTest.add(state, cand, base);
      leaf.keep(key, state);
      MeanTest.Result t = test.evaluate(state);
      if (t != null && (best == null || worseEvidence(t, margin, lowerIsWorse) > worseEvidence(best, margin,
          lowerIsWorse))) {
        best = t;
        since = Leaf.stageOf(key);
      }
    }
    if (best == null) {
      return Classified.inconclusive(s.name() + ": too few observations, or a baseline mean of 0 or less (a ratio"
          + " to it says nothing)");
    }
    boolean enough = best.candidateN() >= c.minSamplesOrZero();
    boolean breach = enough && best.crossed();
    String side = lowerIsWorse ? "≤" : "≥";
    return Classified.of(breach, String.format(Locale.ROOT, "%s %s (n %,d) vs baseline %s (n %,d)%s: ratio %.3f, %s"
        + " %.3f at %s always-valid confidence %s %.2f (log-LR %.2f, crossing at %.2f)%s", s.name(),
        Arms.fmt(s, best.candidateMean()), best.candidateN(), Arms.fmt(s, best.baselineMean()), best.baselineN(),
        since == null || k == 1 ? "" : " since stage '" + since + "'", best.ratio(), side, best.bound(),
        percent(1 - alpha / k), breach ? (lowerIsWorse ? "<" : ">") : (lowerIsWorse ? "not <" : "not >"), margin,
        best.logLambda(), best.threshold(), enough ? "" : ", waiting for " + c.minSamplesOrZero() + " samples"))
        .with(Measure.of(leaf.path(), s.name(), lowerIsWorse ? "upper bound" : "lower bound", best.bound(),
            lowerIsWorse ? "<" : ">", margin, best.candidateMean(), best.baselineMean(), best.candidateN()));
  }

  /** The statistic's evidence that the candidate is worse than the margin: negative when it lies on the better side. */
  private static double worseEvidence(MeanTest.Result t, double margin, boolean lowerIsWorse) {
    boolean worse = lowerIsWorse ? t.ratio() < margin : t.ratio() > margin;
    return worse ? t.logLambda() : -t.logLambda();
  }

  /** 0.999 as "99.9 %", 0.99997 as "99.997 %". */
  static String percent(double p) {
    return Arms.trimmed(p * 100, 6) + " %";
  }
}
