package dev.ripcord.workflows.decision;

import dev.ripcord.workflows.decision.CriterionResult.Status;
import dev.ripcord.workflows.decision.EngineState.CriterionState;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.CriterionSpec;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.SignalSpec;
import dev.ripcord.workflows.policy.StageSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import dev.ripcord.workflows.decision.stats.SequentialTest;
import dev.ripcord.workflows.decision.stats.Stats;

/**
 * The decision engine. Per criterion: a condition over signals, evaluated each window, and a sustain rule (m of the
 * last n windows). Leaves are per-window limits (absolute, relative to the concurrent baseline, with a Wilson
 * confidence bound, or a slice disparity) or sequential tests that stay valid under continuous monitoring (SPRT and
 * CUSUM of a rate against its limit; a mixture SPRT or CUSUM of how events split between candidate and baseline).
 * Composites: all-of, any-of, at-least-k-of. Windows without enough data are inconclusive, never healthy; too many in
 * a row fire the policy's {@code onInconclusive} action. Pure and deterministic ({@link StrictMath} only).
 */
public final class CriteriaEngine implements DecisionEngine {
  public static final int DEFAULT_MAX_INCONCLUSIVE = 5;
  public static final String DEFAULT_ON_INCONCLUSIVE = "pause-and-investigate";

  @Override
  public EngineState start(ReleasePolicy policy) {
    TreeMap<String, CriterionState> criteria = new TreeMap<>();
    for (CriterionSpec c : policy.criteria()) {
      criteria.put(c.name(), CriterionState.fresh());
    }
    return new EngineState(0, criteria);
  }

  @Override
  public EngineState forget(EngineState state, Collection<String> names) {
    TreeMap<String, CriterionState> criteria = new TreeMap<>(state.criteria());
    for (String n : names) {
      criteria.put(n, CriterionState.fresh());
    }
    return new EngineState(state.windows(), criteria);
  }

  @Override
  public Evaluation evaluate(ReleasePolicy policy, EngineState state, Observation observation) {
    int window = state.windows() + 1;
    int maxInconclusive = policy.evaluation().maxInconclusive() == null
        ? DEFAULT_MAX_INCONCLUSIVE : policy.evaluation().maxInconclusive();
    String onInconclusive = policy.evaluation().onInconclusive() == null
        ? DEFAULT_ON_INCONCLUSIVE : policy.evaluation().onInconclusive();

    TreeMap<String, CriterionState> next = new TreeMap<>();
    List<CriterionResult> results = new ArrayList<>();
    Allocation allocation = Allocation.of(policy);
    String interval = policy.evaluation().interval();
    Verdict verdict = Verdict.CONTINUE;
    for (CriterionSpec c : policy.criteria()) {
      CriterionState before = state.criterion(c.name());
      TreeMap<String, Double> stats = new TreeMap<>(before.stats());
      boolean capped = sequential(c.when());
      Outcome o = condition(new Ctx(policy, c.name(), stats, allocation,
          capped ? c.sustainWindows(interval) : 1, capped ? c.sustainOf(interval) : 1), "when", c.when(), observation);
      CriterionState after;
      CriterionResult result;
      if (o.kind == Kind.INCONCLUSIVE) {
        int run = before.inconclusiveRun() + 1;
        boolean tooMany = run >= maxInconclusive;
        after = new CriterionState(before.recent(), run, tooMany, stats);
        String why = o.text + " (" + run + " inconclusive window" + (run == 1 ? "" : "s") + " in a row"
            + (tooMany ? ", limit " + maxInconclusive + " reached" : ", limit " + maxInconclusive) + ")";
        if (tooMany) {
          result = new CriterionResult(c.name(), Status.FIRED, onInconclusive, c.severity(), "no conclusive data: " + why);
          verdict = max(verdict, Verdict.ofAction(onInconclusive));
        } else {
          result = new CriterionResult(c.name(), Status.INCONCLUSIVE, c.action(), c.severity(), why);
        }
      } else {
        List<Boolean> recent = new ArrayList<>(before.recent());
        recent.add(o.kind == Kind.BREACH);
        int n = capped ? 1 : c.sustainOf(policy.evaluation().interval());
        int m = capped ? 1 : c.sustainWindows(policy.evaluation().interval());
        while (recent.size() > n) {
          recent.remove(0);
        }
        int breaches = (int) recent.stream().filter(b -> b).count();
        boolean fired = o.kind == Kind.BREACH && breaches >= m;
        after = new CriterionState(List.copyOf(recent), 0, fired, stats);
        String held = m == 1 && n == 1 ? "" : " in " + breaches + " of last " + recent.size()
            + " windows (needs " + m + " of " + n + ")";
        if (fired) {
          result = new CriterionResult(c.name(), Status.FIRED, c.action(), c.severity(), o.text + held);
          verdict = max(verdict, Verdict.ofAction(c.action()));
        } else if (o.kind == Kind.BREACH) {
          result = new CriterionResult(c.name(), Status.PENDING, c.action(), c.severity(), o.text + held);
        } else {
          result = new CriterionResult(c.name(), Status.OK, c.action(), c.severity(), o.text);
        }
      }
      next.put(c.name(), after);
      results.add(result);
    }
    List<String> fired = results.stream().filter(r -> r.status() == Status.FIRED).map(CriterionResult::criterion).toList();
    List<String> pending = results.stream().filter(r -> r.status() == Status.PENDING).map(CriterionResult::criterion).toList();
    Decision d = new Decision(window, observation.t(), observation.stage(), verdict, fired, pending, List.copyOf(results),
        explain(results));
    return new Evaluation(new EngineState(window, next), d);
  }

