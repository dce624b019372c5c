package dev.ripcord.workflows.release;

import dev.ripcord.workflows.audit.AuditText;
import dev.ripcord.workflows.decision.VerdictEngine;
import dev.ripcord.workflows.policy.Bundles;
import dev.ripcord.workflows.policy.FailSafeChecks;
import dev.ripcord.workflows.policy.PolicyGate;
import dev.ripcord.workflows.policy.PolicyProblem;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;

/**
 * A release's first state: the policy judged again inside the workflow (the rules this release was started under),
 * who started it (verified under verified identity), and the fail-safe defaults the policy leaves on purpose. A
 * release that may not start fails here, before any traffic moves.
 */
final class Validation {
  private final Release r;
  private final StateLog log;
  private final VerdictEngine engine;
  private final Identity identity;

  Validation(Release r, StateLog log, VerdictEngine engine, Identity identity) {
    this.r = r;
    this.log = log;
    this.engine = engine;
    this.identity = identity;
  }

  /** A run whose input names no policy (a start no client validated) fails at once, before anything else. */
  static void requirePolicy(dev.ripcord.workflows.policy.ReleasePolicy policy) {
    if (policy == null) {
      throw ApplicationFailure.newNonRetryableFailure("the release's input has no policy: start releases with"
          + " 'ripcord release start --policy FILE' (or RipcordClient), which validates it first", "InvalidPolicy");
    }
  }

  /** @param rereleased whether this run re-releases a rolled-back one (its releaser was verified by that run) */
  void run(ReleaseInput input, boolean rereleased) {
    Progress p = r.progress;
    p.engine = engine.start(r.policy);
    log.count("ripcord_state_entered", Map.of("state", p.state.name()));
    log.upsertSearchAttributes();
    log.audit("STATE", null, null, "release of " + r.policy.release().model() + " " + r.policy.release().candidate()
        + " (baseline " + r.policy.release().baseline() + ") under policy " + r.policyHash
        + (p.releasedBy == null ? "" : ", started by " + p.releasedBy));
    if (input.policyHash() != null && !input.policyHash().equals(r.policyHash)) {
      log.audit("STATE", null, null, "the starter gave the policy hash " + AuditText.cap(input.policyHash(), 80)
          + ", but the policy this release runs hashes to " + r.policyHash + "; the release records its own");
    }
    List<PolicyProblem> problems = PolicyGate.problems(r.policy, Versions.policyRules());
    if (!problems.isEmpty()) {
      problems.forEach(x -> log.audit("REFUSED", null, null, "policy: " + x));
      throw ApplicationFailure.newNonRetryableFailure(
          "invalid policy: " + problems.size() + " problem(s), first: " + problems.get(0), "InvalidPolicy");
    }
    String unverified = identity.start(input.releasedBy(), input.releasedByToken(), rereleased);
    if (unverified != null) {
      log.audit("REFUSED", null, null, "release start refused: " + unverified);
      throw ApplicationFailure.newNonRetryableFailure("release start refused: " + unverified, "Unverified");
    }
    FailSafeChecks.waivers(r.policy).forEach(w -> log.audit("STATE", null, null, "fail-safe default left on"
        + " purpose: " + w));
    auditBundle();
  }

  /** The bundle in the audit, part by part, so the review of an incident names exactly what was served. */
  private void auditBundle() {
    var release = r.policy.release();
    if (release.bundle() == null) {
      return;
    }
    String baseline = Bundles.id(release.baselineBundle());
    log.audit("STATE", null, null, "bundle " + release.bundleId() + ": " + String.join(", ",
        Bundles.describe(release.bundle())) + (baseline == null ? "" : "; baseline bundle " + baseline + ": "
        + String.join(", ", Bundles.describe(release.baselineBundle()))));
    var point = Bundles.pointOfNoReturn(r.policy);
    if (point != null) {
      log.audit("STATE", null, null, "point of no return: stage '" + point.stage() + "' (" + point.reason()
          + "); a trigger from then on freezes the release instead of rolling back");
    }
  }
}
