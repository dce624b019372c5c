package dev.ripcord.workflows.release;

import dev.ripcord.workflows.activity.ObservationActivities;
import dev.ripcord.workflows.activity.ObservationActivities.ObservationRequest;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.policy.SignalSpec;
import dev.ripcord.workflows.policy.StageSpec;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.List;

/** Reads one observation window from the policy's source (Prometheus, HTTP, a script); pushes are not read. */
final class Windows {
  private final ObservationActivities remote =
      Workflow.newActivityStub(ObservationActivities.class, ObservationActivities.OPTIONS);
  private final ObservationActivities local =
      Workflow.newLocalActivityStub(ObservationActivities.class, ObservationActivities.LOCAL_OPTIONS);
  private final Release r;
  private final StateLog log;

  Windows(Release r, StateLog log) {
    this.r = r;
    this.log = log;
  }

  /**
   * The window from {@code from} to {@code to} of {@code stage}; null when observations are pushed, and an empty
   * (inconclusive) window when the source cannot be read.
   */
  Observation read(StageSpec stage, long from, long to) {
    if (r.policy.observations().isPushed()) {
      return null;
    }
    List<String> names = r.policy.signals().stream().map(SignalSpec::name).toList();
    ObservationActivities reader = Versions.has(Versions.LOCAL_OBSERVATION_READS) ? local : remote;
    try {
      return reader.read(new ObservationRequest(r.releaseId, r.policy.observations(), names, stage.name(),
          r.progress.weight, r.progress.engine.windows() + 1, Release.iso(from), Release.iso(to),
          r.policy.release().model(), r.policy.release().candidate(), r.policy.release().baseline()));
    } catch (ActivityFailure f) {
      String why = Failures.rootMessage(f);
      log.audit("OBSERVATION", null, null, "window could not be read: " + why + " (counted as inconclusive)");
      return Observation.empty(Release.iso(to), stage.name(), "unreadable: " + why);
    }
  }
}
