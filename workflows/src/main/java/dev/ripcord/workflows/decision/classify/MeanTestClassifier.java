package dev.ripcord.workflows.decision.classify;

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
    boolean lowerIsWorse = c.baselineRatioBelow() != null;
    double margin = lowerIsWorse ? c.baselineRatioBelow() : c.baselineRatioAbove();
    double alpha = leaf.alpha();
    MeanTest test = new MeanTest(margin, lowerIsWorse, alpha);
    String key = leaf.path() + "/m";
    double[] state = new double[MeanTest.STATE];
    for (int k = 0; k < state.length; k++) {
      state[k] = leaf.stats().getOrDefault(key + k, 0.0);
    }
    SignalReading r = Arms.reading(s, o);
    MeanTest.Sample cand = r == null || r.candidate() == null ? null : r.candidate().sample();
    MeanTest.Sample base = r == null || r.baseline() == null ? null : r.baseline().sample();
    if (cand == null || base == null) {
      return Classified.inconclusive(s.name() + ": " + (r == null || r.candidate() == null ? "no candidate data"
          : r.baseline() == null ? "no baseline data" : "no sample size (send n with sd, or n, sum and sumSquares):"
          + " a value alone is a threshold's evidence, not a test's") + " this window");
    }
    MeanTest.add(state, cand, base);
    for (int k = 0; k < state.length; k++) {
      leaf.stats().put(key + k, state[k]);
    }
    MeanTest.Result t = test.evaluate(state);
    if (t == null) {
      return Classified.inconclusive(s.name() + ": too few observations, or a baseline mean of 0 or less (a ratio"
          + " to it says nothing)");
    }
    boolean enough = t.candidateN() >= c.minSamplesOrZero();
    boolean breach = enough && t.crossed();
    String side = lowerIsWorse ? "≤" : "≥";
    return Classified.of(breach, String.format(Locale.ROOT, "%s %s (n %,d) vs baseline %s (n %,d): ratio %.3f, %s"
        + " %.3f at %s always-valid confidence %s %.2f (log-LR %.2f, crossing at %.2f)%s", s.name(),
        Arms.fmt(s, t.candidateMean()), t.candidateN(), Arms.fmt(s, t.baselineMean()), t.baselineN(), t.ratio(),
        side, t.bound(), percent(1 - alpha), breach ? (lowerIsWorse ? "<" : ">") : (lowerIsWorse ? "not <" : "not >"),
        margin, t.logLambda(), t.threshold(), enough ? "" : ", waiting for " + c.minSamplesOrZero() + " samples"));
  }

  /** 0.999 as "99.9 %", 0.99997 as "99.997 %". */
  static String percent(double p) {
    String digits = String.format(Locale.ROOT, "%.6f", p * 100).replaceAll("0+$", "").replaceAll("\\.$", "");
    return digits + " %";
  }
}
