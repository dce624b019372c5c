package dev.ripcord.workflows.release;

/**
 * The version markers a reader of a release's history needs (the release page, evidence bundles), by the names the
 * workflow records them under; the workflow's own list is {@code Versions}.
 */
public final class HistoryMarkers {
  /** Pins a rollout's arithmetic at its start; its version names it ({@link Arithmetic#pinnedAt}). */
  public static final String ARITHMETIC_PINNED = Versions.ARITHMETIC_PINNED;
  /**
   * Asked when a release's sample-ratio guard first finds a mismatch: absent from a history where one was found, the
   * release was older than the guard and compared on.
   */
  public static final String SAMPLE_RATIO = Versions.SAMPLE_RATIO;

  private HistoryMarkers() {}
}
