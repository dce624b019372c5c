package dev.ripcord.workflows.decision;

import dev.ripcord.workflows.policy.JudgeSpec;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether each LLM judge the policy's signals name can be trusted this window: the version that scored it, the share
 * of its calls that errored or timed out, and its agreement with human labels on the calibration sample so far.
 * Criteria on signals an unreliable judge scored are inconclusive, never healthy. Pure and deterministic.
 */
public final class JudgeHealth {
  private JudgeHealth() {}

  /**
   * One judge's running record, carried in {@link EngineState}.
   *
   * @param labelled calibration labels so far (for the declared version only)
   * @param agreed of them, those the judge agreed with
   * @param unreliable why the judge is not trusted this window, or null when it is
   * @param lastVersion the version that scored the last window that said
   */
  public record JudgeState(long labelled, long agreed, String unreliable, String lastVersion) {
    static JudgeState fresh(String version) {
      return new JudgeState(0, 0, null, version);
    }
  }

  /** The judges the policy's signals name, by name (the first declaration of each; the validator keeps them alike). */
  public static Map<String, JudgeSpec> judges(ReleasePolicy p) {
    TreeMap<String, JudgeSpec> out = new TreeMap<>();
    if (p.signals() != null) {
      for (SignalSpec s : p.signals()) {
        if (s != null && s.judge() != null && s.judge().name() != null) {
          out.putIfAbsent(s.judge().name(), s.judge());
        }
      }
    }
    return out;
  }

  /** Each judge's state after this window; null when the policy names no judge (the state carries nothing). */
  public static TreeMap<String, JudgeState> assess(ReleasePolicy p, Map<String, JudgeState> before, Observation o) {
    Map<String, JudgeSpec> judges = judges(p);
    if (judges.isEmpty()) {
      return null;
    }
    TreeMap<String, JudgeState> next = new TreeMap<>();
    for (JudgeSpec j : judges.values()) {
      JudgeState was = before == null || before.get(j.name()) == null ? JudgeState.fresh(j.version())
          : before.get(j.name());
      Observation.JudgeReading r = o.judges() == null ? null : o.judges().get(j.name());
      next.put(j.name(), assess(j, was, r));
    }
    return next;
  }

  static JudgeState assess(JudgeSpec j, JudgeState was, Observation.JudgeReading r) {
    String version = r == null || r.version() == null ? j.version() : r.version();
    if (!version.equals(j.version())) {
      return new JudgeState(was.labelled(), was.agreed(), "version " + version + " scored this window, but the"
          + " release's evidence is for " + j.version() + "; its windows are not counted", version);
    }
    long labelled = was.labelled() + (r == null || r.labelled() == null ? 0 : r.labelled());
    long agreed = was.agreed() + (r == null || r.agreed() == null ? 0 : r.agreed());
    String why = null;
    if (j.maxErrorRate() != null) {
      if (r == null || r.calls() == null || r.calls() == 0) {
        why = "no health reading this window (calls and errors), so its error rate is unknown";
      } else {
        double rate = (double) (r.errors() == null ? 0 : r.errors()) / r.calls();
        if (rate > j.maxErrorRate()) {
          why = String.format(Locale.ROOT, "failing: %d of %d calls errored or timed out (%.1f %%, at most %.1f %%)",
              r.errors(), r.calls(), 100 * rate, 100 * j.maxErrorRate());
        }
      }
    }
    if (why == null && j.minAgreement() != null && labelled >= j.minLabelsOrDefault()) {
      double agreement = (double) agreed / labelled;
      if (agreement < j.minAgreement()) {
        why = String.format(Locale.ROOT, "agrees with human labels on %.1f %% of %d calibration labels (at least"
            + " %.1f %%)", 100 * agreement, labelled, 100 * j.minAgreement());
      }
    }
    return new JudgeState(labelled, agreed, why, version);
  }
}
