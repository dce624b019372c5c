package dev.ripcord.activities.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The observations a release evaluated, recovered from its history in the backtest format: the results of
 * {@code ReadObservation} activities (or local activities: their markers) and the {@code observe} signals the
 * release took ({@link PushedWindows}; refused ones are left out), in event order. A revised policy can then be
 * backtested against a past incident.
 */
public final class HistoryObservations {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HistoryObservations() {}

  public static List<JsonNode> of(WorkflowExecutionHistory history) {
    List<JsonNode> out = new ArrayList<>();
    Map<Long, String> activityTypes = new HashMap<>();
    List<HistoryEvent> events = history.getEvents();
    PushedWindows judge = PushedWindows.of(events);
    for (int i = 0; i < events.size(); i++) {
      HistoryEvent e = events.get(i);
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
        case EVENT_TYPE_WORKFLOW_TASK_STARTED -> {
          judge.taskStarted(millis(e));
          // Signals before this event were handled in this task, before its window closed (see PushedWindows).
          JsonNode empty = judge.closedEmpty(millis(e));
          if (empty != null) {
            out.add(empty);
          }
        }
        case EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES -> judge.upserted(e
            .getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes().getIndexedFieldsMap());
        case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> {
          var a = e.getWorkflowExecutionSignaledEventAttributes();
          if ("observe".equals(a.getSignalName())) {
            JsonNode o = judge.evaluated(a.getInput().getPayloadsCount() == 0 ? null : a.getInput().getPayloads(0),
                nextTaskStarted(events, i));
            if (o != null) {
              out.add(o);
            }
          }
        }
        default -> { }
      }
    }
    return out;
  }

  /** The workflow time at which the signal at {@code i} was handled: the start of the next workflow task. */
  private static long nextTaskStarted(List<HistoryEvent> events, int i) {
    for (int j = i + 1; j < events.size(); j++) {
      if (events.get(j).getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
        return millis(events.get(j));
      }
    }
    return millis(events.get(i));
  }

  static long millis(HistoryEvent e) {
    return e.getEventTime().getSeconds() * 1000 + e.getEventTime().getNanos() / 1_000_000;
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
