package dev.ripcord.workflows.release;

import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.SampleRatio;
import java.util.Map;

/**
 * The sample-ratio guard as the release runs it ({@link SampleRatio}): each window's arm sizes are added up for the
 * stage and weight the router confirmed; once the split is found wrong, the comparisons of the arms are not evidence
 * for the rest of the stage, it is audited, and the policy's action follows (by default the release pauses for
 * investigation). Releases started before marker {@code sample-ratio} kept comparing; the marker is asked only when a
 * mismatch is first found, so releases that never meet one record nothing.
 */
final class SampleRatioGuard {
  private final Release r;
  private final StateLog log;
  private final Notifications notify;
  private boolean found;

  SampleRatioGuard(Release r, StateLog log, Notifications notify) {
    this.r = r;
    this.log = log;
    this.notify = notify;
  }

  /**
   * Adds window {@code o}; the reason the arms' comparisons are not evidence this window, or null. Says whether the
   * mismatch was found with this window through {@link #pausesNow()}.
   */
  String observe(Observation o) {
    found = false;
    String action = SampleRatio.action(r.policy);
    if ("off".equals(action)) {
      return null;
    }
    Progress p = r.progress;
    double alpha = SampleRatio.alpha(r.policy);
    SampleRatio.State before = p.sampleRatio;
    SampleRatio.State after = SampleRatio.observe(before, r.stage().name(), p.weight, Boolean.TRUE.equals(p.mirroring),
        o, alpha, SampleRatio.tolerance(r.policy));
    if (after != null && after.mismatch() != null && (before == null || before.mismatch() == null
        || !before.stage().equals(after.stage()) || before.weight() != after.weight())) {
      if (!Versions.has(Versions.SAMPLE_RATIO)) {
        p.sampleRatio = new SampleRatio.State(after.stage(), after.weight(), after.candidate(), after.baseline(), null);
        return null; // a release from before the guard compared on
      }
      found = true;
      log.audit("SAMPLE_RATIO", null, null, after.mismatch() + " (policy: " + action + ")");
      log.count("ripcord_sample_ratio_mismatch", Map.of("stage", after.stage()));
      if ("alert-only".equals(action)) {
        notify.send("sample-ratio", "Release " + r.releaseId + ": " + after.mismatch(),
            Map.of("reason", after.mismatch()));
      }
    }
    p.sampleRatio = after;
    return after == null ? null : after.mismatch();
  }

  /** Whether the last window is the one that found the mismatch, and the policy pauses for it. */
  boolean pausesNow() {
    return found && "pause-and-investigate".equals(SampleRatio.action(r.policy));
  }
}
