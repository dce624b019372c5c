package dev.ripcord.workflows.decision;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the engine remembers between windows; serialisable so the workflow carries it across continue-as-new.
 * Ordered maps only: iteration order is part of determinism.
 */
public record EngineState(int windows, TreeMap<String, CriterionState> criteria,
    TreeMap<String, JudgeHealth.JudgeState> judges) {

  /** A state without judges (the policy's signals name none). */
  public EngineState(int windows, TreeMap<String, CriterionState> criteria) {
    this(windows, criteria, null);
  }

  /** A judge's state, or null when it has none yet. */
  public JudgeHealth.JudgeState judge(String name) {
    return judges == null ? null : judges.get(name);
  }

  /**
   * @param recent breach (true) or within limits (false) for the last conclusive windows, oldest first
   * @param inconclusiveRun consecutive inconclusive windows up to now
   * @param firing whether the criterion fired in the previous window (so notifications go out once)
   * @param stats engine-specific running statistics (e.g. sequential-test sums), by name
   * @param inconclusiveSeen inconclusive (true) or not for the last windows, up to the policy's
   *     {@code inconclusiveSpan}, oldest first (absent in states carried before it was kept)
   */
  public record CriterionState(List<Boolean> recent, int inconclusiveRun, boolean firing, Map<String, Double> stats,
      List<Boolean> inconclusiveSeen) {
    public static CriterionState fresh() {
      return new CriterionState(List.of(), 0, false, new TreeMap<>(), List.of());
    }

    /** {@link #inconclusiveSeen}, empty when a state from before it was kept has none. */
    public List<Boolean> seen() {
      return inconclusiveSeen == null ? List.of() : inconclusiveSeen;
    }
  }

  public CriterionState criterion(String name) {
    CriterionState s = criteria.get(name);
    return s == null ? CriterionState.fresh() : s;
  }
}
