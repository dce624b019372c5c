package dev.ripcord.workflows.release;

import dev.ripcord.workflows.decision.CriteriaEngine;
import dev.ripcord.workflows.decision.CriterionResult;
import dev.ripcord.workflows.decision.EngineState;
import dev.ripcord.workflows.decision.Evaluation;
import dev.ripcord.workflows.decision.JudgeHealth;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.SampleRatio;
import dev.ripcord.workflows.decision.Verdict;
import dev.ripcord.workflows.decision.VerdictEngine;
import dev.ripcord.workflows.decision.WindowVerdict;
import dev.ripcord.workflows.decision.stats.SequentialTest;
import dev.ripcord.workflows.intake.PushedAlert;
import dev.ripcord.workflows.policy.Action;
import dev.ripcord.workflows.policy.CriterionSpec;
import dev.ripcord.workflows.policy.StageSpec;
import dev.ripcord.workflows.release.state.RollbackRequest;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Watching a stage: each window (read or pushed) and each firing alert goes to the engine or the alert's rule, and
 * the verdict becomes what the release does: roll back now, ask for approval, pause to investigate, or only alert.
 */
final class Watch {
  private final Release r;
  private final StateLog log;
  private final Notifications notify;
  private final Traffic traffic;
  private final Asking asking;
  private final PlaybookRunner playbook;
  private final VerdictEngine engine;
  private final SampleRatioGuard sampleRatio;
  private final List<Promise<Void>> notificationsInFlight = new ArrayList<>();
  /** The pending criteria last written to the audit log, so a decision is audited only when that set changes. */
  private List<String> lastAuditedPending;
  private int windowsThisRun;
  /** The stage whose promotion waits for evidence ({@code evaluation.minCoverage}), or -1; run-local. */
  private int heldForEvidence = -1;

  Watch(Release r, StateLog log, Notifications notify, Traffic traffic, Asking asking, PlaybookRunner playbook,
      VerdictEngine engine) {
    this.r = r;
    this.log = log;
    this.notify = notify;
    this.traffic = traffic;
    this.asking = asking;
    this.playbook = playbook;
    this.engine = engine;
    this.sampleRatio = new SampleRatioGuard(r, log, notify);
  }

  int windowsThisRun() {
    return windowsThisRun;
  }

  /**
   * Whether each criterion (but alert-only ones) was conclusive in at least {@code evaluation.minCoverage} of the
   * baked stage's windows. If not, the stage bakes on, said once in the audit log; asked only of a baked stage, and
   * the marker only when it falls short.
   */
  boolean enoughEvidence(StageSpec stage) {
    Progress p = r.progress;
    List<String> criteria = r.policy.criteria().stream().filter(c -> c.actionType() != Action.ALERT_ONLY)
        .map(CriterionSpec::name).toList();
    double min = r.policy.evaluation().coverage();
    List<String> shortfall = p.bake.coverageShortfall(criteria, min);
    if (shortfall.isEmpty() || !Versions.has(Versions.MIN_COVERAGE)) {
      heldForEvidence = -1;
      return true;
    }
    if (heldForEvidence != p.stageIndex) {
      heldForEvidence = p.stageIndex;
      log.audit("STATE", null, null, "stage '" + stage.name() + "' has baked, but not on enough evidence: "
          + String.join(", ", shortfall) + " (needs " + Math.round(min * 100) + " %, evaluation.minCoverage); it"
          + " bakes on until the evidence arrives or the inconclusive rules act");
      log.updateDetails();
    }
    return false;
  }

  /** Whether the current stage is baked but waits for evidence (so the bake clock no longer sets the wait). */
  boolean waitingForEvidence() {
    return heldForEvidence == r.progress.stageIndex;
  }

  /** Waits for the notifications sent while acting on a trigger. */
  void awaitNotifications() {
    notificationsInFlight.forEach(Promise::get);
  }

  /** Releases started before marker arithmetic-pinned: the arithmetic the markers asked at each window say. */
  private SequentialTest.Rules byWindowMarkers() {
    return Arithmetic.byMarkers(r.policy, Versions::has);
  }

