package dev.ripcord.activities.observe;

import dev.ripcord.workflows.activity.ObservationActivities;
import dev.ripcord.workflows.decision.Observation;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;

/** The worker's one {@code ReadObservation} activity, handing each request to the policy's source. */
public class ObservationSources implements ObservationActivities {
  private final Map<String, ObservationActivities> bySource;

  public ObservationSources(Map<String, ObservationActivities> bySource) {
    this.bySource = Map.copyOf(bySource);
  }

  @Override
  public Observation read(ObservationRequest request) {
    String source = request.spec() == null ? null : request.spec().source();
    ObservationActivities s = source == null ? null : bySource.get(source);
    if (s == null) {
      throw ApplicationFailure.newNonRetryableFailure("this worker reads no observations from '" + source
          + "' (it reads from " + bySource.keySet() + ")", "UnknownObservationSource");
    }
    return s.read(request);
  }
}
