package dev.ripcord.workflows.decision.classify;

import dev.ripcord.workflows.decision.Measure;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.stats.Histogram;
import dev.ripcord.workflows.decision.stats.MeanTest;
import dev.ripcord.workflows.decision.stats.UnitShare;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A quantile's test over units ({@code unit: user | session | conversation} on a quantile signal): whether more than
 * 1 − q of the candidate's requests since the stage began lie beyond the point ({@code above}, or
 * {@code baselineRatioAbove} times the baseline's quantile since the stage began), that share being a ratio of sums
 * over the candidate's units with the delta method's variance ({@link UnitShare}), tested by the always-valid test of
 * means against 1 − q ({@link MeanTest#against}). The windows' buckets are summed since the stage began in the
 * criterion's statistics; their unit sums come from the source since the stage began. Each stage is judged on its own
 * units against ln(K/α) for K stages. The mixing scale is the effect {@code detect} names (2 by default: twice the
 * share beyond the point).
 */
final class UnitQuantileClassifier {
  private UnitQuantileClassifier() {}

  /** Whether this leaf tests a quantile over units: a quantile signal with units, a mixture test. */
  static boolean applies(Leaf leaf, SignalSpec s, ConditionSpec c) {
    return s.unit() != null && leaf.rules().unitShares() && "msprt".equals(c.test()) && c.quantile() != null;
  }

  static Classified classify(Leaf leaf, SignalSpec s, ConditionSpec c, Observation o) {
    double q = c.quantile();
    String name = s.name() + " " + QuantileClassifier.label(q);
    SignalReading r = Arms.reading(s, o);
    Arm cand = r == null ? null : r.candidate();
    if (cand == null || cand.buckets() == null) {
      return Classified.inconclusive(name + ": no candidate histogram this window (send buckets)");
    }
    if (cand.units() == null || cand.unitBucketsSq() == null || cand.unitBucketsTrials() == null) {
      return Classified.inconclusive(name + ": no " + s.unit() + " statistics this window (send units, unitBucketsSq"
          + " and unitBucketsTrials since the stage began)");
    }
    Arm baseArm = r.baseline();
    if (c.baselineRatioAbove() != null && (baseArm == null || baseArm.buckets() == null)) {
      return Classified.inconclusive(name + ": no baseline histogram this window");
    }
    String stage = o.stage() == null ? "" : o.stage();
    String key = leaf.path() + "/uq@" + stage + "/";
    TreeMap<String, Long> candSums = sinceStage(leaf, key + "c", cand.buckets());
    TreeMap<String, Long> baseSums = c.baselineRatioAbove() == null ? null
        : sinceStage(leaf, key + "b", baseArm.buckets());
    Object cum = Histogram.read(candSums);
    Object base = baseSums == null ? null : Histogram.read(baseSums);
    if (cum instanceof String || base instanceof String) {
      return Classified.inconclusive(name + ": the buckets since stage '" + stage + "' do not add up ("
          + (cum instanceof String ? cum : base) + "); keep one bucket layout through a stage");
    }
    keep(leaf, key + "c", candSums);
    if (baseSums != null) {
      keep(leaf, key + "b", baseSums);
    }
    Histogram cands = (Histogram) cum;
    Double baseQ = base == null ? null : ((Histogram) base).quantile(q);
    double point = baseQ == null ? c.above() : c.baselineRatioAbove() * baseQ;
    if (cands.total() == 0 || Double.isNaN(point)) {
      return Classified.inconclusive(name + ": no requests since stage '" + stage + "'");
    }
    UnitShare.Estimate e = UnitShare.beyond(cands, point, cand.units(), cand.unitBucketsSq(),
        cand.unitBucketsTrials());
    if (e == null) {
      return Classified.inconclusive(name + ": fewer than two " + s.unit() + "s, or unit sums that miss a bucket"
          + " bound, since stage '" + stage + "'");
    }
    double p0 = 1 - q;
    int k = Math.max(1, leaf.stages());
    double alpha = leaf.alpha() / k;
    double tau = (c.detect() == null ? 2.0 : c.detect()) - 1;
    // Never null: at least two units, and 1 − q is positive.
    MeanTest.Result t = new MeanTest(1, false, alpha, tau).against(e.asSample(cand.units()), p0);
    boolean enough = e.requests() >= c.minSamplesOrZero();
    boolean breach = enough && t.crossed();
    String where = baseQ == null ? "limit" : String.format(Locale.ROOT, "%.2f × baseline %s %s",
        c.baselineRatioAbove(), QuantileClassifier.label(q), Arms.fmt(s, baseQ));
    return Classified.of(breach, String.format(Locale.ROOT, "%s candidate %s over %,d requests of %,d %ss since stage"
        + " '%s'; %.2f %% beyond %s (%s), %.2f × the %.2f %% allowed, ≥ %.2f at %s always-valid confidence %s 1"
        + " (log-LR %.2f, crossing at %.2f; variance over %ss)%s", name, Arms.fmt(s, cands.quantile(q)),
        e.requests(), cand.units(), s.unit(), stage, e.share() * 100, Arms.fmt(s, point), where, e.share() / p0,
        p0 * 100, t.bound(), MeanTestClassifier.percent(1 - alpha), breach ? ">" : "not >",
        t.logLambda(), t.threshold(), s.unit(),
        enough ? "" : ", waiting for " + c.minSamplesOrZero() + " samples"))
        .with(Measure.of(leaf.path(), s.name(), "lower bound", t.bound(), ">", 1,
            cands.quantile(q), baseQ, e.requests()));
  }

  /** This window's buckets added to the ones kept under {@code prefix} since the stage began. */
  private static TreeMap<String, Long> sinceStage(Leaf leaf, String prefix, Map<String, Long> window) {
    TreeMap<String, Long> sums = new TreeMap<>();
    leaf.stats().subMap(prefix, prefix + Character.MAX_VALUE).forEach((k, v) -> sums.put(k.substring(prefix.length()),
        Math.round(v)));
    window.forEach((bound, n) -> sums.merge(bound, n == null ? 0 : n, Long::sum));
    return sums;
  }

  private static void keep(Leaf leaf, String prefix, Map<String, Long> sums) {
    sums.forEach((bound, n) -> leaf.stats().put(prefix + bound, (double) n));
  }
}
