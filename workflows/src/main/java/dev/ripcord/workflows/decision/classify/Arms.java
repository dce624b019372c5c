package dev.ripcord.workflows.decision.classify;

import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.Locale;

/** Reading an arm of a window in a signal's unit, and writing numbers the way explanations show them. Pure. */
final class Arms {
  private Arms() {}

  static SignalReading reading(SignalSpec s, Observation o) {
    return o.signals() == null ? null : o.signals().get(s.name());
  }

  /** The arm's value in the signal's unit, or null when there is too little data. */
  static Double value(SignalSpec s, Arm a, long minSamples) {
    if (s.isRate()) {
      if (a.trials() == null || a.events() == null || a.trials() <= 0 || a.trials() < minSamples) {
        return null;
      }
      return rate(s, a);
    }
    return a.value();
  }

  static double rate(SignalSpec s, Arm a) {
    return a.trials() == null || a.trials() == 0 ? 0 : (double) a.events() / a.trials() * s.perOrOne();
  }

  /** Rate with half an event added (Haldane) so a zero count compares finitely. */
  static Double smoothedRate(SignalSpec s, Arm a, long minSamples) {
    if (a.trials() == null || a.events() == null || a.trials() <= 0 || a.trials() < minSamples) {
      return null;
    }
    return (a.events() + 0.5) / (a.trials() + 1.0) * s.perOrOne();
  }

  static String shortfall(SignalSpec s, Arm a, long minSamples) {
    if (!s.isRate()) {
      return "no value";
    }
    long t = a.trials() == null ? 0 : a.trials();
    return minSamples > 0 ? "only " + t + " of " + minSamples + " samples" : "no samples";
  }

  /** {@code v} to at most {@code decimals} places, trailing zeros dropped: 99.900 as "99.9", 99.0 as "99". */
  static String trimmed(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
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
