package dev.ripcord.workflows.decision;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the engine remembers between windows; serialisable so the workflow carries it across continue-as-new.
 * Ordered maps only: iteration order is part of determinism.
 */
public record EngineState(int windows, TreeMap<String, CriterionState> criteria) {

  /**
   * @param recent breach (true) or within limits (false) for the last conclusive windows, oldest first
   * @param inconclusiveRun consecutive inconclusive windows up to now
   * @param firing whether the criterion fired in the previous window (so notifications go out once)
   * @param stats engine-specific running statistics (e.g. sequential-test sums), by name
   */
  public record CriterionState(List<Boolean> recent, int inconclusiveRun, boolean firing, Map<String, Double> stats) {
    public static CriterionState fresh() {
      return new CriterionState(List.of(), 0, false, new TreeMap<>());
    }
  }

  public CriterionState criterion(String name) {
    CriterionState s = criteria.get(name);
    return s == null ? CriterionState.fresh() : s;
  }
}
