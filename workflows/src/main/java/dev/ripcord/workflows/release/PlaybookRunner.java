package dev.ripcord.workflows.release;

import dev.ripcord.workflows.activity.PlaybookActivities;
import dev.ripcord.workflows.decision.BaselineCheck;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.VerdictEngine;
import dev.ripcord.workflows.playbook.PlaybookModel;
import dev.ripcord.workflows.policy.Durations;
import dev.ripcord.workflows.policy.NotificationSpec;
import dev.ripcord.workflows.policy.PlaybookSpec;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the incident playbook, once, from the first trigger: its steps as a graph of promises (each after the steps
 * it names), the automated ones through activities, the human ones open until an owner acknowledges them, with
 * reminders and escalation. Where the steps stand is the pure {@link PlaybookModel}.
 */
final class PlaybookRunner {
  private final PlaybookActivities actions =
      Workflow.newActivityStub(PlaybookActivities.class, PlaybookActivities.OPTIONS);
  private final Release r;
  private final StateLog log;
  private final Notifications notify;
  private final Windows windows;
  private final VerdictEngine engine;
  private Promise<Void> run;
  private String reason;

  PlaybookRunner(Release r, StateLog log, Notifications notify, Windows windows, VerdictEngine engine) {
    this.r = r;
    this.log = log;
    this.notify = notify;
    this.windows = windows;
    this.engine = engine;
  }

  boolean started() {
    return run != null;
  }

  /** Waits for every step; human steps stay open (and reminded) until acknowledged. */
  void finish() {
    if (run != null) {
      run.get();
      log.audit("PLAYBOOK", null, null, "playbook finished: " + r.playbook.summary());
    }
  }

  /** Starts the policy's playbook once, at the first trigger (or the first rollback, whoever asked for it). */
  void start(String why) {
    PlaybookSpec pb = r.policy.playbook();
    if (pb == null || run != null) {
      return;
    }
    reason = why;
    r.playbook.start(pb);
    log.audit("PLAYBOOK", null, null, "playbook started (" + pb.steps().size() + " steps) for: " + why);
    Map<String, Promise<Void>> done = new LinkedHashMap<>();
    for (PlaybookSpec.Step step : pb.steps()) {
      List<Promise<Void>> before = step.after() == null ? List.of() : step.after().stream().map(done::get).toList();
      done.put(step.name(), Async.procedure(() -> {
        before.forEach(Promise::get);
        runStep(step);
      }));
    }
    run = Promise.allOf(List.copyOf(done.values()));
    log.updateDetails();
  }

  private void runStep(PlaybookSpec.Step step) {
    set(step.name(), step.isHuman() ? "open" : "running", null, null, null);
    switch (step.kind()) {
      case "notify" -> {
        notify.sendWith(notification(step), "playbook", step.name() + ": " + reason,
            Notifications.facts("step", step.name(), "reason", reason));
        finish(step, "done", null, "notified");
      }
      case "snapshot-evidence" -> snapshotEvidence(step);
      case "data-rule" -> applyDataRule(step);
      case "verify-recovery" -> verifyRecovery(step);
      default -> awaitAcknowledgement(step);
    }
  }

  private void snapshotEvidence(PlaybookSpec.Step step) {
    Progress p = r.progress;
    String key = p.nextKey(r.releaseId);
    try {
      PlaybookActivities.Receipt receipt = actions.snapshotEvidence(new PlaybookActivities.EvidenceSnapshot(
          r.releaseId, step.url(), r.policyHash, r.policy.release(), reason,
          p.moments.triggeredAt() == null ? null : Release.iso(p.moments.triggeredAt()), historyReference(),
          List.copyOf(r.recentDecisions), key));
      finish(step, "done", null, "evidence stored: " + receipt.reference());
    } catch (ActivityFailure f) {
      fail(step, "evidence not stored: " + Failures.rootMessage(f));
    }
  }

  private void applyDataRule(PlaybookSpec.Step step) {
    Workflow.await(() -> r.progress.state.isFinal());
    Progress p = r.progress;
    if (p.state != ReleaseState.ROLLED_BACK) {
      finish(step, "skipped", null, "no rollback, so no incident window to " + step.rule());
      return;
    }
    String key = p.nextKey(r.releaseId);
    // The incident window starts when the candidate first got traffic; the log's first entry (the pointer entry
    // carries its time too) only for runs carried before that time was.
    String from = p.moments.exposedAt() != null ? Release.iso(p.moments.exposedAt()) : p.audit.get(0).at();
    String to = Release.iso(p.moments.mitigatedAt());
    try {
      PlaybookActivities.Receipt receipt = actions.applyDataRule(new PlaybookActivities.DataRule(r.releaseId,
          step.url(), step.rule(), r.policy.release().model(), r.policy.release().candidate(), from, to, key));
      finish(step, "done", null, step.rule() + " of " + r.policy.release().candidate() + "'s outputs from " + from
          + " to " + to + " confirmed: " + receipt.reference());
    } catch (ActivityFailure f) {
      fail(step, step.rule() + " not confirmed: " + Failures.rootMessage(f));
    }
  }

