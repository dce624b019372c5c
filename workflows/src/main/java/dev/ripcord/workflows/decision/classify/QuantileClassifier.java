package dev.ripcord.workflows.decision.classify;

import dev.ripcord.workflows.decision.Measure;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.stats.Histogram;
import dev.ripcord.workflows.decision.stats.SequentialTest;
import dev.ripcord.workflows.decision.stats.Stats;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.Locale;

/**
 * A quantile of a latency or size distribution, read from each window's histogram ({@link Histogram}):
 * <ul>
 *   <li>{@code quantile: 0.99, baselineRatioAbove: 1.2, test: msprt}: the candidate's p99 is above 1.2 times the
 *       baseline's when more than 1 % of the candidate's requests lie beyond that point, tested sequentially on the
 *       share beyond it (a mixture SPRT against 1 %, the same arithmetic and budget as a rate's);</li>
 *   <li>{@code quantile: 0.99, above: 2500, confidence: 0.99}: the share of the candidate's requests beyond 2500 has
 *       a Wilson lower bound above 1 % this window;</li>
 *   <li>{@code quantile: 0.99, above: 2500} (or {@code baselineRatioAbove} without a test): this window's interpolated
 *       quantile against the limit, a threshold.</li>
 * </ul>
 * Points inside a bucket are interpolated linearly, as Prometheus's {@code histogram_quantile} does; the explanation
 * says which bucket.
 */
final class QuantileClassifier implements Classifier {
  @Override
  public Classified classify(Leaf leaf, SignalSpec s, ConditionSpec c, Observation o) {
    if (UnitQuantileClassifier.applies(leaf, s, c)) {
      return UnitQuantileClassifier.classify(leaf, s, c, o);
    }
    double q = c.quantile();
    String name = s.name() + " " + label(q);
    SignalReading r = Arms.reading(s, o);
    Histogram cand = r == null || r.candidate() == null ? null : histogram(r.candidate());
    if (cand == null || cand.total() == 0 || cand.total() < c.minSamplesOrZero()) {
      if (c.test() == null && c.confidence() == null && c.above() != null && r != null && r.candidate() != null
          && r.candidate().value() != null && r.candidate().buckets() == null) {
        return new LimitClassifier().classify(leaf, s, c, o); // a precomputed quantile: a threshold
      }
      return Classified.inconclusive(name + ": " + (cand == null ? "no candidate histogram (send buckets)"
          : "only " + cand.total() + " requests" + (c.minSamplesOrZero() > 0 ? " of " + c.minSamplesOrZero() : "")));
    }
    double point;
    String where;
    Double baseQ = null;
    if (c.baselineRatioAbove() != null) {
      Histogram base = r.baseline() == null ? null : histogram(r.baseline());
      if (base == null || base.total() == 0) {
        return Classified.inconclusive(name + ": no baseline histogram this window");
      }
      baseQ = base.quantile(q);
      point = c.baselineRatioAbove() * baseQ;
      where = String.format(Locale.ROOT, "%.2f × baseline %s %s", c.baselineRatioAbove(), label(q),
          Arms.fmt(s, base.quantile(q)));
    } else {
      point = c.above();
      where = "limit";
    }
    double beyond = cand.countAbove(point);
    long n = cand.total();
    double share = beyond / n;
    String numbers = String.format(Locale.ROOT, "%s candidate %s (n %,d); %.2f %% of its requests beyond %s (%s,"
        + " interpolated within its bucket)", name, Arms.fmt(s, cand.quantile(q)), n, share * 100,
        Arms.fmt(s, point), where);
    if (c.test() != null) {
      return tested(leaf, c, q, Math.round(beyond), n, o.stage(), numbers, Measure.of(leaf.path(), s.name(),
          "log-LR", 0, ">=", 0, cand.quantile(q), baseQ, n));
    }
    if (c.confidence() != null) {
      double lower = Stats.wilson(Math.round(beyond), n, Stats.normalQuantile(c.confidence()), true);
      boolean breach = lower > 1 - q;
      return Classified.of(breach, numbers + String.format(Locale.ROOT, ", lower %.1f %% bound %.2f %% %s %.2f %%",
          c.confidence() * 100, lower * 100, breach ? ">" : "<=", (1 - q) * 100)).with(Measure.of(leaf.path(),
          s.name(), "lower bound", lower * 100, ">", (1 - q) * 100, cand.quantile(q),
          baseQ, n));
    }
    boolean breach = share > 1 - q;
    return Classified.of(breach, numbers + (breach ? ": above " : ": within ") + Arms.fmt(s, point))
        .with(Measure.of(leaf.path(), s.name(), "share beyond", share * 100, ">", (1 - q) * 100, cand.quantile(q),
            baseQ, n));
  }

  /**
   * The sequential test on the share beyond the point: summed since the release began and, under quantile restarts,
   * also since each stage began, the largest statistic against ln(K/α) for K stages.
   */
  private static Classified tested(Leaf leaf, ConditionSpec c, double q, long beyond, long n, String stage,
      String numbers, Measure arms) {
    boolean restarts = leaf.rules().quantileRestarts();
    int k = restarts ? leaf.stages() : 1;
    SequentialTest.Kind kind = SequentialTest.Kind.valueOf(c.test().toUpperCase(Locale.ROOT));
    SequentialTest test = new SequentialTest(kind, false, 1 - q, c.detect() == null ? 2.0 : c.detect(),
        leaf.alpha() / k, leaf.allocation().horizonWindows(), leaf.sustainWindows(), leaf.sustainOf(), leaf.rules());
    String whole = leaf.path() + "/s";
    double stat = Double.NEGATIVE_INFINITY;
    String since = null;
    for (String key : restarts ? leaf.sinceEachStage(whole, stage) : java.util.List.of(whole)) {
      double[] state = leaf.state(key, test.stateSize());
      double t = test.update(state, Math.min(beyond, n), n, 0, 0, leaf.moment());
      leaf.keep(key, state);
      if (t > stat) {
        stat = t;
        since = Leaf.stageOf(key);
      }
    }
    boolean breach = stat >= test.threshold();
    String label = kind == SequentialTest.Kind.MSPRT ? "mSPRT" : kind.name();
    return Classified.of(breach, numbers + String.format(Locale.ROOT, ", %s on the share beyond it against %.2f %%%s:"
        + " log-LR %.2f %s %.2f (α=%.1e)", label, (1 - q) * 100, since == null || k == 1 ? "" : " since stage '"
        + since + "'", stat, breach ? ">=" : "<", test.threshold(), leaf.alpha() / k))
        .with(Measure.of(arms.path(), arms.signal(), "log-LR", stat, ">=", test.threshold(), arms.candidate(),
            arms.baseline(), arms.samples()));
  }

  private static Histogram histogram(Arm a) {
    return a.buckets() != null && Histogram.read(a.buckets()) instanceof Histogram h ? h : null;
  }

  /** 0.99 as "p99", 0.999 as "p99.9", 0.5 as "p50". */
  static String label(double q) {
    return "p" + Arms.trimmed(q * 100, 4);
  }
}
