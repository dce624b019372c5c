package dev.ripcord.starter.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit timeline read straight from a history's events, independent of the workflow code: who signalled what,
 * which router changes ran (from → to, key), which states the release went through, how it ended.
 */
public final class HistoryTimeline {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HistoryTimeline() {}

  /** One line: the event id, its time, how long after the start, and what happened. */
  public record Line(long eventId, String at, String offset, String kind, String text) {
    @Override
    public String toString() {
      return String.format("%-9s %-8s %-10s %s", "+" + offset, "#" + eventId, kind, text);
    }
  }

  public static List<Line> of(WorkflowExecutionHistory history, boolean verbose) {
    List<Line> lines = new ArrayList<>();
    Map<Long, HistoryEvent> scheduled = new HashMap<>();
    Instant start = null;
    for (HistoryEvent e : history.getEvents()) {
      Instant at = Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos());
      if (start == null) {
        start = at;
      }
      String offset = offset(Duration.between(start, at));
      String text = null;
      String kind = null;
      switch (e.getEventType()) {
        case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> {
          JsonNode in = first(e.getWorkflowExecutionStartedEventAttributes().getInput());
          JsonNode rel = in.path("policy").path("release");
          kind = "START";
          text = (in.path("carried").isObject() ? "continued run of " : "release of ") + rel.path("model").asText()
              + " " + rel.path("candidate").asText() + " over " + rel.path("baseline").asText() + ", policy "
              + in.path("policyHash").asText();
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> {
          var a = e.getWorkflowExecutionSignaledEventAttributes();
          if (!a.getSignalName().equals("observe") || verbose) {
            kind = "SIGNAL";
            text = a.getSignalName() + " " + compact(first(a.getInput()));
          }
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED -> {
          var req = e.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest().getInput();
          kind = "UPDATE";
          text = req.getName() + " " + compact(first(req.getArgs()));
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED -> {
          var o = e.getWorkflowExecutionUpdateCompletedEventAttributes().getOutcome();
          JsonNode r = o.hasSuccess() ? first(o.getSuccess()) : null;
          kind = "ANSWER";
          text = r == null ? "failed: " + o.getFailure().getMessage()
              : (r.path("accepted").asBoolean() ? "accepted " : "refused ") + r.path("decision").asText() + " by "
                  + r.path("by").asText() + (r.hasNonNull("reason") ? ": " + r.path("reason").asText() : "");
        }
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> scheduled.put(e.getEventId(), e);
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
          var a = e.getActivityTaskCompletedEventAttributes();
          HistoryEvent s = scheduled.get(a.getScheduledEventId());
          String type = s == null ? "?" : s.getActivityTaskScheduledEventAttributes().getActivityType().getName();
          JsonNode input = s == null ? null : first(s.getActivityTaskScheduledEventAttributes().getInput());
          JsonNode result = first(a.getResult());
          switch (type) {
            case "SetWeight" -> {
              kind = "ROUTER";
              text = "candidate " + result.path("from").asInt() + " → " + result.path("to").asInt() + " % ("
                  + result.path("reason").asText() + ", key " + result.path("idempotencyKey").asText()
                  + (result.path("applied").asBoolean(true) ? ")" : ", already applied)");
            }
            case "ReadWeight" -> {
              kind = "VERIFY";
              text = "router reports candidate at " + result.asInt() + " %";
            }
            case "Notify" -> {
              kind = "NOTIFY";
              text = (input == null ? "" : input.path("event").asText() + ": ") + result.path("text").asText();
            }
            default -> {
              if (verbose) {
                kind = "OBSERVE";
                text = compact(result);
              }
            }
          }
        }
        case EVENT_TYPE_ACTIVITY_TASK_FAILED -> {
          var a = e.getActivityTaskFailedEventAttributes();
          HistoryEvent s = scheduled.get(a.getScheduledEventId());
          kind = "FAILED";
          text = (s == null ? "activity" : s.getActivityTaskScheduledEventAttributes().getActivityType().getName())
              + ": " + rootMessage(a.getFailure());
        }
        case EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES -> {
          var fields = e.getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes().getIndexedFieldsMap();
          Payload state = fields.get("RipcordState");
          Payload stage = fields.get("RipcordStage");
          kind = "STATE";
          text = (state == null ? "" : text(state)) + (stage == null ? "" : " (stage " + text(stage) + ")");
        }
        case EVENT_TYPE_WORKFLOW_TASK_FAILED -> {
          kind = "TASKFAIL";
          text = e.getWorkflowTaskFailedEventAttributes().getCause() + ": "
              + e.getWorkflowTaskFailedEventAttributes().getFailure().getMessage();
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW -> {
          kind = "CONTINUE";
          text = "continued as new (run " + e.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId()
              + ")";
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> {
          JsonNode r = first(e.getWorkflowExecutionCompletedEventAttributes().getResult());
          kind = "END";
          text = r.path("state").asText() + (r.hasNonNull("timeToMitigateMillis")
              ? ", traffic restored " + offset(Duration.ofMillis(r.path("timeToMitigateMillis").asLong()))
              + " after the trigger" : "") + ", " + r.path("actions").size() + " router changes, "
              + r.path("windows").asInt() + " windows evaluated";
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> {
          kind = "END";
          text = "failed: " + rootMessage(e.getWorkflowExecutionFailedEventAttributes().getFailure());
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> {
          kind = "END";
          text = "terminated: " + e.getWorkflowExecutionTerminatedEventAttributes().getReason();
        }
        default -> { }
      }
      if (kind != null) {
        lines.add(new Line(e.getEventId(), at.toString(), offset, kind, text));
      }
    }
    return lines;
  }

  /** The workflow's own audit log, from the result of a completed run (empty otherwise). */
  public static List<String> auditLog(WorkflowExecutionHistory history) {
    HistoryEvent last = history.getLastEvent();
    List<String> out = new ArrayList<>();
    if (last.hasWorkflowExecutionCompletedEventAttributes()) {
      for (JsonNode a : first(last.getWorkflowExecutionCompletedEventAttributes().getResult()).path("audit")) {
        out.add(a.path("at").asText() + "  " + String.format("%-13s", a.path("kind").asText()) + " "
            + (a.hasNonNull("actor") ? a.path("actor").asText() + (a.hasNonNull("role") ? " (" + a.path("role").asText()
            + ")" : "") + ": " : "") + a.path("message").asText());
      }
    }
    return out;
  }

  private static String rootMessage(io.temporal.api.failure.v1.Failure f) {
    while (f.hasCause()) {
      f = f.getCause();
    }
    return f.getMessage();
  }

  private static JsonNode first(Payloads p) {
    if (p == null || p.getPayloadsCount() == 0) {
      return JSON.nullNode();
    }
    return parse(p.getPayloads(0));
  }

  private static JsonNode parse(Payload p) {
    try {
      return JSON.readTree(p.getData().toByteArray());
    } catch (Exception e) {
      return JSON.getNodeFactory().textNode("<" + p.getData().size() + " bytes, not JSON>");
    }
  }

  private static String text(Payload p) {
    JsonNode n = parse(p);
    if (n.isArray() && n.size() == 1) {
      return n.get(0).asText();
    }
    return n.asText();
  }

  private static String compact(JsonNode n) {
    String s = n.toString();
    return s.length() <= 200 ? s : s.substring(0, 197) + "...";
  }

  static String offset(Duration d) {
    long s = d.getSeconds();
    return String.format("%02d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
  }

}
