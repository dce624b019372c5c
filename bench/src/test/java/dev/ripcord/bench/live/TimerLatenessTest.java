package dev.ripcord.bench.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Timestamp;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.TimerFiredEventAttributes;
import io.temporal.api.history.v1.TimerStartedEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskScheduledEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskStartedEventAttributes;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scale benchmark's lateness figures come from event times; these are the rules it reads them by. */
class TimerLatenessTest {
  private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

  @Test
  void splitsTheDelayIntoTimerQueueAndDispatch() {
    List<HistoryEvent> events = List.of(
        timerStarted(5, 0, 10),
        timerFired(7, 5, 12_500),
        taskScheduled(8, 12_500),
        taskStarted(9, 12_620));

    var lateness = HistoryTiming.timerLateness(events, T0, T0.plusSeconds(60));

    assertEquals(1, lateness.size());
    assertEquals(T0.plusSeconds(10), lateness.get(0).due());
    assertLateness(lateness.get(0), 2620, 2500, 2500);
  }

  @Test
  void aTaskAlreadyScheduledBeforeTheTimerFiredCountsFromTheFiring() {
    // A signal scheduled a workflow task first; the timer fired while it waited, so the started task handles both.
    List<HistoryEvent> events = List.of(
        timerStarted(5, 0, 10),
        taskScheduled(6, 9_900),
        timerFired(7, 5, 10_040),
        taskStarted(8, 10_300));

    var l = HistoryTiming.timerLateness(events, T0, T0.plusSeconds(60)).get(0);

    assertLateness(l, 300, 40, 40);
  }

  @Test
  void onlyTimersDueInsideTheMeasuredIntervalCount() {
    List<HistoryEvent> events = List.of(
        timerStarted(5, 0, 10), timerFired(6, 5, 10_010), taskScheduled(7, 10_010), taskStarted(8, 10_050),
        timerStarted(11, 10_100, 10), timerFired(12, 11, 20_200), taskScheduled(13, 20_200), taskStarted(14, 20_400));

    var lateness = HistoryTiming.timerLateness(events, T0.plusSeconds(15), T0.plusSeconds(60));

    assertEquals(1, lateness.size());
    assertEquals(T0.plusMillis(20_100), lateness.get(0).due());
    assertEquals(300, lateness.get(0).ms(), 0.001);
  }

  private static void assertLateness(HistoryTiming.Lateness l, double ms, double firedMs,
      double scheduledMs) {
    assertEquals(ms, l.ms(), 0.001);
    assertEquals(firedMs, l.firedMs(), 0.001);
    assertEquals(scheduledMs, l.scheduledMs(), 0.001);
  }

  private static HistoryEvent.Builder at(long id, long millis) {
    Instant t = T0.plusMillis(millis);
    return HistoryEvent.newBuilder().setEventId(id)
        .setEventTime(Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()));
  }

  private static HistoryEvent timerStarted(long id, long millis, long seconds) {
    return at(id, millis).setTimerStartedEventAttributes(TimerStartedEventAttributes.newBuilder()
        .setStartToFireTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(seconds))).build();
  }

  private static HistoryEvent timerFired(long id, long startedId, long millis) {
    return at(id, millis).setTimerFiredEventAttributes(TimerFiredEventAttributes.newBuilder()
        .setStartedEventId(startedId)).build();
  }

  private static HistoryEvent taskScheduled(long id, long millis) {
    return at(id, millis).setWorkflowTaskScheduledEventAttributes(
        WorkflowTaskScheduledEventAttributes.getDefaultInstance()).build();
  }

  private static HistoryEvent taskStarted(long id, long millis) {
    return at(id, millis).setWorkflowTaskStartedEventAttributes(
        WorkflowTaskStartedEventAttributes.getDefaultInstance()).build();
  }
}
