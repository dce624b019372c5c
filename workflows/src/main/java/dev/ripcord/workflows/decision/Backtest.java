package dev.ripcord.workflows.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ripcord.workflows.policy.ReleasePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The engine a release runs, over recorded windows: what it would have decided, and when it would first have acted. */
public final class Backtest {
  private Backtest() {}

  public record Result(List<WindowVerdict> decisions, Summary summary) {}

  /**
   * @param firstAction the first window whose verdict asks the release to act (not continue or alert), if any
   * @param firstFired for each criterion, the first window it fired in
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Summary(int windows, int inconclusiveWindows, Integer firstActionWindow, String firstActionAt,
      String firstAction, List<String> firstActionCriteria, Map<String, Integer> firstFired) {

    public String sentence() {
      String head = windows + " windows, " + inconclusiveWindows + " with inconclusive criteria; ";
      if (firstActionWindow == null) {
        return head + "no criterion would have acted" + (firstFired.isEmpty() ? "" : " (alerts: " + firstFired + ")");
      }
      return head + "first action " + firstAction + " at window " + firstActionWindow
          + (firstActionAt == null ? "" : " (" + firstActionAt + ")") + " by " + firstActionCriteria
          + "; first firing per criterion: " + firstFired;
    }
  }

  public static Result run(ReleasePolicy policy, List<Observation> windows) {
    VerdictEngine engine = new CriteriaEngine();
    EngineState state = engine.start(policy);
    List<WindowVerdict> decisions = new ArrayList<>();
    Map<String, Integer> firstFired = new LinkedHashMap<>();
    WindowVerdict firstAction = null;
    int inconclusive = 0;
    for (Observation o : windows) {
      Evaluation e = engine.evaluate(policy, state, o);
      state = e.state();
      WindowVerdict d = e.verdict();
      decisions.add(d);
      if (d.inconclusive()) {
        inconclusive++;
      }
      for (String c : d.fired()) {
        firstFired.putIfAbsent(c, d.window());
      }
      if (firstAction == null && d.triggered()) {
        firstAction = d;
      }
    }
    Summary s = new Summary(decisions.size(), inconclusive, firstAction == null ? null : firstAction.window(),
        firstAction == null ? null : firstAction.t(), firstAction == null ? null : firstAction.verdict().label(),
        firstAction == null ? null : firstAction.fired(), firstFired);
    return new Result(List.copyOf(decisions), s);
  }
}
