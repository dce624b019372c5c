package dev.ripcord.workflows.decision;

import dev.ripcord.workflows.decision.CriterionResult.Status;
import dev.ripcord.workflows.decision.EngineState.CriterionState;
import dev.ripcord.workflows.decision.classify.Classified;
import dev.ripcord.workflows.decision.classify.Classified.Kind;
import dev.ripcord.workflows.decision.classify.Classifier;
import dev.ripcord.workflows.decision.classify.Leaf;
import dev.ripcord.workflows.decision.stats.SequentialTest;
import dev.ripcord.workflows.decision.stats.SustainClock;
import dev.ripcord.workflows.policy.Condition;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.CriterionSpec;
import dev.ripcord.workflows.policy.LeafKind;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.SignalSpec;
import dev.ripcord.workflows.policy.StageSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The decision engine's scoring. Per criterion: a condition over signals, evaluated each window, and a sustain rule
 * (m of the last n windows). Each leaf goes to its {@link Classifier}: per-window limits (absolute, relative to the concurrent baseline, with a Wilson
 * confidence bound, or a slice disparity) or sequential tests that stay valid under continuous monitoring (SPRT and
 * CUSUM of a rate against its limit; a mixture SPRT or CUSUM of how events split between candidate and baseline).
 * Composites (all-of, any-of, at-least-k-of), sustain, inconclusive counting and the verdict are scored here. Windows without enough data are inconclusive, never healthy; too many in
 * a row fire the policy's {@code onInconclusive} action. Pure and deterministic ({@link StrictMath} only).
 */
