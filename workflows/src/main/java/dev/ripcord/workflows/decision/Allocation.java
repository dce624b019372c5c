package dev.ripcord.workflows.decision;

import dev.ripcord.workflows.policy.Action;
import dev.ripcord.workflows.policy.Condition;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.LeafKind;
import dev.ripcord.workflows.policy.CriterionSpec;
import dev.ripcord.workflows.policy.Durations;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.StageSpec;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the policy's false-rollback budget is split: every sequential test without its own {@code alpha}, in a
 * criterion that can act (not {@code alert-only}), gets an equal share of what explicit alphas leave (Bonferroni, so
 * the chance that any of them falsely fires during a healthy release stays within the budget). Dry-run
 * ({@code alert-only}) tests get the same share but do not spend the budget.
 *
 * @param horizonWindows the number of windows a CUSUM's bound is taken over
 */
public record Allocation(Map<String, Double> alphas, double shared, long horizonWindows) {

  public static Allocation of(ReleasePolicy p) {
    double budget = p.evaluation().budget();
    double explicit = 0;
    int open = 0;
    TreeMap<String, ConditionSpec> leaves = new TreeMap<>();
    TreeMap<String, Boolean> acting = new TreeMap<>();
    for (CriterionSpec c : p.criteria()) {
      collect(p, c.name() + "|when", c.when(), leaves);
      for (String k : leaves.keySet()) {
        acting.putIfAbsent(k, c.actionType() != Action.ALERT_ONLY);
      }
    }
    for (var e : leaves.entrySet()) {
      if (!acting.get(e.getKey())) {
        continue;
      }
      if (e.getValue().alpha() != null) {
        explicit += e.getValue().alpha();
      } else {
        open++;
      }
    }
    double shared = open == 0 ? budget : Math.max(budget - explicit, 0) / open;
    TreeMap<String, Double> alphas = new TreeMap<>();
    leaves.forEach((k, v) -> alphas.put(k, v.alpha() != null ? v.alpha() : shared));
    return new Allocation(alphas, shared, horizonWindows(p));
  }

  public double alpha(String criterion, String path) {
    Double a = alphas.get(criterion + "|" + path);
    return a == null ? shared : a;
  }

  static long horizonWindows(ReleasePolicy p) {
    long interval = Durations.parse(p.evaluation().interval()).toMillis();
    long horizon;
    if (p.evaluation().horizon() != null) {
      horizon = Durations.parse(p.evaluation().horizon()).toMillis();
    } else {
      long bakes = 0;
      for (StageSpec s : p.stages()) {
        bakes += Durations.parse(s.bake()).toMillis();
      }
      horizon = 2 * bakes;
    }
    return Math.max(10, horizon / Math.max(1, interval));
  }

  private static void collect(ReleasePolicy p, String path, ConditionSpec c, Map<String, ConditionSpec> out) {
    if (c == null) {
      return;
    }
    if (c.form() instanceof Condition.Leaf) {
      if (LeafKind.of(c, p.signal(c.signal())).spendsBudget(c)) {
        out.put(path, c);
      }
    } else if (c.form() instanceof Condition.Composite composite) {
      for (int i = 0; i < composite.children().size(); i++) {
        collect(p, composite.childPath(path, i), composite.children().get(i), out);
      }
    }
  }
}
