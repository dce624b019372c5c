package dev.ripcord.workflows.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ripcord.workflows.approval.DecisionKind;
import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.approval.HumanDecisions;
import dev.ripcord.workflows.approval.RereleaseRequest;
import dev.ripcord.workflows.audit.AuditText;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observations;
import dev.ripcord.workflows.intake.PushedAlert;
import dev.ripcord.workflows.intake.SignalPayloads;
import dev.ripcord.workflows.release.StateLog.Refusal;
import io.temporal.common.converter.EncodedValues;
import io.temporal.common.converter.RawValue;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * What senders push into a release, checked before anything is kept: every signal's payload, alerts from
 * Alertmanager, pushed observations, and signals no handler takes. A payload that cannot be read, or that the
 * release cannot use now, is audited and refused; it never fails the workflow task.
 */
final class Intake {
  static final int MAX_PUSHED_BUFFER = 1000;
  /** Every signal a release takes: each decision kind's, then the rest. */
  static final List<String> SIGNALS = java.util.stream.Stream.concat(DecisionKind.signals().stream(),
      java.util.stream.Stream.of("observe", "alert", "acknowledge", "rerelease")).toList();
  private final Release r;
  private final StateLog log;

  Intake(Release r, StateLog log) {
    this.r = r;
    this.log = log;
  }

  /**
   * The payload of a signal as JSON, or null when it is refused (and audited). A payload that only the checks of
   * {@link Versions#STRICT_INPUTS} refuse is still taken, as before, when replaying a history from before them.
   */
  JsonNode payloadOf(String signal, RawValue raw, String actor) {
    SignalPayloads.Read read = SignalPayloads.read(raw);
    if (read.ok()) {
      return read.node();
    }
    JsonNode before = SignalPayloads.asBefore(raw);
    if (before != null && !Versions.has(Versions.STRICT_INPUTS)) {
      return before;
    }
    log.refused(signal, Refusal.UNREADABLE, actor, null, "'" + signal + "' signal refused: " + read.problem()
        + "; payload: " + SignalPayloads.describe(raw));
    return null;
  }

  /** A person's decision from a signal, or null when its payload is refused (and audited). */
  HumanDecision decision(String kind, RawValue raw) {
    JsonNode payload = payloadOf(kind, raw, null);
    if (payload == null || noPolicy(kind)) {
      return null;
    }
    boolean withNow = payload.has("now") && kind.equals("rollback") && Versions.has(Versions.BREAK_GLASS);
    HumanDecisions.Parsed parsed = HumanDecisions.parse(kind, payload, withNow,
        r.policy.governance().verifiesIdentity());
    if (!parsed.ok()) {
      malformed(kind, null, parsed.problem(), raw);
      return null;
    }
    return parsed.decision();
  }

  /** A re-release request from the signal, or null when its payload is refused (and audited). */
  RereleaseRequest rerelease(RawValue raw) {
    JsonNode payload = payloadOf("rerelease", raw, null);
    if (payload == null || noPolicy("rerelease")) {
      return null;
    }
    RereleaseRequest.Parsed parsed = RereleaseRequest.parse(payload, r.policy.governance().verifiesIdentity());
    if (!parsed.ok()) {
      malformed("rerelease", null, parsed.problem(), raw);
      return null;
    }
    return parsed.request();
  }

  /**
   * Whether the run has no policy to judge {@code signal} by (its input named none: a start no client validated, which
   * fails the release at once); such a signal is refused and audited.
   */
  private boolean noPolicy(String signal) {
    if (r.policy != null) {
      return false;
    }
    log.refused(signal, Refusal.NOT_NOW, null, null, "'" + signal + "' signal refused: the release has no policy; it"
        + " fails at its start");
    return true;
  }

