package dev.ripcord.starter.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The observations a release evaluated, recovered from its history in the backtest format: the results of
 * {@code ReadObservation} activities (or local activities: their markers) and the payloads of {@code observe}
 * signals, in event order. A revised policy
 * can then be backtested against a past incident.
 */
public final class HistoryObservations {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HistoryObservations() {}

  public static List<JsonNode> of(WorkflowExecutionHistory history) {
    List<JsonNode> out = new ArrayList<>();
    Map<Long, String> activityTypes = new HashMap<>();
    for (HistoryEvent e : history.getEvents()) {
      switch (e.getEventType()) {
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> activityTypes.put(e.getEventId(),
            e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
          var a = e.getActivityTaskCompletedEventAttributes();
          if ("ReadObservation".equals(activityTypes.get(a.getScheduledEventId()))) {
            JsonNode o = first(a.getResult());
            if (o != null && o.isObject()) {
              out.add(o);
            }
          }
        }
        case EVENT_TYPE_MARKER_RECORDED -> {
          // Releases from marker 'local-observation-reads' on read windows as local activities.
          var m = e.getMarkerRecordedEventAttributes();
          if ("LocalActivity".equals(m.getMarkerName()) && !m.hasFailure()) {
            JsonNode type = first(m.getDetailsMap().get("type"));
            if (type != null && "ReadObservation".equals(type.asText())) {
              JsonNode o = first(m.getDetailsMap().get("result"));
              if (o != null && o.isObject()) {
                out.add(o);
              }
            }
          }
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> {
          var a = e.getWorkflowExecutionSignaledEventAttributes();
          if ("observe".equals(a.getSignalName())) {
            JsonNode o = first(a.getInput());
            if (o != null && o.isObject()) {
              ObjectNode copy = ((ObjectNode) o).deepCopy();
              if (!copy.hasNonNull("t")) {
                copy.put("t", Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos())
                    .toString());
              }
              out.add(copy);
            }
          }
        }
        default -> { }
      }
    }
    return out;
  }

  private static JsonNode first(Payloads p) {
    if (p == null || p.getPayloadsCount() == 0) {
      return null;
    }
    try {
      return JSON.readTree(p.getPayloads(0).getData().toByteArray());
    } catch (Exception e) {
      return null;
    }
  }
}
