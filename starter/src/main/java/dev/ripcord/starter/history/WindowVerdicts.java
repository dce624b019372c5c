package dev.ripcord.starter.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.activities.history.HistoryObservations;
import dev.ripcord.workflows.decision.Backtest;
import dev.ripcord.workflows.decision.WindowVerdict;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observations;
import dev.ripcord.workflows.policy.ReleasePolicy;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.ArrayList;
import java.util.List;

/**
 * Each window a release history holds (read by an activity, a local activity or pushed), with the verdict the engine
 * gives it, re-derived from the policy in the history: what {@code ripcord replay --verbose} prints under the
 * timeline. A run continued as new starts from the windows in its own file: the carried evidence of earlier runs is
 * not re-derived, and the lines say so.
 */
public final class WindowVerdicts {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One window: its number, time and stage, the verdict and why, and the observation as the history holds it. */
  public record Window(int window, String t, String stage, String verdict, String explanation, JsonNode observation) {
    @Override
    public String toString() {
      return "window " + window + " " + (t == null ? "" : t + " ") + "[" + stage + "] " + verdict + " — "
          + explanation + "\n      " + observation;
    }
  }

  private WindowVerdicts() {}

  /** The windows of a release history, or an empty list for another workflow type (a ledger's, a drill's). */
  public static List<Window> of(WorkflowExecutionHistory history) throws Exception {
    var started = history.getEvents().get(0).getWorkflowExecutionStartedEventAttributes();
    if (!started.getWorkflowType().getName().equals("Release")) {
      return List.of();
    }
    JsonNode input = JSON.readTree(started.getInput().getPayloads(0).getData().toByteArray());
    ReleasePolicy policy = JSON.treeToValue(input.get("policy"), ReleasePolicy.class);
    List<Observation> windows = new ArrayList<>();
    List<JsonNode> raw = new ArrayList<>();
    for (JsonNode o : HistoryObservations.of(history)) {
      Observations.Parsed p = Observations.parse(o, policy);
      if (p.ok()) {
        windows.add(p.observation());
        raw.add(o);
      }
    }
    List<WindowVerdict> decisions = Backtest.run(policy, windows).decisions();
    List<Window> out = new ArrayList<>();
    for (int i = 0; i < decisions.size() && i < raw.size(); i++) {
      WindowVerdict d = decisions.get(i);
      out.add(new Window(d.window(), d.t(), windows.get(i).stage(), d.verdict().label(), d.explanation(), raw.get(i)));
    }
    return out;
  }

  /** Whether the history is a run continued as new (its windows' evidence starts where the earlier runs left it). */
  public static boolean continued(WorkflowExecutionHistory history) throws Exception {
    var started = history.getEvents().get(0).getWorkflowExecutionStartedEventAttributes();
    return JSON.readTree(started.getInput().getPayloads(0).getData().toByteArray()).path("carried").isObject();
  }
}