  private static Verdict max(Verdict a, Verdict b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }

  private static String explain(List<CriterionResult> results) {
    List<String> parts = new ArrayList<>();
    for (Status s : List.of(Status.FIRED, Status.PENDING, Status.INCONCLUSIVE)) {
      for (CriterionResult r : results) {
        if (r.status() == s) {
          parts.add(r.criterion() + " " + s.name().toLowerCase(Locale.ROOT) + ": " + r.explanation());
        }
      }
    }
    if (parts.isEmpty()) {
      List<String> ok = results.stream().map(r -> r.explanation()).toList();
      return "all " + results.size() + " criteria within limits: " + String.join("; ", ok);
    }
    return String.join("; ", parts);
  }

  private enum Kind { OK, BREACH, INCONCLUSIVE }

  private record Outcome(Kind kind, String text) {}

  /** What a leaf needs besides its own spec: the policy, the criterion's running statistics, the alpha split. */
  private record Ctx(ReleasePolicy policy, String criterion, TreeMap<String, Double> stats, Allocation alloc,
      int sustainWindows, int sustainOf) {}

  /** The observation comes from a stage that sends all traffic to the candidate. */
  private static boolean allTrafficOnCandidate(ReleasePolicy policy, Observation o) {
    if (o.stage() == null) {
      return false;
    }
    for (StageSpec st : policy.stages()) {
      if (st.name().equals(o.stage())) {
        return st.weight() != null && st.weight() == 100;
      }
    }
    return false;
  }

  /** Criteria with a sequential test take their sustain rule as a cap on each window's evidence instead. */
  static boolean sequential(ConditionSpec c) {
    if (c == null) {
      return false;
    }
    if (c.isLeaf()) {
      return c.isSequential();
    }
    List<ConditionSpec> children = c.allOf() != null ? c.allOf() : c.anyOf() != null ? c.anyOf() : c.of();
    return children != null && children.stream().anyMatch(CriteriaEngine::sequential);
  }

