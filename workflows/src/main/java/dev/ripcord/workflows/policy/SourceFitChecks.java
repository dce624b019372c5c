package dev.ripcord.workflows.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * What a signal asks of the source that reads it and that source cannot give. A release holds a running release to
 * these only from its {@code source-fit} marker. Pure.
 */
public final class SourceFitChecks {
  private SourceFitChecks() {}

  /**
   * A signal scored by an LLM judge needs the judge's health in every window (its version, calls and errors,
   * calibration labels). Pushed windows carry it ({@code judges}), and so may a scripted scenario or a source of a
   * team's own; the Prometheus and HTTP sources read none, so such a criterion would stay inconclusive, and the
   * release would pause and then act at its deadline without ever judging the signal.
   */
  public static List<PolicyProblem> problems(ReleasePolicy p) {
    List<PolicyProblem> out = new ArrayList<>();
    if (p.observations() == null || p.signals() == null) {
      return out;
    }
    Source source = p.observations().sourceType();
    if (source != Source.PROMETHEUS && source != Source.HTTP) {
      return out;
    }
    for (int i = 0; i < p.signals().size(); i++) {
      SignalSpec s = p.signals().get(i);
      if (s != null && s.judge() != null) {
        out.add(new PolicyProblem("$.signals[" + i + "].judge", "signal '" + s.name() + "' is scored by judge '"
            + s.judge().name() + "', but the " + source.text() + " source reads no judge health (version, calls,"
            + " errors, calibration labels): its criteria would stay inconclusive, and the release would pause and"
            + " act at its deadline", "push windows that carry 'judges' (observations.source: pushed, see"
            + " docs/observations.md), read this signal from a source of your own that reports them (x-<name>), or"
            + " remove 'judge' from the signal"));
      }
    }
    return out;
  }
}
