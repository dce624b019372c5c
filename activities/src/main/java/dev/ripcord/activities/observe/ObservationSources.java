package dev.ripcord.activities.observe;

import dev.ripcord.workflows.activity.ObservationActivities;
import dev.ripcord.workflows.decision.Observation;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The worker's one {@code ReadObservation} activity, handing each request to the policy's source. */
public class ObservationSources implements ObservationActivities {
  private final Map<String, ObservationActivities> bySource;

  public ObservationSources(Map<String, ObservationActivities> bySource) {
    this.bySource = Map.copyOf(bySource);
  }

  /** One source a worker reads from, by the name a policy's {@code observations.source} gives it. */
  public record Source(String name, ObservationActivities activities) {}

  public static ObservationSources of(List<Source> sources) {
    Map<String, ObservationActivities> bySource = new TreeMap<>();
    sources.forEach(s -> bySource.put(s.name(), s.activities()));
    return new ObservationSources(bySource);
  }

  /** The source names this worker reads, in order. */
  public java.util.Set<String> names() {
    return new java.util.TreeSet<>(bySource.keySet());
  }

  @Override
  public Observation read(ObservationRequest request) {
    String source = request.spec() == null ? null : request.spec().source();
    ObservationActivities s = source == null ? null : bySource.get(source);
    if (s == null) {
      throw ApplicationFailure.newNonRetryableFailure("this worker reads no observations from '" + source
          + "' (it reads from " + names() + ")", "UnknownObservationSource");
    }
    return s.read(request);
  }
}
