package dev.ripcord.activities.history;

import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.LinkedList;
import java.util.List;

/** Every run of a release, found by following each run's link to the one it continued. */
public final class ReleaseRuns {
  private ReleaseRuns() {}

  /**
   * The runs up to {@code runId} (null: the current one), oldest first.
   */
  public static List<WorkflowExecutionHistory> of(WorkflowClient client, String releaseId, String runId) {
    LinkedList<WorkflowExecutionHistory> runs = new LinkedList<>();
    WorkflowExecutionHistory h = runId == null ? client.fetchHistory(releaseId) : client.fetchHistory(releaseId, runId);
    while (true) {
      runs.addFirst(h);
      String previous = h.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
      if (previous.isEmpty()) {
        return runs;
      }
      h = client.fetchHistory(releaseId, previous);
    }
  }
}