  private Outcome condition(Ctx ctx, String path, ConditionSpec c, Observation o) {
    if (c.isLeaf()) {
      SignalSpec s = ctx.policy().signal(c.signal());
      boolean needsBaseline = c.baselineRatioAbove() != null || c.baselineRatioBelow() != null
          || "baseline".equals(c.sliceVs());
      if (needsBaseline && allTrafficOnCandidate(ctx.policy(), o)) {
        // No concurrent baseline exists at a 100 % stage: the comparison does not apply (absolute criteria still do).
        return new Outcome(Kind.OK, s.name() + ": comparison with the baseline not applicable at 100 % (no baseline"
            + " traffic)");
      }
      if (c.isSequential()) {
        return sequential(ctx, path, s, c, o);
      }
      if (c.sliceRatioAbove() != null) {
        return disparity(s, c, o);
      }
      if (c.confidence() != null) {
        return bounded(s, c, o);
      }
      return leaf(s, c, o);
    }
    List<ConditionSpec> children = c.allOf() != null ? c.allOf() : c.anyOf() != null ? c.anyOf() : c.of();
    int need = c.allOf() != null ? children.size() : c.anyOf() != null ? 1 : c.atLeast();
    int breach = 0;
    int inconclusive = 0;
    List<String> texts = new ArrayList<>();
    String key = c.allOf() != null ? "allOf" : c.anyOf() != null ? "anyOf" : "of";
    for (int i = 0; i < children.size(); i++) {
      ConditionSpec child = children.get(i);
      Outcome co = condition(ctx, path + "." + key + "[" + i + "]", child, o);
      texts.add(co.text);
      if (co.kind == Kind.BREACH) {
        breach++;
      } else if (co.kind == Kind.INCONCLUSIVE) {
        inconclusive++;
      }
    }
    String label = c.allOf() != null ? "all of" : c.anyOf() != null ? "any of" : "at least " + need + " of";
    String text = label + " [" + String.join(", ", texts) + "]: " + breach + "/" + children.size() + " breached";
    if (breach >= need) {
      return new Outcome(Kind.BREACH, text);
    }
    if (breach + inconclusive < need) {
      return new Outcome(Kind.OK, text);
    }
    return new Outcome(Kind.INCONCLUSIVE, text);
  }

  /**
   * A sequential test (see {@link SequentialTest}): its state accumulates over windows in the criterion's stats and
   * the leaf breaches when the statistic crosses the test's threshold.
   */
  private Outcome sequential(Ctx ctx, String path, SignalSpec s, ConditionSpec c, Observation o) {
    String key = path + "/";
    double alpha = ctx.alloc().alpha(ctx.criterion(), path);
    SequentialTest.Kind kind = SequentialTest.Kind.valueOf(c.test().toUpperCase(Locale.ROOT));
    boolean vsBaseline = c.above() == null;
    SequentialTest test = new SequentialTest(kind, vsBaseline,
        vsBaseline ? c.baselineRatioAbove() : c.above() / s.perOrOne(), c.detect() == null ? 2.0 : c.detect(), alpha,
        ctx.alloc().horizonWindows(), ctx.sustainWindows(), ctx.sustainOf());
    double[] state = new double[test.stateSize()];
    for (int k = 0; k < state.length; k++) {
      state[k] = ctx.stats().getOrDefault(key + "s" + k, 0.0);
    }
    String name = kind == SequentialTest.Kind.MSPRT ? "mSPRT" : kind.name();
    String budget = String.format(Locale.ROOT, "α=%.1e", alpha);
    SignalReading r = o.signals() == null ? null : o.signals().get(s.name());
    if (r == null || r.candidate() == null || r.candidate().trials() == null || r.candidate().trials() <= 0) {
      return new Outcome(Kind.INCONCLUSIVE, s.name() + ": no candidate data this window (" + name
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
        return new Outcome(Kind.INCONCLUSIVE, s.name() + ": no baseline data this window (" + name
            + String.format(Locale.ROOT, " log-LR %.2f", test.statistic(state)) + ")");
      }
      nb = r.baseline().trials();
      xb = r.baseline().events() == null ? 0 : r.baseline().events();
      numbers = s.name() + " " + fmt(s, rate(s, cand)) + " vs baseline " + fmt(s, rate(s, r.baseline()))
          + " this window";
    } else {
      numbers = s.name() + " " + fmt(s, rate(s, cand)) + " this window vs limit " + fmt(s, c.above());
    }
    double stat = test.update(state, xc, nc, xb, nb);
    for (int k = 0; k < state.length; k++) {
      ctx.stats().put(key + "s" + k, state[k]);
    }
    double n = ctx.stats().getOrDefault(key + "n", 0.0) + nc;
    ctx.stats().put(key + "n", n);
    boolean enough = n >= c.minSamplesOrZero();
    boolean breach = enough && stat >= test.threshold();
    String text = numbers + String.format(Locale.ROOT, ", %s log-LR %.2f %s %.2f (%s, %d candidate samples)", name,
        stat, breach ? ">=" : "<", test.threshold(), budget, (long) n)
        + (enough ? "" : ", waiting for " + c.minSamplesOrZero() + " samples");
    return new Outcome(breach ? Kind.BREACH : Kind.OK, text);
  }

