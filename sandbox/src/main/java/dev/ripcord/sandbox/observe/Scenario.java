package dev.ripcord.sandbox.observe;

import dev.ripcord.workflows.activity.ObservationActivities.ObservationRequest;
import dev.ripcord.workflows.decision.Observation;

/**
 * A source of observations for demos, drills and tests. Must answer the same request the same way (a retried
 * activity asks again), so any randomness is seeded from the request.
 */
public interface Scenario {
  Observation window(ObservationRequest request);
}
