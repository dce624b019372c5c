package dev.ripcord.workflows.release;

import dev.ripcord.workflows.approval.DecisionRights;
import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.approval.RereleaseRequest;
import dev.ripcord.workflows.approval.RereleaseRules;
import dev.ripcord.workflows.audit.CarriedLog;
import dev.ripcord.workflows.policy.Bundles;
import dev.ripcord.workflows.policy.Durations;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.release.StateLog.Refusal;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Re-releasing a rolled-back release on the same release id: the window in which it may be asked for, who may ask,
 * and the continue-as-new that rolls the fixed candidate out again carrying the log. What the request may change is
 * judged by the pure {@link RereleaseRules}.
 */
final class Rereleases {
  private final Release r;
  private final StateLog log;
  private final Notifications notify;
  private final Decisions decisions;
  private final Identity identity;
  private RereleaseRequest accepted;
  private String acceptedRole;
  private RereleaseRules.Ruling judgement;

  Rereleases(Release r, StateLog log, Notifications notify, Decisions decisions, Identity identity) {
    this.r = r;
    this.identity = identity;
    this.log = log;
    this.notify = notify;
    this.decisions = decisions;
  }

  boolean accepted() {
    return accepted != null;
  }

  /** The first steps of a run that rolls a fixed candidate out again: the earlier runs' log, and the link to them. */
  void startAfter(Rerelease prior) {
    Progress p = r.progress;
    p.rereleases = prior.attempt();
    p.actionSeq = prior.actionSeq();
    p.audit.addAll(prior.audit());
    p.actions.addAll(prior.actions());
    String candidate = r.policy.release().candidate();
    String fix = (candidate.equals(prior.previousCandidate()) ? "same candidate " + candidate
        : "candidate " + candidate + " replaces " + prior.previousCandidate())
        + (prior.evalReport() == null ? "" : ", eval report " + prior.evalReport())
        + (prior.revisedRules() ? ", revised policy " : ", same rules, policy ") + r.policyHash;
    log.audit("STATE", prior.by(), prior.role(), "re-release " + prior.attempt() + " of " + r.releaseId + ": " + fix
        + "; rolled back in run " + prior.previousRunId()
        + (prior.comment() == null ? "" : " — \"" + prior.comment() + "\""));
    List<String> changed = Bundles.diff(prior.previousBundle(), r.policy.release().bundle());
    if (prior.previousBundle() != null || r.policy.release().bundle() != null) {
      log.audit("STATE", null, null, "bundle " + r.policy.release().bundleId() + " against the rolled-back "
          + Bundles.id(prior.previousBundle()) + ": " + (changed.isEmpty() ? "no part changed"
          : String.join("; ", changed)));
    }
  }

  /** A rolled-back release waits (up to the right's deadline, 7 days by default) for someone to re-release it. */
  void await() {
    DecisionRight right = r.policy.governance().right("rerelease");
    Progress p = r.progress;
    Duration window = right.deadline() == null ? Duration.ofDays(7) : Durations.parse(right.deadline());
    p.rereleaseOpenUntil = Release.iso(Workflow.currentTimeMillis() + window.toMillis());
    log.audit("STATE", null, null, "open for a re-release by " + right.roles() + " until " + p.rereleaseOpenUntil
        + ": send 'rerelease' with the fixed candidate and/or eval report");
    log.updateDetails();
    boolean asked = Workflow.await(window, () -> accepted != null);
    String until = p.rereleaseOpenUntil;
    p.rereleaseOpenUntil = null;
    if (!asked) {
      log.audit("STATE", "deadline", null, "no re-release by " + until + "; the release closes rolled back");
    }
    log.updateDetails();
  }

  /** The one place a re-release request is judged, for the signal and the update alike. */
  DecisionAnswer decide(RereleaseRequest sent) {
    HumanDecision asDecision = new HumanDecision("rerelease", null, sent.role(), sent.comment(), null);
    if (r.policy == null) {
      return decisions.refuse(asDecision, Refusal.NOT_NOW, "the release has no policy; it fails at its start");
    }
    decisions.awaitStarted();
    Identity.Who who = identity.check("rerelease", sent.by(), sent.token());
    if (!who.ok()) {
      return decisions.refuse(asDecision, Refusal.UNAUTHORISED, who.refusal());
    }
    DecisionAnswer a = ruleOn(sent.as(who.by()));
    if (a.accepted()) {
      identity.spend(who, "rerelease");
    }
    return a;
  }

