package dev.ripcord.workflows.release;

import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.audit.CarriedLog;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The one place a release records what happens: state transitions, the audit log, its search attributes, the
 * Temporal UI's current details and its metrics. Every other part writes through it.
 */
final class StateLog {
  private static final Logger log = Workflow.getLogger(StateLog.class);
  private final Release r;
  private String lastUpsertedState;
  private String lastUpsertedStage;

  StateLog(Release r) {
    this.r = r;
  }

  void transition(ReleaseState to, String reason) {
    Progress p = r.progress;
    ReleaseState from = p.state;
    p.state = to;
    audit("STATE", null, null, from + " → " + to + ": " + reason);
    if (from != to) {
      count("ripcord_state_left", Map.of("state", from.name()));
      count("ripcord_state_entered", Map.of("state", to.name()));
    }
    upsertSearchAttributes();
    updateDetails();
    log.info("{} {} -> {}: {}", r.releaseId, from, to, reason);
  }

  void audit(String kind, String actor, String role, String message) {
    Progress p = r.progress;
    p.audit.add(new AuditEntry(p.nextSeq(), Release.iso(Workflow.currentTimeMillis()), kind, actor, role, message));
    if (p.audit.size() > CarriedLog.MAX_IN_RUN) {
      List<AuditEntry> kept = bounded(CarriedLog.MAX_ENTRIES);
      p.audit.clear();
      p.audit.addAll(kept);
    }
  }

  /** The audit log bounded to its last {@code keep} entries, behind a pointer to the runs that hold the rest. */
  List<AuditEntry> bounded(int keep) {
    return CarriedLog.bound(List.copyOf(r.progress.audit), keep, r.releaseId,
        Workflow.getInfo().getFirstExecutionRunId());
  }

  /** Why a signal or update was refused: the {@code reason} of {@code ripcord_signals_refused}. */
  enum Refusal {
    /** The payload could not be read as one bounded JSON document. */
    UNREADABLE("unreadable"),
    /** Read, but a field is missing, unknown or out of bounds. */
    MALFORMED("malformed"),
    /** A signal name the release does not take. */
    UNKNOWN_SIGNAL("unknown-signal"),
    /** The sender may not decide this: no right, no valid token, separation of duties. */
    UNAUTHORISED("unauthorised"),
    /** Well formed and allowed, but not now: nothing waits for it, or the release is in a state that takes none. */
    NOT_NOW("not-now"),
    /** The policy has no use for it (an alert without a rule, a push to a release that reads its own source). */
    NOT_APPLICABLE("not-applicable");

    final String tag;

    Refusal(String tag) {
      this.tag = tag;
    }
  }

  /**
   * Audits a refused signal or update and counts it in {@code ripcord_signals_refused{signal, reason}}: every refusal
   * of every input, whatever refused it.
   */
  void refused(String signal, Refusal reason, String actor, String role, String message) {
    audit("REFUSED", actor, role, message);
    count("ripcord_signals_refused", Map.of("signal", signal, "reason", reason.tag));
  }

  void count(String metric, Map<String, String> tags) {
    Workflow.getMetricsScope().tagged(tags).counter(metric).inc(1);
  }

  void upsertSearchAttributes() {
    String state = r.progress.state.name();
    String stage = r.stage().name();
    if (lastUpsertedState == null) {
      Workflow.upsertTypedSearchAttributes(
          ReleaseSearchAttributes.MODEL.valueSet(r.policy.release().model()),
          ReleaseSearchAttributes.CANDIDATE.valueSet(r.policy.release().candidate()),
          ReleaseSearchAttributes.STAGE.valueSet(stage),
          ReleaseSearchAttributes.STATE.valueSet(state));
    } else if (!state.equals(lastUpsertedState) || !stage.equals(lastUpsertedStage)) {
      Workflow.upsertTypedSearchAttributes(
          ReleaseSearchAttributes.STAGE.valueSet(stage),
          ReleaseSearchAttributes.STATE.valueSet(state));
    }
    lastUpsertedState = state;
    lastUpsertedStage = stage;
  }

  /** A run that continues a release: its search attributes are already set as the carried progress says. */
  void restored() {
    lastUpsertedState = r.progress.state.name();
    lastUpsertedStage = r.stage().name();
    updateDetails();
  }

  void updateDetails() {
    Workflow.setCurrentDetails(StatusView.line(r));
  }

  /** The current details with a note appended, e.g. while the router keeps failing. */
  void details(String note) {
    Workflow.setCurrentDetails(StatusView.line(r) + " · " + note);
  }
}
