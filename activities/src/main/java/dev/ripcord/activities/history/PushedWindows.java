package dev.ripcord.activities.history;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observations;
import dev.ripcord.workflows.intake.SignalPayloads;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseInput;
import dev.ripcord.workflows.release.ReleaseState;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.RawValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Which {@code observe} signals of a history the release took, judged as its {@code observe} handler judged them:
 * the same checks ({@link SignalPayloads}, {@link Observations}) against the state the history records (the policy in
 * the first event, stage and state from the search attributes the release upserted, the stage's start from the
 * workflow task that entered it), and today's refusals only where the run recorded their marker
 * ({@code strict-inputs}, {@code non-negative-values}). The windows that closed with nothing pushed, which the release
 * judged as empty ("pushed: none this window"), are found the way the release closes them: at the first workflow task
 * at or after the window's end, while it watches.
 */
final class PushedWindows {
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final ReleasePolicy policy;
  /** The version markers the run recorded: a refusal newer than the run's code counts only where it has its marker. */
  private final java.util.Set<String> markers;
  private ReleaseState state;
  private String stage;
  private long stageStartedAt;
  private long taskStartedAt;
  /** The evaluation interval, and the window open now: since when, and whether a push arrived in it. */
  private final long interval;
  private long windowStartedAt;
  private boolean pushedThisWindow;

  private PushedWindows(ReleasePolicy policy, java.util.Set<String> markers, ReleaseState state, String stage,
      long stageStartedAt, long windowStartedAt, boolean pushedThisWindow) {
    this.policy = policy;
    this.interval = policy == null || policy.evaluation() == null || policy.evaluation().interval() == null ? 0
        : dev.ripcord.workflows.policy.Durations.parse(policy.evaluation().interval()).toMillis();
    this.windowStartedAt = windowStartedAt;
    this.pushedThisWindow = pushedThisWindow;
    this.markers = markers;
    this.state = state;
    this.stage = stage;
    this.stageStartedAt = stageStartedAt;
  }

  static PushedWindows of(List<HistoryEvent> events) {
    ReleaseInput input = ReleaseRuns.input(events); // null: not a release history, no observe signal is taken
    java.util.Set<String> markers = new java.util.HashSet<>();
    events.stream().filter(e -> e.hasMarkerRecordedEventAttributes()
        && "Version".equals(e.getMarkerRecordedEventAttributes().getMarkerName()))
        .forEach(e -> e.getMarkerRecordedEventAttributes().getDetailsMap().values().stream()
            .filter(d -> d.getPayloadsCount() > 0).forEach(d -> markers.add(d.getPayloads(0).getData().toStringUtf8()
                .replace("\"", ""))));
    ReleasePolicy policy = input == null ? null : input.policy();
    if (input != null && input.carried() != null && policy != null) {
      var c = input.carried();
      return new PushedWindows(policy, markers, c.state(), policy.stages().get(c.stageIndex()).name(),
          c.bake().stageStartedAt(), c.bake().windowStartedAt(), c.bake().sawPushThisWindow());
    }
    return new PushedWindows(policy, markers, ReleaseState.VALIDATING, null, 0, 0, false);
  }

  void taskStarted(long at) {
    taskStartedAt = at;
  }

  /**
   * The empty window the release judged in the workflow task that started at {@code at}, or null: a pushed release
   * that watches closes its window at the first task at or after the window's end, and judges it empty when nothing
   * was pushed in it.
   */
  JsonNode closedEmpty(long at) {
    if (policy == null || !policy.observations().isPushed() || !state.isWatching() || stage == null || interval <= 0
        || windowStartedAt <= 0 || at < windowStartedAt + interval) {
      return null;
    }
    boolean any = pushedThisWindow;
    windowStartedAt = at;
    pushedThisWindow = false;
    return any ? null : JSON.valueToTree(Observation.empty(Instant.ofEpochMilli(at).toString(), stage,
        "pushed: none this window"));
  }

  void upserted(Map<String, Payload> fields) {
    String newStage = text(fields.get("RipcordStage"));
    String newState = text(fields.get("RipcordState"));
    if (newStage != null && !newStage.equals(stage)) {
      stage = newStage;
      stageStartedAt = taskStartedAt;
      windowStartedAt = taskStartedAt; // a stage begins with a fresh window
      pushedThisWindow = false;
    }
    if (newState != null) {
      ReleaseState next = ReleaseState.valueOf(newState);
      if (next.isWatching() && !state.isWatching()) {
        // The first stage's name may be upserted before it begins: watching starts the stage's first window.
        windowStartedAt = taskStartedAt;
        pushedThisWindow = false;
      }
      state = next;
    }
  }

  /** The window as the release queued it for evaluation, or null when the release refused it. */
  JsonNode evaluated(Payload payload, long handledAt) {
    if (policy == null || !policy.observations().isPushed() || !state.isWatching() || stage == null) {
      return null;
    }
    RawValue raw = payload == null ? null : new RawValue(payload);
    boolean strict = markers.contains(Observations.STRICT_INPUTS);
    SignalPayloads.Read read = SignalPayloads.read(raw);
    JsonNode node = read.ok() ? read.node() : strict ? null : SignalPayloads.asBefore(raw);
    if (node == null) {
      return null;
    }
    Observations.Parsed p = Observations.parse(node, policy);
    if (Observations.refusal(p, stage, stageStartedAt, handledAt, markers::contains) != null) {
      return null;
    }
    Observation o = p.observation();
    pushedThisWindow = true;
    return JSON.valueToTree(new Observation(o.t() == null ? Instant.ofEpochMilli(handledAt).toString() : o.t(),
        o.from(), o.stage() == null ? stage : o.stage(), o.signals(), o.source() == null ? "pushed" : o.source(),
        o.query(), o.judges()));
  }

  private static String text(Payload p) {
    if (p == null) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(p.getData().toByteArray());
      return n.isTextual() ? n.asText() : n.isArray() && n.size() == 1 ? n.get(0).asText() : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
