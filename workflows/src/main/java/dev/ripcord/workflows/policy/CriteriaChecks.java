package dev.ripcord.workflows.policy;

import static dev.ripcord.workflows.policy.PolicyValidator.ACTIONS;
import static dev.ripcord.workflows.policy.PolicyValidator.SEVERITIES;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks criteria section: conditions, composites and statistical tests. Reports into the one {@link Problems} collector; pure. */
final class CriteriaChecks {
  private final Problems out;

  CriteriaChecks(Problems out) {
    this.out = out;
  }

  void checkCriteria(ReleasePolicy p, Set<String> signals) {
    List<CriterionSpec> criteria = p.criteria();
    if (criteria == null || criteria.isEmpty()) {
      out.problem("$.criteria", "needs at least one criterion", "add a rollback trigger, e.g. error_rate above 2 per 100");
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < criteria.size(); i++) {
      CriterionSpec c = criteria.get(i);
      String path = "$.criteria[" + i + "]";
      if (c == null) {
        out.problem(path, "is empty", "write {name, when, action}");
        continue;
      }
      if (out.required(path + ".name", c.name(), "e.g. hallucination-limit") && !names.add(c.name())) {
        out.problem(path + ".name", "'" + c.name() + "' is used twice", "criterion names must be unique");
      }
      if (out.required(path + ".action", c.action(), "one of " + ACTIONS)) {
        out.oneOf(path + ".action", c.action(), ACTIONS);
      }
      out.oneOf(path + ".severity", c.severity(), SEVERITIES);
      if (c.breaksGlass() && c.actionType() != Action.ROLLBACK) {
        out.problem(path + ".breakGlass", "only goes with action rollback (it skips the staged holds of an automatic"
            + " rollback)", "set action: rollback, or remove breakGlass");
      }
      if (c.investigate() != null) {
        CriterionSpec.Investigation inv = c.investigate();
        if (c.actionType() != Action.PAUSE_AND_INVESTIGATE) {
          out.problem(path + ".investigate", "only goes with action pause-and-investigate", "remove it or change the action");
        }
        if (inv.weight() != null && (inv.weight() < 0 || inv.weight() > 99)) {
          out.problem(path + ".investigate.weight", inv.weight() + " is not between 0 and 99",
              "the reduced exposure while investigating, e.g. 5; leave it out to freeze where it is");
        }
        Map<String, List<String>> known = p.governance() == null || p.governance().roles() == null ? Map.of()
            : p.governance().roles();
        if (inv.investigators() == null || inv.investigators().isEmpty()) {
          out.problem(path + ".investigate.investigators", "names no role", "the roles told to investigate, e.g. [safety-lead]");
        } else {
          for (int j = 0; j < inv.investigators().size(); j++) {
            if (!known.containsKey(inv.investigators().get(j))) {
              out.problem(path + ".investigate.investigators[" + j + "]", "missing role '" + inv.investigators().get(j)
                  + "'", "declare it under governance.roles, or use one of " + known.keySet());
            }
          }
        }
      }
      if (out.required(path + ".when", c.when(), "a condition, e.g. {signal: error_rate, above: 2}")) {
        checkCondition(path + ".when", c.when(), p, signals);
      }
      if (c.sustain() != null && c.sustain().duration() != null) {
        if (c.sustain().windows() != null || c.sustain().of() != null) {
          out.problem(path + ".sustain", "mixes a duration with a window count", "use either {for: 5m} or {windows: 3, of: 5}");
        }
        out.duration(path + ".sustain.for", c.sustain().duration(), true, Duration.ofSeconds(1));
      } else if (c.sustain() != null) {
        Integer m = c.sustain().windows();
        Integer n = c.sustain().of();
        if (m == null || m < 1) {
          out.problem(path + ".sustain.windows", "must be at least 1", "e.g. windows: 3, or for: 5m");
        } else if (n != null && (n < m || n > 100)) {
          out.problem(path + ".sustain.of", n + " must be between windows (" + m + ") and 100", "e.g. {windows: 3, of: 5}");
        }
      }
    }
  }