  /** An update's validator: a malformed update is rejected before it reaches the history. */
  static void refuseUpdate(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** Audits a payload that was read but does not say what the signal needs. */
  void malformed(String signal, String actor, String problem, RawValue raw) {
    log.refused(signal, Refusal.MALFORMED, actor, null, "malformed '" + signal + "' signal refused: " + problem
        + "; payload: " + SignalPayloads.describe(raw));
  }

  /** A signal no handler takes (a typo in the Temporal UI, another tool's signal): refused and audited. */
  void unknown(String name, EncodedValues args) {
    RawValue raw = rawOf(args);
    log.refused("unknown", Refusal.UNKNOWN_SIGNAL, null, null, "unknown signal '" + AuditText.cap(name, 80)
        + "' refused: this release takes " + String.join(", ", SIGNALS) + " (see docs/deciding.md); payload: "
        + SignalPayloads.describe(raw));
  }

  /** A dynamic signal's first argument, raw; null when there is none or it cannot even be taken raw. */
  static RawValue rawOf(EncodedValues args) {
    try {
      return args.getSize() == 0 ? null : args.get(0, RawValue.class);
    } catch (RuntimeException e) {
      return null; // described as "(none)": an argument that cannot even be taken raw has nothing to quote
    }
  }

  /** Alertmanager's {@code alert} signal: a firing alert the policy has a rule for is queued once. */
  void alert(RawValue raw) {
    JsonNode payload = payloadOf("alert", raw, "alertmanager");
    if (payload == null) {
      return;
    }
    PushedAlert.Parsed parsed = PushedAlert.parse(payload);
    if (!parsed.ok()) {
      malformed("alert", "alertmanager", parsed.problem(), raw);
      return;
    }
    PushedAlert a = parsed.alert();
    if (r.policy == null) {
      log.refused("alert", Refusal.NOT_NOW, "alertmanager", null, a.describe() + " refused: the release has no"
          + " policy");
      return;
    }
    var rule = r.policy.observations().alert(a.alertname());
    if (rule == null) {
      log.refused("alert", Refusal.NOT_APPLICABLE, "alertmanager", null, a.describe() + " refused: the policy has no"
          + " rule for it; add "
          + "observations.alerts: [{alertname: " + a.alertname() + ", action: rollback}] or stop routing it here");
      return;
    }
    Progress p = r.progress;
    if (a.status().equals("resolved")) {
      if (p.inbox.resolved(a.alertname())) {
        log.audit("OBSERVATION", "alertmanager", null, a.describe() + " resolved");
      }
      return;
    }
    if (!p.state.isWatching()) {
      log.audit("OBSERVATION", "alertmanager", null, a.describe() + " firing; nothing to do: the release is "
          + p.state);
      return;
    }
    if (!p.inbox.alert(a)) {
      return; // Alertmanager's repeat of an alert already acted on
    }
    log.audit("OBSERVATION", "alertmanager", null, a.describe() + " firing (policy: " + rule.action() + ")");
  }

  /** The {@code observe} signal: a pushed window, queued for the bake loop when it fits the current stage. */
  void observe(RawValue raw) {
    JsonNode payload = payloadOf("observe", raw, null);
    if (payload == null) {
      return;
    }
    String refusal = observationRefusal();
    if (refusal != null) {
      log.refused("observe", refusal.startsWith("this release reads") ? Refusal.NOT_APPLICABLE : Refusal.NOT_NOW, null,
          null, "observation refused: " + refusal);
      return;
    }
    Progress p = r.progress;
    Observations.Parsed parsed = Observations.parse(payload, r.policy);
    String stageName = r.stage().name();
    Observation seen = parsed.observation();
    // After promotion, labels rated late for an earlier stage still count: the watch exists for them.
    boolean lateLabel = seen != null && r.inAfterPromotion() && seen.stage() != null
        && r.policy.stages().stream().anyMatch(s -> s.name().equals(seen.stage()));
    String problem = Observations.refusal(parsed, lateLabel ? seen.stage() : stageName,
        lateLabel ? 0 : p.bake.stageStartedAt(), Workflow.currentTimeMillis(), Versions::has);
    if (problem != null) {
      log.refused("observe", Refusal.MALFORMED, null, null, "malformed observation refused: " + problem
          + "; payload: " + SignalPayloads.describe(raw));
      return;
    }
    Observation o = parsed.observation();
    String now = Release.iso(Workflow.currentTimeMillis());
    p.inbox.push(new Observation(o.t() == null ? now : o.t(), o.from(), o.stage() == null ? stageName : o.stage(),
        o.signals(), o.source() == null ? "pushed" : o.source(), o.query(), o.judges()));
  }

  /** Why no pushed observation is taken now, or null. */
  private String observationRefusal() {
    if (r.policy == null) {
      return "the release has not started";
    }
    if (!r.policy.observations().isPushed()) {
      return "this release reads observations from '" + r.policy.observations().source() + "', not from pushes";
    }
    if (!r.progress.state.isWatching()) {
      return "the release is " + r.progress.state;
    }
    if (r.progress.inbox.pushedWaiting() >= MAX_PUSHED_BUFFER) {
      return MAX_PUSHED_BUFFER + " observations already queued";
    }
    return null;
  }
}