  private DecisionAnswer ruleOn(RereleaseRequest q) {
    HumanDecision asDecision = new HumanDecision("rerelease", q.by(), q.role(), q.comment(), null);
    String notNow = notNow();
    if (notNow != null) {
      return decisions.refuse(asDecision, Refusal.NOT_NOW, notNow);
    }
    DecisionRights.Check check = DecisionRights.check(r.policy.governance(), "rerelease", asDecision);
    if (!check.allowed()) {
      return decisions.refuse(asDecision, Refusal.UNAUTHORISED, check.refusal());
    }
    String separated = DecisionRights.releaserRefusal(r.policy.governance(), "rerelease", "rerelease", q.by(),
        r.progress.releasedBy);
    if (separated != null) {
      return decisions.refuse(asDecision, Refusal.UNAUTHORISED, separated);
    }
    RereleaseRules.Ruling j = RereleaseRules.rule(r.policy, q, Versions.policyRules());
    if (j.refusal() != null) {
      return decisions.refuse(asDecision, Refusal.MALFORMED, j.refusal());
    }
    accepted = q;
    acceptedRole = check.role();
    judgement = j;
    String next = j.next().release().candidate();
    log.audit("APPROVAL", q.by(), check.role(), "re-release accepted: " + (!next.equals(r.policy.release()
        .candidate()) ? "candidate " + next : "same candidate " + next)
        + (j.newReport() ? ", eval report " + q.evalReport() : "")
        + (j.revised() ? ", revised policy " + j.nextHash() : "")
        + (j.bundleChanges().isEmpty() ? "" : ", bundle changes: " + String.join("; ", j.bundleChanges()))
        + (q.comment() == null ? "" : " — \"" + q.comment() + "\""));
    return new DecisionAnswer(true, "rerelease", q.by(), check.role(), null, r.progress.state);
  }

  /** Why a re-release cannot be asked for now, or null when it can. */
  private String notNow() {
    if (r.policy.governance().right("rerelease") == null) {
      return "the policy grants no one the 'rerelease' decision; add governance.decisions.rerelease with the roles"
          + " that may re-release";
    }
    if (accepted != null) {
      return "already re-released by " + accepted.by() + " (candidate " + judgement.next().release().candidate()
          + ")";
    }
    if (r.progress.state != ReleaseState.ROLLED_BACK) {
      return "only a rolled-back release can be re-released; this one is " + r.progress.state;
    }
    if (r.progress.rereleaseOpenUntil == null) {
      List<String> open = r.playbook.unfinishedNames();
      return open.isEmpty() ? "the release is closing; it no longer accepts a re-release"
          : "the incident's playbook is still open (" + String.join(", ", open) + "); close its steps first";
    }
    return null;
  }

  /** Starts the next run on the same release id with the fixed candidate, carrying the log and the key sequence. */
  void continueAsRerelease() {
    Progress p = r.progress;
    String candidate = judgement.next().release().candidate();
    log.audit("STATE", null, null, "continuing as new for re-release " + (p.rereleases + 1) + " with " + candidate);
    notify.send("rerelease", "Release " + r.releaseId + " re-released by " + accepted.by() + ": " + candidate
        + " rolls out again", Map.of("reason", "re-release by " + accepted.by()));
    Rerelease next = new Rerelease(p.rereleases + 1, Workflow.getInfo().getRunId(), r.policy.release().candidate(),
        r.policyHash, accepted.by(), acceptedRole, accepted.evalReport(), accepted.comment(),
        Release.iso(Workflow.currentTimeMillis()), p.actionSeq, log.bounded(CarriedLog.MAX_ENTRIES),
        Rollover.lastActions(p), judgement.revised(), r.policy.release().bundle());
    Workflow.continueAsNew(new ReleaseInput(judgement.next(), judgement.nextHash(), null, next, p.releasedBy, null,
        p.pages));
  }
}
