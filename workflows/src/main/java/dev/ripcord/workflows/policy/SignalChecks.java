package dev.ripcord.workflows.policy;

import static dev.ripcord.workflows.policy.PolicyValidator.CATEGORIES;
import static dev.ripcord.workflows.policy.PolicyValidator.DIRECTIONS;
import static dev.ripcord.workflows.policy.PolicyValidator.RATE_UNITS;
import static dev.ripcord.workflows.policy.PolicyValidator.SIGNAL_KINDS;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Checks signals section. Reports into the one {@link Problems} collector; pure. */
final class SignalChecks {
  private final Problems out;

  SignalChecks(Problems out) {
    this.out = out;
  }

  Set<String> checkSignals(List<SignalSpec> signals) {
    Set<String> names = new LinkedHashSet<>();
    if (signals == null || signals.isEmpty()) {
      out.problem("$.signals", "needs at least one signal", "add e.g. - {name: error_rate, kind: rate, category: operational}");
      return names;
    }
    for (int i = 0; i < signals.size(); i++) {
      SignalSpec s = signals.get(i);
      String path = "$.signals[" + i + "]";
      if (s == null) {
        out.problem(path, "is empty", "write {name, kind, category}");
        continue;
      }
      if (out.required(path + ".name", s.name(), "e.g. hallucination") && !names.add(s.name())) {
        out.problem(path + ".name", "'" + s.name() + "' is declared twice", "signal names must be unique");
      }
      if (out.required(path + ".kind", s.kind(), "one of " + SIGNAL_KINDS)) {
        out.oneOf(path + ".kind", s.kind(), SIGNAL_KINDS);
      }
      if (out.required(path + ".category", s.category(), "one of " + CATEGORIES)) {
        out.oneOf(path + ".category", s.category(), CATEGORIES);
      }
      out.oneOf(path + ".direction", s.direction(), DIRECTIONS);
      if (s.isPaired() && Boolean.FALSE.equals(s.baseline())) {
        out.problem(path + ".baseline", "a paired signal always observes the baseline (it answers the same prompts)",
            "remove baseline: false");
      }
      if (s.isPaired() && !s.higherIsWorse()) {
        out.problem(path + ".direction", "a paired signal counts pairs where the candidate was worse",
            "remove direction (it is higher-is-worse)");
      }
      if (s.per() != null) {
        if (!s.isRate()) {
          out.problem(path + ".per", "only rates have a unit", "remove per, or make the signal kind: rate");
        } else if (!RATE_UNITS.contains(s.per())) {
          out.problem(path + ".per", s.per() + " is not a supported unit", "use one of " + RATE_UNITS);
        }
      }
    }
    return names;
  }
}