public final class CriteriaEngine implements VerdictEngine {
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
    return new EngineState(state.windows(), criteria, state.judges());
  }

  @Override
  public Evaluation evaluate(ReleasePolicy policy, EngineState state, Observation observation,
      java.util.function.BooleanSupplier spanRule, SequentialTest.Rules tests) {
    return evaluate(policy, state, observation, spanRule, tests, null);
  }

  @Override
  public Evaluation evaluate(ReleasePolicy policy, EngineState state, Observation observation,
      java.util.function.BooleanSupplier spanRule, SequentialTest.Rules tests, String distrust) {
    int window = state.windows() + 1;
    int maxInconclusive = policy.evaluation().maxInconclusive() == null
        ? DEFAULT_MAX_INCONCLUSIVE : policy.evaluation().maxInconclusive();
    int span = policy.evaluation().span(maxInconclusive);
    String onInconclusive = policy.evaluation().onInconclusive() == null
        ? DEFAULT_ON_INCONCLUSIVE : policy.evaluation().onInconclusive();

    TreeMap<String, CriterionState> next = new TreeMap<>();
    List<CriterionResult> results = new ArrayList<>();
    Allocation allocation = Allocation.of(policy);
    String interval = policy.evaluation().interval();
    Verdict verdict = Verdict.CONTINUE;
    TreeMap<String, JudgeHealth.JudgeState> judges = JudgeHealth.assess(policy, state.judges(), observation);
    java.time.Duration every = dev.ripcord.workflows.policy.Durations.parseOrNull(interval);
    SustainClock.Moment moment = tests.sustainInTime() && every != null ? SustainClock.Moment.of(observation.t(),
        observation.from(), every.toMillis()) : null;
    for (CriterionSpec c : policy.criteria()) {
      CriterionState before = state.criterion(c.name());
      TreeMap<String, Double> stats = new TreeMap<>(before.stats());
      boolean capped = sequential(policy, c.when());
      // Sustain in time applies where the policy gives it as a time ({for: 5m}); {windows: m, of: n} counts windows.
      SustainClock.Moment at = c.sustain() != null && c.sustain().duration() != null ? moment : null;
      Classified o = condition(new Scope(policy, c.name(), stats, allocation,
          capped ? c.sustainWindows(interval) : 1, capped ? c.sustainOf(interval) : 1, judges, tests, distrust,
          at), "when",
          c.when(),
          observation);
      CriterionState after;
      CriterionResult result;
      if (o.kind() == Kind.INCONCLUSIVE) {
        int run = before.inconclusiveRun() + 1;
        // Windows before the criterion's first conclusive one are evidence not arrived yet (a source warming up), which
        // the in-a-row rule and minCoverage handle; the span counts evidence that comes and goes.
        boolean arrived = !before.recent().isEmpty() || !before.seen().isEmpty();
        List<Boolean> seen = arrived ? Spans.append(before.seen(), true, span) : before.seen();
        int inSpan = (int) seen.stream().filter(b -> b).count();
        boolean inARow = run >= maxInconclusive;
        boolean overSpan = !inARow && inSpan >= maxInconclusive && spanRule.getAsBoolean();
        boolean tooMany = inARow || overSpan;
        after = new CriterionState(before.recent(), run, tooMany, stats, seen);
        String why = o.text() + " (" + (overSpan ? inSpan + " of the last " + seen.size() + " windows inconclusive"
            + ", limit " + maxInconclusive + " reached" : run + " inconclusive window" + (run == 1 ? "" : "s")
            + " in a row" + (tooMany ? ", limit " + maxInconclusive + " reached" : ", limit " + maxInconclusive))
            + ")";
        if (tooMany) {
          result = new CriterionResult(c.name(), Status.FIRED, onInconclusive, c.severity(), "no conclusive data: " + why,
              o.measures());
          verdict = max(verdict, Verdict.ofAction(onInconclusive));
        } else {
          result = new CriterionResult(c.name(), Status.INCONCLUSIVE, c.action(), c.severity(), why, o.measures());
        }
      } else {
        List<Boolean> recent = new ArrayList<>(before.recent());
        int n = capped ? 1 : c.sustainOf(policy.evaluation().interval());
        int m = capped ? 1 : c.sustainWindows(policy.evaluation().interval());
        boolean inTime = at != null && n > 1;
        if (inTime && sameSlot(stats, at) && !recent.isEmpty()) {
          recent.set(recent.size() - 1, o.kind() == Kind.BREACH); // an interval counts once: its latest verdict
        } else {
          recent.add(o.kind() == Kind.BREACH);
        }
        while (recent.size() > n) {
          recent.remove(0);
        }
        int breaches = (int) recent.stream().filter(b -> b).count();
        boolean fired = o.kind() == Kind.BREACH && breaches >= m;
        after = new CriterionState(List.copyOf(recent), 0, fired, stats, Spans.append(before.seen(), false, span));
        String held = m == 1 && n == 1 ? "" : " in " + breaches + " of last " + recent.size()
            + (inTime ? " intervals" : " windows") + " (needs " + m + " of " + n + ")";
        if (fired) {
          result = new CriterionResult(c.name(), Status.FIRED, c.action(), c.severity(), o.text() + held,
              o.measures());
          verdict = max(verdict, Verdict.of(c.actionType()));
        } else if (o.kind() == Kind.BREACH) {
          result = new CriterionResult(c.name(), Status.PENDING, c.action(), c.severity(), o.text() + held,
              o.measures());
        } else {
          result = new CriterionResult(c.name(), Status.OK, c.action(), c.severity(), o.text(), o.measures());
        }
      }
      next.put(c.name(), after);
      results.add(result);
    }
    List<String> fired = results.stream().filter(r -> r.status() == Status.FIRED).map(CriterionResult::criterion).toList();
    List<String> pending = results.stream().filter(r -> r.status() == Status.PENDING).map(CriterionResult::criterion).toList();
    WindowVerdict d = new WindowVerdict(window, observation.t(), observation.stage(), verdict, fired, pending, List.copyOf(results),
        explain(results));
    return new Evaluation(new EngineState(window, next, judges), d);
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

  /** Whether any criterion of {@code policy} runs a sequential test (only those depend on {@link SequentialTest.Rules}). */
  public static boolean usesSequentialTests(ReleasePolicy policy) {
    return policy.criteria().stream().anyMatch(c -> sequential(policy, c.when()));
  }

  /** Whether any criterion of {@code policy} runs a test of means (only those depend on stage restarts). */
  public static boolean usesMeanTests(ReleasePolicy policy) {
    return policy.criteria().stream().anyMatch(c -> meanTest(policy, c.when()));
  }

  /** Whether any criterion of {@code policy} tests a quantile sequentially (only those restart under V4). */
  public static boolean usesQuantileTests(ReleasePolicy policy) {
    return policy.criteria().stream().anyMatch(c -> c.when() != null && c.when().anyLeaf(x -> x.test() != null
        && LeafKind.of(x, policy.signal(x.signal())) == LeafKind.QUANTILE));
  }

  private static boolean meanTest(ReleasePolicy policy, ConditionSpec c) {
    return c != null && c.anyLeaf(x -> LeafKind.of(x, policy.signal(x.signal())) == LeafKind.MEAN_TEST);
  }

  /** Criteria with a sequential test take their sustain rule as a cap on each window's evidence instead. */
  static boolean sequential(ReleasePolicy policy, ConditionSpec c) {
    return c != null && c.anyLeaf(x -> LeafKind.of(x, policy.signal(x.signal())).spendsBudget(x));
  }

  /** A leaf goes to its classifier; a composite counts its children's breaches against what it needs. */
  private Classified condition(Scope scope, String path, ConditionSpec c, Observation o) {
    if (!(c.form() instanceof Condition.Composite composite)) { // a leaf: the validator refuses malformed nodes
      SignalSpec s = scope.policy().signal(c.signal());
      JudgeHealth.JudgeState judge = s.judge() == null || scope.judges() == null ? null
          : scope.judges().get(s.judge().name());
      if (judge != null && judge.unreliable() != null) {
        // Evidence a judge cannot vouch for is no evidence: neither a breach nor healthy, and the statistics stay.
        return Classified.inconclusive(s.name() + ": judge unreliable: " + s.judge().name() + " "
            + judge.unreliable());
      }
      LeafKind kind = LeafKind.of(c, s);
      if (scope.distrust() != null && LeafKind.comparesWithBaseline(c) && kind != LeafKind.PAIRED) {
        return Classified.inconclusive(s.name() + ": " + scope.distrust());
      }
      if (LeafKind.comparesWithBaseline(c) && kind != LeafKind.PAIRED && allTrafficOnCandidate(scope.policy(), o)) {
        // No concurrent baseline exists at a 100 % stage: the comparison does not apply (absolute criteria still do).
        return Classified.ok(s.name() + ": comparison with the baseline not applicable at 100 % (no baseline"
            + " traffic)");
      }
      Leaf leaf = new Leaf(scope.criterion(), path, scope.stats(), scope.alloc(), scope.sustainWindows(),
          scope.sustainOf(), scope.tests(), Math.max(1, scope.policy().stages().size()), scope.moment());
      return Classifier.of(kind).classify(leaf, s, c, o);
    }
    List<ConditionSpec> children = composite.children();
    int need = composite.need();
    int breach = 0;
    int inconclusive = 0;
    List<String> texts = new ArrayList<>();
    List<dev.ripcord.workflows.decision.Measure> measures = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      Classified co = condition(scope, composite.childPath(path, i), children.get(i), o);
      texts.add(co.text());
      measures.addAll(co.measures());
      if (co.kind() == Kind.BREACH) {
        breach++;
      } else if (co.kind() == Kind.INCONCLUSIVE) {
        inconclusive++;
      }
    }
    String text = composite.label() + " [" + String.join(", ", texts) + "]: " + breach + "/" + children.size() + " breached";
    Kind kind = breach >= need ? Kind.BREACH : breach + inconclusive < need ? Kind.OK : Kind.INCONCLUSIVE;
    return new Classified(kind, text, List.copyOf(measures));
  }

  /** One criterion's evaluation of one window: the policy, its running statistics, the alpha split, sustain. */
  private record Scope(ReleasePolicy policy, String criterion, TreeMap<String, Double> stats, Allocation alloc,
      int sustainWindows, int sustainOf, TreeMap<String, JudgeHealth.JudgeState> judges, SequentialTest.Rules tests,
      String distrust, SustainClock.Moment moment) {}

  /** Where a criterion's sustain clock is kept among its statistics (sustain in time, for m-of-n criteria). */
  private static final String CLOCK = "~sustain/";

  /** Whether {@code moment} falls in the interval the criterion's latest verdict does; moves its clock on. */
  private static boolean sameSlot(TreeMap<String, Double> stats, SustainClock.Moment moment) {
    double[] clock = {stats.getOrDefault(CLOCK + 0, 0.0), stats.getOrDefault(CLOCK + 1, 0.0)};
    boolean first = clock[1] == 0;
    boolean same = SustainClock.step(clock, 0, moment).slots() == 0 && !first;
    stats.put(CLOCK + 0, clock[0]);
    stats.put(CLOCK + 1, clock[1]);
    return same;
  }
}
