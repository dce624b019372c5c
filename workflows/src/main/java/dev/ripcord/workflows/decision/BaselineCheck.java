package dev.ripcord.workflows.decision;

import dev.ripcord.workflows.policy.Condition;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether the baseline is within the criteria's absolute limits ({@code above}, {@code below}) in one window: how a
 * playbook verifies recovery after a rollback. Comparisons with the candidate do not apply (it serves nothing). Pure.
 *
 * @param over the limits the baseline breaks, as text
 * @param within the limits it keeps, as text
 */
public record BaselineCheck(List<String> over, List<String> within) {

  public static BaselineCheck of(ReleasePolicy policy, Observation o) {
    List<String> over = new ArrayList<>();
    List<String> within = new ArrayList<>();
    for (var c : policy.criteria()) {
      walk(policy, c.when(), o, over, within);
    }
    return new BaselineCheck(List.copyOf(over), List.copyOf(within));
  }

  private static void walk(ReleasePolicy policy, ConditionSpec c, Observation o, List<String> over,
      List<String> within) {
    if (c == null || o == null || o.signals() == null) {
      return;
    }
    if (c.form() instanceof Condition.Composite composite) {
      composite.children().forEach(x -> walk(policy, x, o, over, within));
      return;
    }
    if (c.signal() == null || (c.above() == null && c.below() == null)) {
      return;
    }
    var reading = o.signals().get(c.signal());
    SignalSpec s = policy.signal(c.signal());
    if (reading == null || reading.baseline() == null || s == null) {
      return;
    }
    Observation.Arm b = reading.baseline();
    Double v = s.isRate() ? (b.trials() == null || b.trials() == 0 ? null
        : b.events() * (double) s.perOrOne() / b.trials()) : b.value();
    if (v == null) {
      return;
    }
    String text = c.signal() + " on the baseline " + String.format(Locale.ROOT, "%.2f", v);
    if ((c.above() != null && v > c.above()) || (c.below() != null && v < c.below())) {
      over.add(text + (c.above() != null ? " > " + c.above() : " < " + c.below()));
    } else {
      within.add(text + (c.above() != null ? " <= " + c.above() : " >= " + c.below()));
    }
  }
}
