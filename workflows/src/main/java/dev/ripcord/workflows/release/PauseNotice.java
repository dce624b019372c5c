package dev.ripcord.workflows.release;

import java.util.Map;

/**
 * Tells people once of each person's pause: one that woke the bake loop's wait, as releases always have, and (from
 * {@link Versions#ANNOUNCE_EVERY_PAUSE}) one that arrived while the release was busy elsewhere or before the run's
 * first workflow task, which releases before it never told. Which pause was last told is run-local; a continued run
 * takes the pause it carried as told.
 */
final class PauseNotice {
  private final Release r;
  private final Notifications notify;
  private String told;

  PauseNotice(Release r, Notifications notify) {
    this.r = r;
    this.notify = notify;
  }

  /** The run starts: whatever pause it carries was told by the run before. */
  void carried() {
    told = r.progress.hold.by();
  }

  /** After the bake loop's wait: {@code wokeThisWait} when the pause is what woke it. */
  void tell(boolean wokeThisWait) {
    Progress p = r.progress;
    String by = p.hold.by();
    if (by == null || "ripcord".equals(by) || by == told) {
      return;
    }
    if (wokeThisWait ? Versions.has(Versions.NOTIFY_ON_PAUSE) : Versions.has(Versions.ANNOUNCE_EVERY_PAUSE)) {
      told = by;
      notify.send("paused", "Release " + r.releaseId + " paused at " + p.weight + " %: " + p.hold.reason(),
          Map.of("reason", p.hold.reason()));
    }
  }
}