  /** Runs the engine on one window and says what its verdict means for the release. */
  Next evaluate(Observation o) {
    Progress p = r.progress;
    windowsThisRun++;
    EngineState before = p.engine;
    SequentialTest.Rules tests = p.arithmetic != null ? Arithmetic.pinned(p.arithmetic) : byWindowMarkers();
    String distrust = sampleRatio.observe(o);
    Evaluation e = engine.evaluate(r.policy, p.engine, o, () -> Versions.has(Versions.INCONCLUSIVE_SPAN), tests,
        distrust);
    p.engine = e.state();
    p.bake.countWindow(r.policy.criteria().stream().map(CriterionSpec::name)
        .filter(c -> e.state().criterion(c).inconclusiveRun() == 0).toList());
    auditJudges(before, e.state(), o);
    WindowVerdict d = e.verdict();
    p.lastDecision = d;
    r.remember(d);
    p.bake.countSamples(o.candidateTrials());
    log.count("ripcord_decisions", Map.of("verdict", d.verdict().label()));

    List<String> newlyFired = d.fired().stream().filter(c -> !before.criterion(c).firing()).toList();
    boolean changed = !newlyFired.isEmpty() || (lastAuditedPending != null && !lastAuditedPending.equals(d.pending()))
        || (lastAuditedPending == null && !d.pending().isEmpty());
    if (changed) {
      log.audit("DECISION", null, null, "window " + d.window() + ": " + d.verdict().label() + " — "
          + d.explanation());
      lastAuditedPending = d.pending();
    }
    log.updateDetails();
    if (newlyFired.isEmpty()) {
      return sampleRatio.pausesNow() && p.waitingFor == null ? act(Verdict.PAUSE_AND_INVESTIGATE,
          List.of(SampleRatio.NAME), distrust, "ripcord", distrust) : Next.CONTINUE;
    }
    for (String c : newlyFired) {
      CriterionResult res = d.results().stream().filter(x -> x.criterion().equals(c)).findFirst().orElseThrow();
      log.count("ripcord_triggers", Map.of("criterion", c, "action", res.action()));
    }
    return act(d.verdict(), d.fired(), d.explanation(), "ripcord", newlyFired + ": " + d.explanation());
  }

  /**
   * Says in the audit when a judge changes version or becomes unreliable or reliable again, naming the signals whose
   * criteria are inconclusive meanwhile, so a review sees why evidence stopped counting.
   */
  private void auditJudges(EngineState before, EngineState after, Observation o) {
    if (after.judges() == null) {
      return;
    }
    after.judges().forEach((name, now) -> {
      var was = before.judge(name);
      var declared = JudgeHealth.judges(r.policy).get(name);
      String was0 = was == null ? declared.version() : was.lastVersion();
      if (!was0.equals(now.lastVersion())) {
        log.audit("JUDGE", null, null, "judge " + name + " changed version " + was0 + " → " + now.lastVersion()
            + " in window " + after.windows() + (now.lastVersion().equals(declared.version()) ? ""
            : "; the release's evidence is for " + declared.version() + ", so windows it scores are not counted"
            + " and nothing is reset or mixed"));
      }
      String wasWhy = was == null ? null : was.unreliable();
      if (now.unreliable() != null && !now.unreliable().equals(wasWhy)) {
        log.audit("JUDGE", null, null, "judge unreliable: " + name + " " + now.unreliable() + " (window "
            + after.windows() + "); criteria on " + scoredBy(name) + " are inconclusive until it recovers");
      } else if (now.unreliable() == null && wasWhy != null) {
        log.audit("JUDGE", null, null, "judge " + name + " reliable again (window " + after.windows() + "); criteria"
            + " on " + scoredBy(name) + " count again");
      }
    });
  }

  private List<String> scoredBy(String judge) {
    return r.policy.signals().stream().filter(s -> s.judge() != null && judge.equals(s.judge().name()))
        .map(s -> s.name()).toList();
  }

  /** What a firing alert means for the release: the action its policy rule names. */
  Next onAlert(PushedAlert a) {
    String criterion = "alert:" + a.alertname();
    var rule = r.policy.observations().alert(a.alertname());
    String why = a.describe() + " is firing";
    log.count("ripcord_triggers", Map.of("criterion", criterion, "action", rule.action()));
    return act(Verdict.of(rule.actionType()), List.of(criterion), why, "alertmanager", why);
  }

