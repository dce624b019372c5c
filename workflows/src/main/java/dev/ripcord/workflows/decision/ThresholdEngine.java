package dev.ripcord.workflows.decision;

import dev.ripcord.workflows.decision.CriterionResult.Status;
import dev.ripcord.workflows.decision.EngineState.CriterionState;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.CriterionSpec;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The first engine: per-window limits on each signal (absolute or relative to the baseline), composites
 * (all-of, any-of, at-least-k-of) and sustain rules (m of the last n windows). Windows without enough data are
 * inconclusive, never healthy; too many in a row fire the policy's {@code onInconclusive} action.
 */
public final class ThresholdEngine implements DecisionEngine {
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
    Verdict verdict = Verdict.CONTINUE;
    for (CriterionSpec c : policy.criteria()) {
      CriterionState before = state.criterion(c.name());
      Outcome o = condition(policy, c.when(), observation);
      CriterionState after;
      CriterionResult result;
      if (o.kind == Kind.INCONCLUSIVE) {
        int run = before.inconclusiveRun() + 1;
        boolean tooMany = run >= maxInconclusive;
        after = new CriterionState(before.recent(), run, tooMany, before.stats());
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
        int n = c.sustainOf();
        while (recent.size() > n) {
          recent.remove(0);
        }
        int breaches = (int) recent.stream().filter(b -> b).count();
        boolean fired = o.kind == Kind.BREACH && breaches >= c.sustainWindows();
        after = new CriterionState(List.copyOf(recent), 0, fired, before.stats());
        String held = c.sustainWindows() == 1 && n == 1 ? "" : " in " + breaches + " of last " + recent.size()
            + " windows (needs " + c.sustainWindows() + " of " + n + ")";
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

  private Outcome condition(ReleasePolicy policy, ConditionSpec c, Observation o) {
    if (c.isLeaf()) {
      return leaf(policy.signal(c.signal()), c, o);
    }
    List<ConditionSpec> children = c.allOf() != null ? c.allOf() : c.anyOf() != null ? c.anyOf() : c.of();
    int need = c.allOf() != null ? children.size() : c.anyOf() != null ? 1 : c.atLeast();
    int breach = 0;
    int inconclusive = 0;
    List<String> texts = new ArrayList<>();
    for (ConditionSpec child : children) {
      Outcome co = condition(policy, child, o);
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
