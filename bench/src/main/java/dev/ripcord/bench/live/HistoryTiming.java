package dev.ripcord.bench.live;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a release's history says about timing: work that was due and has not started, and how late each timer fired
 * and its workflow task ran. Pure: it reads history events and nothing else.
 */
final class HistoryTiming {
  private HistoryTiming() {}

  /**
   * Work that was due before {@code now} and has not started, in milliseconds overdue: timers that have not fired,
   * and a workflow task scheduled but not yet started (e.g. a new run's first task, waiting on the shared queue).
   */
  static List<Double> pendingOverdue(List<io.temporal.api.history.v1.HistoryEvent> events, Instant now) {
    Map<Long, Instant> open = new java.util.HashMap<>();
    for (var e : events) {
      Instant t = eventTime(e);
      if (e.hasWorkflowTaskScheduledEventAttributes()) {
        open.put(e.getEventId(), t);
      } else if (e.hasWorkflowTaskStartedEventAttributes()) {
        open.remove(e.getWorkflowTaskStartedEventAttributes().getScheduledEventId());
      } else if (e.hasWorkflowTaskTimedOutEventAttributes()) {
        open.remove(e.getWorkflowTaskTimedOutEventAttributes().getScheduledEventId());
      } else if (e.hasTimerStartedEventAttributes()) {
        open.put(e.getEventId(), timerDue(e, t));
      } else if (e.hasTimerFiredEventAttributes()) {
        open.remove(e.getTimerFiredEventAttributes().getStartedEventId());
      } else if (e.hasTimerCanceledEventAttributes()) {
        open.remove(e.getTimerCanceledEventAttributes().getStartedEventId());
      }
    }
    return open.values().stream().filter(d -> d.isBefore(now))
        .map(d -> millisAfter(d, now)).toList();
  }

  static Instant eventTime(io.temporal.api.history.v1.HistoryEvent e) {
    return Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos());
  }

  /** When a TimerStarted event at {@code started} is due to fire. */
  static Instant timerDue(io.temporal.api.history.v1.HistoryEvent e, Instant started) {
    var d = e.getTimerStartedEventAttributes().getStartToFireTimeout();
    return started.plusSeconds(d.getSeconds()).plusNanos(d.getNanos());
  }

  /**
   * How late one evaluation began, and where the time went: when the server fired the timer (its timer queue) and
   * when it scheduled the workflow task (both after the due time), before a worker started the task at {@code ms}.
   */
  record Lateness(Instant due, double ms, double firedMs, double scheduledMs) {}

  /** For every timer due in [from, to], how late the workflow task that handled its firing started. */
  static List<Lateness> timerLateness(List<io.temporal.api.history.v1.HistoryEvent> events, Instant from,
      Instant to) {
    Map<Long, Instant> due = new java.util.HashMap<>();
    List<Lateness> out = new ArrayList<>();
    Instant dueAt = null;
    Instant firedAt = null;
    Instant scheduledAt = null;
    for (var e : events) {
      Instant t = eventTime(e);
      if (e.hasTimerStartedEventAttributes()) {
        due.put(e.getEventId(), timerDue(e, t));
      } else if (e.hasTimerFiredEventAttributes()) {
        dueAt = due.get(e.getTimerFiredEventAttributes().getStartedEventId());
        firedAt = t;
        scheduledAt = null;
      } else if (e.hasWorkflowTaskScheduledEventAttributes() && dueAt != null && scheduledAt == null) {
        scheduledAt = t;
      } else if (e.hasWorkflowTaskStartedEventAttributes() && dueAt != null) {
        if (!dueAt.isBefore(from) && !dueAt.isAfter(to)) {
          out.add(new Lateness(dueAt, millisAfter(dueAt, t), millisAfter(dueAt, firedAt),
              millisAfter(dueAt, scheduledAt == null ? firedAt : scheduledAt)));
        }
        dueAt = null;
      }
    }
    return out;
  }

  static double millisAfter(Instant due, Instant t) {
    return Math.max(0, Duration.between(due, t).toNanos() / 1e6);
  }
}
