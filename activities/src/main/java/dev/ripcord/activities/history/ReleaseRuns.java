package dev.ripcord.activities.history;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.activities.temporal.codec.HistoryPayloads;
import dev.ripcord.workflows.release.ReleaseInput;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.LinkedList;
import java.util.List;

/** Every run of a release, found by following each run's link to the one it continued, and what each started with. */
public final class ReleaseRuns {
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ReleaseRuns() {}

  /** The release input a run started with, or null when the history is not a release's. */
  public static ReleaseInput input(List<HistoryEvent> events) {
    try {
      var p = events.get(0).getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0);
      return JSON.readValue(p.getData().toByteArray(), ReleaseInput.class);
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The runs up to {@code runId} (null: the current one), oldest first, their payloads decoded with the client's codec
   * (readable whether or not the namespace's payloads are encrypted).
   */
  public static List<WorkflowExecutionHistory> of(WorkflowClient client, String releaseId, String runId) {
    var converter = client.getOptions().getDataConverter();
    return stored(client, releaseId, runId).stream().map(h -> HistoryPayloads.readable(h, converter)).toList();
  }

  /** As {@link #of}, each run as Temporal stores it (encrypted when the namespace's payloads are). */
  public static List<WorkflowExecutionHistory> stored(WorkflowClient client, String releaseId, String runId) {
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
