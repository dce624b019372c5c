package dev.ripcord.workflows.release;

import dev.ripcord.workflows.activity.RouterActivities;
import dev.ripcord.workflows.decision.WindowVerdict;
import dev.ripcord.workflows.playbook.PlaybookModel;
import dev.ripcord.workflows.policy.Bundles;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.StageSpec;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The release one run drives, as its parts share it: the policy and its hash, the release id, the carried
 * {@link Progress}, and what lives only as long as the run (the playbook, recent decisions). Holds no logic beyond
 * lookups.
 */
final class Release {
  static final int RECENT_DECISIONS = 50;

  ReleasePolicy policy;
  String policyHash;
  String releaseId;
  Progress progress = new Progress();
  final PlaybookModel playbook = new PlaybookModel();
  /** The last decisions of this run, for the {@code decisions} query and evidence snapshots. */
  final Deque<WindowVerdict> recentDecisions = new ArrayDeque<>();

  /** The name of the post-promotion watch when shown as a stage. */
  static final String AFTER_PROMOTION = "after-promotion";

  /** The stage the release is in, or its last one once every stage is promoted. */
  StageSpec stage() {
    return stageAt(Math.min(progress.stageIndex, stageCount() - 1));
  }

  /** The policy's stages, and the post-promotion watch after them when this release keeps one. */
  int stageCount() {
    return policy.stages().size() + (Boolean.TRUE.equals(progress.watchesAfterPromotion) ? 1 : 0);
  }

  StageSpec stageAt(int i) {
    if (i < policy.stages().size()) {
      return policy.stages().get(i);
    }
    var after = policy.evaluation().afterPromotion();
    return new StageSpec(AFTER_PROMOTION, 100 - after.holdoutOrZero(), after.watch(), null, null);
  }

  /** Whether the release is in its post-promotion watch. */
  boolean inAfterPromotion() {
    return Boolean.TRUE.equals(progress.watchesAfterPromotion) && progress.stageIndex >= policy.stages().size();
  }

  /** What a release that never exposed its candidate (it failed in shadow) says instead of "rolled back". */
  static final String NEVER_EXPOSED = "rejected before exposure: the candidate never served a user (shadow only)";

  /** Whether no user has seen the candidate yet: its weight has never been above 0 %. */
  boolean neverExposed() {
    return progress.moments.exposedAt() == null;
  }

  /** The bundle ids the router is told with every change, or null when the policy describes no bundle. */
  RouterActivities.BundleIds bundleIds() {
    String candidate = policy.release().bundleId();
    return candidate == null ? null
        : new RouterActivities.BundleIds(candidate, Bundles.id(policy.release().baselineBundle()));
  }

  void remember(WindowVerdict d) {
    recentDecisions.addLast(d);
    while (recentDecisions.size() > RECENT_DECISIONS) {
      recentDecisions.removeFirst();
    }
  }

  static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