  void checkCondition(String path, ConditionSpec c, ReleasePolicy p, Set<String> signals) {
    if (c.form() instanceof Condition.Malformed m) {
      out.problem(path, m.forms() == 0 ? "has no condition" : "mixes condition forms",
          "use exactly one of: signal (with above/below/baselineRatioAbove/baselineRatioBelow), allOf, anyOf, atLeast+of");
      return;
    }
    if (c.signal() != null) {
      if (!signals.contains(c.signal())) {
        String near = Suggestions.nearest(c.signal(), signals);
        out.problem(path + ".signal", "unknown signal '" + c.signal() + "'", near != null
            ? "did you mean '" + near + "'? (declared signals: " + signals + ")"
            : "declare it under signals, or use one of " + signals);
        return;
      }
      int limits = (c.above() != null ? 1 : 0) + (c.below() != null ? 1 : 0)
          + (c.baselineRatioAbove() != null ? 1 : 0) + (c.baselineRatioBelow() != null ? 1 : 0)
          + (c.sliceRatioAbove() != null ? 1 : 0);
      if (limits != 1) {
        out.problem(path, limits == 0 ? "has no limit" : "has more than one limit",
            "give exactly one of above, below, baselineRatioAbove, baselineRatioBelow, sliceRatioAbove");
      }
      SignalSpec s = p.signal(c.signal());
      LeafKind.of(c, s).check(path, c, s, out);
      boolean upward = c.above() != null || c.baselineRatioAbove() != null || c.sliceRatioAbove() != null;
      boolean downward = c.below() != null || c.baselineRatioBelow() != null;
      if (upward && !s.higherIsWorse()) {
        out.problem(path, "'" + s.name() + "' is lower-is-worse, so a limit above it fires when it improves",
            "use below or baselineRatioBelow, or declare the signal higher-is-worse");
      } else if (downward && s.higherIsWorse()) {
        out.problem(path, "'" + s.name() + "' is higher-is-worse, so a limit below it fires when it improves",
            "use above or baselineRatioAbove, or declare the signal direction: lower-is-worse");
      }
      if ((c.baselineRatioAbove() != null || c.baselineRatioBelow() != null) && !s.observesBaseline()) {
        out.problem(path + ".signal", "'" + c.signal() + "' is compared with the baseline but does not observe it",
            "set baseline: true on the signal");
      }
      for (var r : List.of(Map.entry("baselineRatioAbove", c.baselineRatioAbove() == null ? 1.0 : c.baselineRatioAbove()),
          Map.entry("baselineRatioBelow", c.baselineRatioBelow() == null ? 1.0 : c.baselineRatioBelow()))) {
        if (r.getValue() <= 0) {
          out.problem(path + "." + r.getKey(), "must be positive", "a ratio such as 1.5 (candidate 50 % worse)");
        }
      }
      if (c.minSamples() != null && c.minSamples() < 0) {
        out.problem(path + ".minSamples", "must not be negative", "trials per window below which it is inconclusive");
      }
      return;
    }
    Condition.Composite composite = (Condition.Composite) c.form();
    List<ConditionSpec> children = composite.children();
    String key = composite.key();
    if (children.isEmpty()) {
      out.problem(path + "." + key, "is empty", "list at least one condition");
      return;
    }
    if (composite.kind() == Condition.Composite.Kind.AT_LEAST) {
      if (c.atLeast() == null || c.atLeast() < 1 || c.atLeast() > children.size()) {
        out.problem(path + ".atLeast", "must be between 1 and " + children.size(), "how many of the listed conditions must hold");
      }
    }
    for (int i = 0; i < children.size(); i++) {
      if (children.get(i) == null) {
        out.problem(composite.childPath(path, i), "is empty", "write a condition");
      } else {
        checkCondition(composite.childPath(path, i), children.get(i), p, signals);
      }
    }
  }
}
