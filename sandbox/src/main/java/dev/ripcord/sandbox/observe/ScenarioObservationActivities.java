package dev.ripcord.sandbox.observe;

import dev.ripcord.workflows.activity.ObservationActivities;
import dev.ripcord.workflows.decision.Observation;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code scripted} observation source: scenarios registered with the worker, found by the policy's
 * {@code observations.scenario} name or, without one, by release id.
 */
public class ScenarioObservationActivities implements ObservationActivities {
  public static final String NO_SCENARIO = "NoSuchScenario";
  private final Map<String, Scenario> scenarios = new ConcurrentHashMap<>();

  public ScenarioObservationActivities register(String name, Scenario scenario) {
    scenarios.put(name, scenario);
    return this;
  }

  @Override
  public Observation read(ObservationRequest request) {
    String name = request.spec() != null && request.spec().scenario() != null
        ? request.spec().scenario() : request.releaseId();
    Scenario s = scenarios.get(name);
    if (s == null) {
      throw ApplicationFailure.newNonRetryableFailure("no scenario named '" + name + "' is registered with this worker"
          + " (registered: " + scenarios.keySet() + "); set observations.scenario in the policy", NO_SCENARIO);
    }
    return s.window(request);
  }
}
