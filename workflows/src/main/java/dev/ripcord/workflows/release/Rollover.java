package dev.ripcord.workflows.release;

import dev.ripcord.workflows.activity.RouterActivities.WeightChange;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.audit.CarriedLog;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;

/**
 * When a long bake continues as new, and what it carries: the whole {@link Progress}, with its audit log bounded
 * ({@link CarriedLog}) and the input measured before it is written ({@link CarrySize}).
 */
final class Rollover {
  static final int DEFAULT_WINDOWS_PER_RUN = 500;
  /** The largest continue-as-new input this workflow writes; Temporal refuses payloads over 2 MB (gRPC: 4 MB). */
  static final int MAX_CARRY_BYTES = 512 * 1024;
  private static final Logger log = Workflow.getLogger(Rollover.class);
  private final Release r;
  private final StateLog stateLog;

  Rollover(Release r, StateLog stateLog) {
    this.r = r;
    this.stateLog = stateLog;
  }

  /** Whether this run has evaluated enough windows, or Temporal finds its history large enough, to roll over. */
  boolean due(int windowsThisRun) {
    return windowsThisRun >= windowsThisRunMayHave(windowsThisRun) || temporalSuggestsContinueAsNew();
  }

  /**
   * How many windows this run evaluates before it continues as new: between 80 % and all of
   * {@code evaluation.windowsPerRun}, fixed by the run's ID. Releases started together (release tooling starting a
   * batch) then continue as new spread over a fifth of a run, not in one burst of new runs whose first workflow
   * tasks wait behind each other. Asked only once this run has reached the lower count, so the version marker is
   * recorded only in runs that continue as new.
   */
  private int windowsThisRunMayHave(int windowsThisRun) {
    Integer configured = r.policy.evaluation().windowsPerRun();
    int most = configured == null ? DEFAULT_WINDOWS_PER_RUN : configured;
    // The run ID as the history's first event records it: a replay from an exported file runs under another ID.
    int staggered = windowsBeforeRollover(most, Workflow.getInfo().getOriginalExecutionRunId());
    if (windowsThisRun < staggered) {
      return staggered;
    }
    return Versions.has(Versions.STAGGERED_ROLLOVER) ? staggered : most;
  }

  /** Temporal's own hint that this run's history is large (many or big signals): roll over now. */
  private boolean temporalSuggestsContinueAsNew() {
    return Workflow.getInfo().isContinueAsNewSuggested() && Versions.has(Versions.HONOUR_CONTINUE_AS_NEW_SUGGESTED);
  }

  /** Between {@code most - most / 5} and {@code most}, the same every time for the same run ID. */
  static int windowsBeforeRollover(int most, String runId) {
    return most - Math.floorMod(runId.hashCode(), most / 5 + 1);
  }

  /** Continues as new, carrying the progress whole with as much of the audit log as fits. */
  void continueAsNew(int windowsThisRun) {
    Workflow.await(Workflow::isEveryHandlerFinished);
    Progress p = r.progress;
    stateLog.audit("STATE", null, null, "continuing as new after " + windowsThisRun + " windows (run "
        + (p.runs + 1) + "), carrying the engine state and this log");
    List<AuditEntry> full = List.copyOf(p.audit);
    p.actions = new java.util.ArrayList<>(lastActions(p));
    p.runs++;
    ReleaseInput next = null;
    for (int keep = CarriedLog.MAX_ENTRIES; next == null; keep /= 2) {
      p.audit = new java.util.ArrayList<>(CarriedLog.bound(full, keep, r.releaseId,
          Workflow.getInfo().getFirstExecutionRunId()));
      ReleaseInput candidate = new ReleaseInput(r.policy, r.policyHash, p);
      int bytes = CarrySize.of(candidate);
      if (bytes <= MAX_CARRY_BYTES || keep == 0) {
        if (bytes > MAX_CARRY_BYTES) {
          log.warn("{}: continue-as-new input is {} bytes even without the audit log", r.releaseId, bytes);
        }
        next = candidate;
      }
    }
    Workflow.continueAsNew(next);
  }

  /** A run that continues a release picks up its progress where the previous run left it. */
  void restore(Progress carried) {
    carried.audit.addAll(0, r.progress.audit); // anything audited before the run started
    r.progress = carried;
    if (carried.lastDecision != null) {
      r.remember(carried.lastDecision);
    }
    // Runs carried before the trigger time was kept it only while a decision about the trigger is open.
    if (carried.waitingFor != null && !"promote".equals(carried.waitingFor.right())) {
      carried.moments.triggered(Instant.parse(carried.waitingFor.requestedAt()).toEpochMilli());
    }
    stateLog.restored();
  }

  /** Router changes the next run carries (for its report): the most recent ones. */
  static List<WeightChange> lastActions(Progress p) {
    return List.copyOf(p.actions.subList(Math.max(0, p.actions.size() - CarriedLog.MAX_ENTRIES), p.actions.size()));
  }
}