  /** After the rollback, one window read from the source must show the baseline within the criteria's limits. */
  private void verifyRecovery(PlaybookSpec.Step step) {
    Workflow.await(() -> r.progress.state.isFinal());
    if (r.progress.state != ReleaseState.ROLLED_BACK) {
      finish(step, "skipped", null, "no rollback to verify");
      return;
    }
    if (r.policy.observations().isPushed()) {
      finish(step, "skipped", null, "observations are pushed: nothing to read back; verify by hand");
      return;
    }
    Duration wait = Durations.parse(step.within() == null ? r.policy.evaluation().interval() : step.within());
    Workflow.sleep(wait);
    long now = Workflow.currentTimeMillis();
    Observation o = windows.read(r.stage(), now - wait.toMillis(), now);
    BaselineCheck check = engine.baselineWithinLimits(r.policy, o);
    if (o == null || o.isEmpty()) {
      fail(step, "no window could be read after the rollback; recovery not verified");
    } else if (!check.over().isEmpty()) {
      fail(step, "baseline still outside limits after the rollback: " + String.join("; ", check.over()));
    } else {
      finish(step, "done", null, check.within().isEmpty() ? "window read; no absolute limits to check on the baseline"
          : "recovered: " + String.join("; ", check.within()));
    }
  }

  /** A human step: open until an owner acknowledges it; reminders while open; escalated once past its deadline. */
  private void awaitAcknowledgement(PlaybookSpec.Step step) {
    long opened = Workflow.currentTimeMillis();
    long due = opened + Durations.parse(step.deadline()).toMillis();
    long remind = step.remind() == null ? 0 : Durations.parse(step.remind()).toMillis();
    long nextReminder = remind == 0 ? Long.MAX_VALUE : opened + remind;
    boolean escalated = false;
    String dueAt = Release.iso(due);
    r.playbook.open(step, Release.iso(opened), dueAt);
    log.updateDetails();
    notify.sendWith(notification(step), "playbook", "Release " + r.releaseId + ": " + step.kind() + " '"
        + step.name() + "' is yours (" + step.owners() + "), due " + dueAt + ": " + reason,
        Notifications.facts("step", step.name(), "due", dueAt, "reason", reason));
    while (r.playbook.isOpen(step.name())) {
      long now = Workflow.currentTimeMillis();
      long next = Math.min(nextReminder, escalated ? Long.MAX_VALUE : due);
      if (next == Long.MAX_VALUE) {
        Workflow.await(() -> !r.playbook.isOpen(step.name()));
        break;
      }
      Workflow.await(Duration.ofMillis(Math.max(0, next - now)), () -> !r.playbook.isOpen(step.name()));
      if (!r.playbook.isOpen(step.name())) {
        break;
      }
      now = Workflow.currentTimeMillis();
      if (!escalated && now >= due) {
        escalated = true;
        overdue(step, dueAt);
      }
      if (now >= nextReminder) {
        nextReminder += remind;
        notify.sendWith(notification(step), "playbook", "Reminder, release " + r.releaseId + ": " + step.kind()
            + " '" + step.name() + "' is still open (" + step.owners() + "), due " + dueAt,
            Notifications.facts("step", step.name(), "due", dueAt, "reason", reason));
      }
    }
  }

  private void overdue(PlaybookSpec.Step step, String dueAt) {
    set(step.name(), "overdue", dueAt, null, null);
    log.audit("PLAYBOOK", "deadline", null, step.kind() + " '" + step.name() + "' not done by " + dueAt
        + "; escalated to " + (step.escalate() == null ? "its owners" : step.escalate()));
    notify.send("escalation", "ESCALATION " + r.releaseId + ": playbook step '" + step.name() + "' (" + step.kind()
        + ") owned by " + step.owners() + " is overdue since " + dueAt
        + (step.escalate() == null ? "" : "; " + step.escalate() + " are asked now"),
        Map.of("reason", "playbook step '" + step.name() + "' overdue"));
  }

  /** Closes human step {@code name} as done by {@code by} (an acknowledgement that counted). */
  void acknowledged(PlaybookSpec.Step step, String by, String role, String comment) {
    set(step.name(), "done", null, by, comment == null ? "acknowledged" : comment);
    log.audit("PLAYBOOK", by, role, step.kind() + " '" + step.name() + "' done" + (comment == null ? ""
        : " — \"" + comment + "\""));
  }

  private NotificationSpec notification(PlaybookSpec.Step step) {
    NotificationSpec n = r.policy.notifications();
    return new NotificationSpec(n == null ? null : n.webhook(), n == null ? null : n.channel(),
        step.template() == null ? null : Map.of("playbook", step.template()));
  }

  private void set(String name, String status, String due, String closedBy, String outcome) {
    r.playbook.set(name, status, due, closedBy, outcome, Release.iso(Workflow.currentTimeMillis()));
    log.updateDetails();
  }

  private void finish(PlaybookSpec.Step step, String status, String by, String outcome) {
    set(step.name(), status, null, by, outcome);
    log.audit("PLAYBOOK", by, null, step.kind() + " '" + step.name() + "' " + status + ": " + outcome);
  }

  private void fail(PlaybookSpec.Step step, String why) {
    finish(step, "failed", null, why);
    notify.send("escalation", "ESCALATION " + r.releaseId + ": playbook step '" + step.name() + "' failed: " + why,
        Map.of("reason", why));
  }

  private String historyReference() {
    var info = Workflow.getInfo();
    return "temporal://" + info.getNamespace() + "/" + r.releaseId + "?firstRunId=" + info.getFirstExecutionRunId()
        + "&runId=" + info.getRunId();
  }
}
