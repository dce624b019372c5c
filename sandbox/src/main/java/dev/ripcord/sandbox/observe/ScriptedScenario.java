package dev.ripcord.sandbox.observe;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ripcord.workflows.activity.ObservationActivities.ObservationRequest;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Observations written out per stage: the n-th window of a stage gets the n-th entry of that stage's list (the last
 * one repeats). Stages not listed use {@code default}; a stage with neither gets an empty (inconclusive) window.
 */
public final class ScriptedScenario implements Scenario {
  private final Map<String, List<Window>> byStage;
  private final Map<String, Integer> firstWindowOfStage = new HashMap<>();

  /** The signals of one window. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Window(Map<String, SignalReading> signals) {}

  public ScriptedScenario(Map<String, List<Window>> byStage) {
    this.byStage = Map.copyOf(byStage);
  }

  @Override
  public synchronized Observation window(ObservationRequest r) {
    List<Window> windows = byStage.getOrDefault(r.stage(), byStage.get("default"));
    String key = r.releaseId() + "/" + r.stage();
    int first = firstWindowOfStage.computeIfAbsent(key, k -> r.window());
    if (windows == null || windows.isEmpty()) {
      return new Observation(r.to(), r.from(), r.stage(), Map.of(), "scripted", null);
    }
    int i = Math.max(0, Math.min(r.window() - first, windows.size() - 1));
    return new Observation(r.to(), r.from(), r.stage(), windows.get(i).signals(), "scripted",
        "scripted window " + (r.window() - first + 1) + " of stage " + r.stage());
  }
}
