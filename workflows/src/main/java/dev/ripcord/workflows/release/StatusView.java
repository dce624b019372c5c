package dev.ripcord.workflows.release;

import dev.ripcord.workflows.approval.OpenDecision;
import dev.ripcord.workflows.decision.WindowVerdict;
import dev.ripcord.workflows.policy.Bundles;
import dev.ripcord.workflows.policy.Durations;
import dev.ripcord.workflows.policy.FailSafeChecks;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.StageSpec;
import java.time.Duration;
import java.util.List;

/**
 * What a release says about itself: the one-line status (the Temporal UI's current details), the {@code status}
 * query's {@link ReleaseStatus} and the run's {@link ReleaseReport}. Pure: no {@code Workflow.*} call.
 */
final class StatusView {
  private StatusView() {}

  static String line(Release r) {
    Progress p = r.progress;
    ReleasePolicy policy = r.policy;
    StageSpec stage = r.stage();
    int shown = Math.min(p.stageIndex, r.stageCount() - 1);
    StringBuilder b = new StringBuilder();
    b.append(p.state).append(" · ").append(policy.release().model()).append(' ').append(policy.release().candidate())
        .append(" · stage ").append(stage.name()).append(" (").append(shown + 1).append('/')
        .append(r.stageCount()).append(") · candidate ").append(p.weight).append(" %");
    if (p.state.isWatching()) {
      b.append(" · baked ").append(baked(p)).append('/').append(stage.bake());
      if (stage.minSamplesOrZero() > 0) {
        b.append(" · samples ").append(p.bake.stageSamples()).append('/').append(stage.minSamplesOrZero());
      }
    }
    if (p.waitingFor != null) {
      waiting(b, p.waitingFor, policy);
    }
    WindowVerdict last = p.lastDecision;
    if (last != null && p.state.isWatching()) {
      b.append(" · window ").append(last.window()).append(": ").append(last.verdict().label());
      if (!last.fired().isEmpty()) {
        b.append(' ').append(last.fired());
      } else if (!last.pending().isEmpty()) {
        b.append(", pending ").append(last.pending());
      }
    }
    if (p.rollbackReason() != null && !p.state.isWatching()) {
      b.append(" · ").append(p.rollbackReason());
    }
    if (p.rereleaseOpenUntil != null) {
      b.append(" · re-release possible until ").append(p.rereleaseOpenUntil).append(" by ")
          .append(policy.governance().right("rerelease").roles());
    }
    if (p.rereleases > 0) {
      b.append(" · re-release ").append(p.rereleases);
    }
    if (p.releasedBy != null) {
      b.append(" · released by ").append(p.releasedBy)
          .append(policy.governance().verifiesIdentity() ? " (verified)" : "");
    }
    String bundle = policy.release().bundleId();
    if (bundle != null) {
      b.append(" · ").append(Bundles.shortId(bundle));
    }
    List<String> open = r.playbook.unfinishedLines();
    if (!open.isEmpty()) {
      b.append(" · playbook: ").append(String.join(", ", open));
    }
    if (p.pages != null) {
      b.append(" · [release page](").append(ReleaseInput.page(p.pages, r.releaseId)).append(')');
    }
    return b.toString();
  }

  private static void waiting(StringBuilder b, OpenDecision w, ReleasePolicy policy) {
    b.append(" · waiting for '").append(w.right()).append("' from ").append(w.roles());
    if (w.deadline() != null) {
      b.append(" until ").append(w.deadline());
    }
    if (w.quorum() != null && w.quorum() > 1) {
      b.append(" (").append(w.approvalsSoFar().size()).append(" of ").append(w.quorum()).append(" approvals");
      DecisionRight right = policy.governance().right(w.right());
      List<String> missing = right == null ? List.of() : w.missingRoles(right.requiredRoles());
      if (!missing.isEmpty()) {
        b.append("; needs ").append(String.join(" and ", missing));
      }
      b.append(')');
    }
  }

  /** Baked time to the whole second, as the status shows it. */
  private static String baked(Progress p) {
    return Durations.format(Duration.ofMillis(p.bake.bakedMillis() / 1000 * 1000));
  }

  static ReleaseStatus status(Release r) {
    return status(r, r.progress.state);
  }

  /**
   * The status with {@code state} as people see it: the state a pause or resume asked for, while the loop is busy
   * (an activity in flight) and has not entered it yet.
   */
  static ReleaseStatus status(Release r, ReleaseState state) {
    Progress p = r.progress;
    ReleasePolicy policy = r.policy;
    StageSpec stage = r.stage();
    return new ReleaseStatus(r.releaseId, policy.release().model(), policy.release().candidate(),
        policy.release().baseline(), state, stage.name(), p.stageIndex, r.stageCount(), p.weight,
        stage.bake(), baked(p), p.bake.stageSamples(), stage.minSamplesOrZero(),
        p.engine == null ? 0 : p.engine.windows(), p.lastDecision == null ? null : p.lastDecision.verdict(),
        p.lastDecision == null ? null : p.lastDecision.explanation(), p.waitingFor, p.hold.by(), iso(p.moments.triggeredAt()),
        iso(p.moments.mitigatedAt()), r.policyHash, line(r), r.playbook.view(), p.breakGlass(), waivers(r), p.releasedBy,
        identity(r), bundle(r));
  }

  private static ReleaseStatus.BundleView bundle(Release r) {
    var release = r.policy.release();
    String id = release.bundleId();
    return id == null ? null
        : new ReleaseStatus.BundleView(id, Bundles.describe(release.bundle()), Bundles.id(release.baselineBundle()));
  }

  /** Who vouches for the people deciding, under verified identity; null under declared. */
  private static String identity(Release r) {
    var g = r.policy.governance();
    return g.verifiesIdentity() ? "verified by " + g.identity().issuer() + " (audience " + g.identity().audience()
        + ", person from claim '" + g.identity().claimOrDefault() + "')" : null;
  }

  private static List<String> waivers(Release r) {
    List<String> w = FailSafeChecks.waivers(r.policy);
    return w.isEmpty() ? null : w;
  }

  static ReleaseReport report(Release r) {
    Progress p = r.progress;
    return new ReleaseReport(r.releaseId, p.state, r.policyHash, iso(p.moments.triggeredAt()),
        iso(p.moments.mitigatedAt()), p.moments.toMitigate(),
        p.engine == null ? 0 : p.engine.windows(), List.copyOf(p.actions), List.copyOf(p.audit), r.playbook.view(),
        p.breakGlass());
  }

  private static String iso(Long millis) {
    return millis == null ? null : Release.iso(millis);
  }
}