  /**
   * Acts on a verdict asked for by {@code criteria} (engine criteria or {@code alert:<name>}), {@code why} being the
   * explanation. Tells people and starts the playbook at a trigger; entering a waiting state is left to the loop.
   */
  private Next act(Verdict verdict, List<String> criteria, String why, String requestedBy, String alertOnlyNote) {
    Progress p = r.progress;
    if ((verdict == Verdict.ROLLBACK || verdict == Verdict.ROLLBACK_AFTER_APPROVAL) && asking.rollbackUnsafe()) {
      if (p.state != ReleaseState.FROZEN) {
        trigger(why);
        return new Next.Freeze(why, criteria);
      }
      return Next.CONTINUE;
    }
    switch (verdict) {
      case ROLLBACK -> {
        trigger(why);
        List<String> breakGlass = criteria.stream().filter(this::breaksGlass).toList();
        String glass = null;
        if (!breakGlass.isEmpty() && Versions.has(Versions.BREAK_GLASS)) {
          glass = "break-glass criteria " + breakGlass + " fired";
          log.audit("BREAK_GLASS", null, null, glass + (r.neverExposed() ? " in shadow: " + Release.NEVER_EXPOSED
              : " at " + p.weight + " %: the candidate goes to 0 % in one step, skipping the staged holds"));
        }
        return new Next.RollBack(RollbackRequest.over(p.rollback, requestedBy,
            "automatic rollback: " + String.join(", ", criteria), glass));
      }
      case ROLLBACK_AFTER_APPROVAL -> {
        if (p.waitingFor == null || !"rollback".equals(p.waitingFor.right())) {
          trigger("rollback needs approval: " + why);
          return new Next.AskPeople("rollback", why, criteria, ReleaseState.AWAITING_ROLLBACK_APPROVAL);
        }
        return Next.CONTINUE;
      }
      case PAUSE_AND_INVESTIGATE -> {
        if (p.waitingFor == null) {
          p.hold.investigate(criteria, "investigate " + criteria + ": " + why);
          startInvestigation(criteria, why);
          return new Next.AskPeople("resume", "exposure frozen at " + p.weight + " %; investigate " + criteria + ": "
              + why, criteria, ReleaseState.PAUSED_FOR_INVESTIGATION);
        }
        return Next.CONTINUE;
      }
      case ALERT -> {
        log.audit("TRIGGER", null, null, "alert only (dry run): " + alertOnlyNote);
        notify.send("triggered", "[alert-only] " + r.releaseId + ": " + why, Map.of("reason", why));
        return Next.CONTINUE;
      }
      default -> {
        return Next.CONTINUE;
      }
    }
  }

  /**
   * For criteria that name investigators: reduce exposure if the policy says so, and tell the investigators. Does
   * nothing for criteria without an {@code investigate} block (so older releases issue the same commands).
   */
  private void startInvestigation(List<String> criteria, String why) {
    Progress p = r.progress;
    List<CriterionSpec.Investigation> specs = criteria.stream()
        .flatMap(c -> r.policy.criteria().stream().filter(x -> x.name().equals(c)))
        .map(CriterionSpec::investigate).filter(Objects::nonNull).toList();
    if (specs.isEmpty()) {
      return;
    }
    Integer reduced = specs.stream().map(CriterionSpec.Investigation::weight).filter(Objects::nonNull)
        .min(Integer::compare).orElse(null);
    if (reduced != null && reduced < p.weight) {
      p.hold.reducedFrom(p.weight);
      traffic.set(reduced, "investigation of " + criteria + ": exposure reduced");
    }
    List<String> roles = specs.stream().flatMap(x -> x.investigators().stream()).distinct().toList();
    List<String> people = roles.stream()
        .flatMap(role -> r.policy.governance().roles().getOrDefault(role, List.of()).stream()).distinct().toList();
    log.audit("STATE", null, null, "investigation of " + criteria + " asked of " + roles + " " + people
        + (reduced != null && p.hold.weightBeforeInvestigation() != null ? "; candidate reduced to " + p.weight + " %"
        : "; exposure frozen at " + p.weight + " %"));
    notify.send("investigation", "Release " + r.releaseId + ": please investigate " + criteria + " (" + roles + ": "
        + String.join(", ", people) + "); candidate at " + p.weight + " %: " + why + ". Answer with the 'investigate'"
        + " signal: {\"by\": ..., \"outcome\": \"continue|rollback|hold\"}",
        Notifications.facts("reason", why, "investigators", String.join(", ", people)));
  }

  private boolean breaksGlass(String criterion) {
    return r.policy.criteria() != null && r.policy.criteria().stream()
        .anyMatch(c -> c.name().equals(criterion) && c.breaksGlass());
  }

  private void trigger(String why) {
    Progress p = r.progress;
    p.moments.triggered(Workflow.currentTimeMillis());
    log.audit("TRIGGER", null, null, why);
    if (Versions.has(Versions.NOTIFY_WHILE_ACTING)) {
      // The first traffic change must not wait for a chat message: tell people while acting.
      notificationsInFlight.add(Async.procedure(() -> notify.send("triggered", "Release " + r.releaseId
          + " triggered: " + why, Map.of("reason", why))));
    } else {
      notify.send("triggered", "Release " + r.releaseId + " triggered: " + why, Map.of("reason", why));
    }
    playbook.start(why);
  }
}
