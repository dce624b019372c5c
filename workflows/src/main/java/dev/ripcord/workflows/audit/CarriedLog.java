package dev.ripcord.workflows.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * Bounds the audit log a run holds and hands to the next (continue-as-new, re-release). The most recent entries
 * stay; the older ones are in the histories of the runs that wrote them (replaying a history recomputes them), and
 * one {@code EARLIER} entry at the head says which and where. Pure: no {@code Workflow.*} call.
 */
public final class CarriedLog {
  /** Entries carried into the next run at most; each is at most ~1.5 KB ({@link AuditText}). */
  public static final int MAX_ENTRIES = 300;
  /**
   * Entries one run holds at most (its {@code audit} query and its result repeat them): past this, the run keeps
   * the last {@link #MAX_ENTRIES}. Each entry is at most ~1.5 KB, so a result stays under 1 MB, far from Temporal's
   * 2 MB payload limit, however many refusals a sender provokes while the run waits.
   */
  public static final int MAX_IN_RUN = 2 * MAX_ENTRIES;
  public static final String EARLIER = "EARLIER";

  private CarriedLog() {}

  /**
   * The last {@code keep} entries of {@code audit} (plus the pointer entry), or {@code audit} itself when it is short
   * enough. {@code firstRunId} names the release's first run, whose chain of histories holds the rest.
   */
  public static List<AuditEntry> bound(List<AuditEntry> audit, int keep, String releaseId, String firstRunId) {
    List<AuditEntry> entries = audit.isEmpty() || !EARLIER.equals(audit.get(0).kind()) ? audit
        : audit.subList(1, audit.size());
    if (entries.size() <= keep && entries.size() == audit.size()) {
      return audit;
    }
    List<AuditEntry> kept = entries.subList(Math.max(0, entries.size() - keep), entries.size());
    int firstKept = kept.isEmpty() ? lastSeq(audit) + 1 : kept.get(0).seq();
    List<AuditEntry> out = new ArrayList<>(kept.size() + 1);
    if (firstKept > 1) {
      String at = kept.isEmpty() ? audit.get(audit.size() - 1).at() : kept.get(0).at();
      out.add(new AuditEntry(0, at, EARLIER, null, null, "entries 1–" + (firstKept - 1) + " of release " + releaseId
          + " are in the histories of its earlier runs (first run " + firstRunId + ") and of this run: ripcord"
          + " history export and ripcord replay list them, or follow the Temporal UI's 'continued as new' links"));
    }
    out.addAll(kept);
    return List.copyOf(out);
  }

  /** The number of the log's last entry (0 when it is empty): the next entry gets the one after it. */
  public static int lastSeq(List<AuditEntry> audit) {
    return audit.isEmpty() ? 0 : audit.get(audit.size() - 1).seq();
  }
}