  /** A per-window limit that must be cleared with confidence: the Wilson bound, not the point estimate. */
  private Outcome bounded(SignalSpec s, ConditionSpec c, Observation o) {
    SignalReading r = o.signals() == null ? null : o.signals().get(s.name());
    if (r == null || r.candidate() == null) {
      return new Outcome(Kind.INCONCLUSIVE, s.name() + ": no candidate data");
    }
    Arm a = r.candidate();
    if (a.trials() == null || a.events() == null || a.trials() <= 0 || a.trials() < c.minSamplesOrZero()) {
      return new Outcome(Kind.INCONCLUSIVE, s.name() + ": " + shortfall(s, a, c.minSamplesOrZero()));
    }
    double z = Stats.normalQuantile(c.confidence());
    boolean above = c.above() != null;
    double bound = Stats.wilson(a.events(), a.trials(), z, above) * s.perOrOne();
    double limit = above ? c.above() : c.below();
    boolean breach = above ? bound > limit : bound < limit;
    return new Outcome(breach ? Kind.BREACH : Kind.OK, s.name() + " " + fmt(s, rate(s, a)) + String.format(Locale.ROOT,
        ", %s %.1f %% bound %s %s %s", above ? "lower" : "upper", c.confidence() * 100, fmt(s, bound),
        breach ? (above ? ">" : "<") : (above ? "<=" : ">="), fmt(s, limit)));
  }

  /** Fairness: the worst slice's rate against the other slices' (or its own baseline), breach above the ratio. */
  private Outcome disparity(SignalSpec s, ConditionSpec c, Observation o) {
    SignalReading r = o.signals() == null ? null : o.signals().get(s.name());
    if (r == null || r.slices() == null || r.slices().isEmpty()) {
      return new Outcome(Kind.INCONCLUSIVE, s.name() + ": no slices this window");
    }
    boolean vsBaseline = "baseline".equals(c.sliceVs());
    long totalEvents = 0;
    long totalTrials = 0;
    for (SignalReading slice : r.slices().values()) {
      if (slice != null && slice.candidate() != null && slice.candidate().trials() != null) {
        totalEvents += slice.candidate().events() == null ? 0 : slice.candidate().events();
        totalTrials += slice.candidate().trials();
      }
    }
    String worst = null;
    double worstRatio = Double.NEGATIVE_INFINITY;
    double worstRate = 0;
    double worstRef = 0;
    for (var e : new TreeMap<>(r.slices()).entrySet()) {
      SignalReading slice = e.getValue();
      if (slice == null || slice.candidate() == null || slice.candidate().trials() == null
          || slice.candidate().trials() < Math.max(1, c.minSamplesOrZero())) {
        continue;
      }
      Arm a = slice.candidate();
      Arm ref;
      if (vsBaseline) {
        ref = slice.baseline();
      } else {
        long ev = totalEvents - (a.events() == null ? 0 : a.events());
        long tr = totalTrials - a.trials();
        ref = tr > 0 ? Arm.counts(ev, tr) : null;
      }
      if (ref == null || ref.trials() == null || ref.trials() < Math.max(1, c.minSamplesOrZero())) {
        continue;
      }
      double ratio = smoothedRate(s, a, 0) / smoothedRate(s, ref, 0);
      if (ratio > worstRatio) {
        worstRatio = ratio;
        worst = e.getKey();
        worstRate = rate(s, a);
        worstRef = rate(s, ref);
      }
    }
    if (worst == null) {
      return new Outcome(Kind.INCONCLUSIVE, s.name() + ": no slice with " + Math.max(1, c.minSamplesOrZero())
          + " samples on both sides");
    }
    boolean breach = worstRatio > c.sliceRatioAbove();
    return new Outcome(breach ? Kind.BREACH : Kind.OK, s.name() + " worst slice " + worst + " " + fmt(s, worstRate)
        + " vs " + (vsBaseline ? "its baseline " : "other slices ") + fmt(s, worstRef)
        + String.format(Locale.ROOT, ", ratio %.2f %s %.2f", worstRatio, breach ? ">" : "<=", c.sliceRatioAbove()));
  }

  private Outcome leaf(SignalSpec s, ConditionSpec c, Observation o) {
    SignalReading r = o.signals() == null ? null : o.signals().get(s.name());
    if (r == null || r.candidate() == null) {
      return new Outcome(Kind.INCONCLUSIVE, s.name() + ": no candidate data");
    }
    Double cand = value(s, r.candidate(), c.minSamplesOrZero());
    if (cand == null) {
      return new Outcome(Kind.INCONCLUSIVE, s.name() + ": " + shortfall(s, r.candidate(), c.minSamplesOrZero()));
    }
    if (c.above() != null || c.below() != null) {
      boolean above = c.above() != null;
      double limit = above ? c.above() : c.below();
      boolean breach = above ? cand > limit : cand < limit;
      return new Outcome(breach ? Kind.BREACH : Kind.OK,
          s.name() + " " + fmt(s, cand) + (breach ? (above ? " > " : " < ") : (above ? " <= " : " >= ")) + fmt(s, limit));
    }
    if (r.baseline() == null) {
      return new Outcome(Kind.INCONCLUSIVE, s.name() + ": no baseline data");
    }
    Double base = s.isRate() ? smoothedRate(s, r.baseline(), c.minSamplesOrZero()) : r.baseline().value();
    if (base == null) {
      return new Outcome(Kind.INCONCLUSIVE, s.name() + ": baseline " + shortfall(s, r.baseline(), c.minSamplesOrZero()));
    }
    double candForRatio = s.isRate() ? smoothedRate(s, r.candidate(), 0) : cand;
    double ratio = base == 0 ? (candForRatio == 0 ? 1.0 : Double.POSITIVE_INFINITY) : candForRatio / base;
    boolean above = c.baselineRatioAbove() != null;
    double limit = above ? c.baselineRatioAbove() : c.baselineRatioBelow();
    boolean breach = above ? ratio > limit : ratio < limit;
    return new Outcome(breach ? Kind.BREACH : Kind.OK,
        s.name() + " " + fmt(s, cand) + " vs baseline " + fmt(s, s.isRate() ? rate(s, r.baseline()) : base)
            + String.format(Locale.ROOT, ", ratio %.2f", ratio) + (breach ? (above ? " > " : " < ") : (above ? " <= " : " >= "))
            + String.format(Locale.ROOT, "%.2f", limit));
  }

  /** The arm's value in the signal's unit, or null when there is too little data. */
  private static Double value(SignalSpec s, Arm a, long minSamples) {
    if (s.isRate()) {
      if (a.trials() == null || a.events() == null || a.trials() <= 0 || a.trials() < minSamples) {
        return null;
      }
      return rate(s, a);
    }
    return a.value();
  }

  private static double rate(SignalSpec s, Arm a) {
    return a.trials() == null || a.trials() == 0 ? 0 : (double) a.events() / a.trials() * s.perOrOne();
  }

  /** Rate with half an event added (Haldane) so a zero count compares finitely. */
  private static Double smoothedRate(SignalSpec s, Arm a, long minSamples) {
    if (a.trials() == null || a.events() == null || a.trials() <= 0 || a.trials() < minSamples) {
      return null;
    }
    return (a.events() + 0.5) / (a.trials() + 1.0) * s.perOrOne();
  }

  private static String shortfall(SignalSpec s, Arm a, long minSamples) {
    if (!s.isRate()) {
      return "no value";
    }
    long t = a.trials() == null ? 0 : a.trials();
    return minSamples > 0 ? "only " + t + " of " + minSamples + " samples" : "no samples";
  }

  static String fmt(SignalSpec s, double v) {
    if (s.isRate()) {
      String unit = switch (s.perOrOne()) {
        case 10000 -> "/10k";
        case 1000 -> "/1k";
        case 100 -> "%";
        default -> "";
      };
      return String.format(Locale.ROOT, s.perOrOne() == 1 ? "%.4f" : "%.1f", v) + unit;
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.3f", v);
  }
}
