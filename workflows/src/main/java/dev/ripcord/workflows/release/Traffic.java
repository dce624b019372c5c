package dev.ripcord.workflows.release;

import dev.ripcord.workflows.activity.RouterActivities.WeightChange;
import dev.ripcord.workflows.activity.RouterActivities.WeightCommand;
import dev.ripcord.workflows.activity.RouterActivities;
import dev.ripcord.workflows.activity.RouterFailures;
import dev.ripcord.workflows.policy.Durations;
import dev.ripcord.workflows.policy.RollbackSpec;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every traffic change of a release: keyed (idempotent) set, then verify, until the router reports the weight the
 * release asked for. A router that is down means retries and escalation, never a lie about where traffic is.
 */
final class Traffic {
  static final Duration ROUTER_ROUND_PAUSE = Duration.ofMinutes(1);
  private final RouterActivities router = Workflow.newActivityStub(RouterActivities.class, RouterActivities.OPTIONS);
  private final Release r;
  private final StateLog log;
  private final Notifications notify;

  Traffic(Release r, StateLog log, Notifications notify) {
    this.r = r;
    this.log = log;
    this.notify = notify;
  }

  /**
   * Stops mirroring, then moves the candidate to 0 %: in the policy's steps, each applied, verified and held before
   * the next; or, for a break-glass rollback, in one step.
   */
  void rollBack(List<RollbackSpec.Step> steps) {
    Progress p = r.progress;
    if (mirroring()) {
      set(p.weight, "rollback: stop mirroring requests to the candidate", false);
    }
    if (p.breakGlass() != null) {
      if (p.weight > 0) {
        set(0, "break-glass rollback: candidate straight to 0 %, staged holds skipped");
      }
      return;
    }
    for (int j = 0; j < steps.size(); j++) {
      RollbackSpec.Step step = steps.get(j);
      String name = "rollback step " + (j + 1) + "/" + steps.size();
      if (step.weight() >= p.weight) {
        log.audit("ACTION", null, null, name + " skipped: candidate already at " + p.weight + " % <= "
            + step.weight() + " %");
        continue;
      }
      set(step.weight(), name);
      if (step.hold() != null && j < steps.size() - 1) {
        Workflow.sleep(Durations.parse(step.hold()));
      }
    }
  }

  /** Sets the candidate's weight to {@code to} and verifies it; returns once the router reports it. */
  void set(int to, String reason) {
    set(to, reason, null);
  }

  /**
   * Whether this release mirrors its shadow stages ({@code router.mirror: true}); asks the version marker only for
   * such policies.
   */
  boolean mirrors() {
    return r.policy.router().mirrorsShadow() && !r.policy.router().isExternal() && Versions.has(Versions.SHADOW_MIRROR);
  }

  /** Whether the router last confirmed that it mirrors requests to the candidate. */
  boolean mirroring() {
    return Boolean.TRUE.equals(r.progress.mirroring);
  }

  /**
   * As {@link #set(int, String)}, and with {@code mirror} non-null also turns mirroring of every request to the
   * candidate on or off in the same router call.
   */
  void set(int to, String reason, Boolean mirror) {
    Progress p = r.progress;
    int from = p.weight;
    if (r.policy.router().isExternal()) {
      expect(to, reason);
      return;
    }
    int round = 0;
    while (true) {
      String key = p.nextKey(r.releaseId);
      WeightCommand cmd = new WeightCommand(r.releaseId, r.policy.router(), r.policy.release().candidate(),
          r.policy.release().baseline(), from, to, key, reason, mirror, r.bundleIds());
      WeightChange change = null;
      while (change == null) {
        try {
          change = router.setWeight(cmd);
        } catch (ActivityFailure f) {
          round++;
          String why = Failures.rootMessage(f);
          haltIfRefused(f, reason + ": router refused " + from + " → " + to + " % (key " + key + ")", from);
          log.audit("ACTION_FAILED", null, null, reason + ": router did not confirm " + from + " → " + to + " % (key "
              + key + ", round " + round + "): " + why + "; candidate still at " + from + " %, retrying");
          log.details("router failing: " + why);
          if (round == 1 || round % 5 == 0) {
            notify.send("escalation", "ESCALATION " + r.releaseId + ": router is not accepting " + reason + " ("
                + from + " → " + to + " %) after " + round + " round(s): " + why, Map.of("reason", why));
          }
          Workflow.sleep(ROUTER_ROUND_PAUSE);
        }
      }
      p.actions.add(change);
      movedTo(to);
      if (mirror != null) {
        p.mirroring = mirror ? Boolean.TRUE : null;
      }
      log.audit("ACTION", null, null, reason + ": candidate " + from + " → " + to + " %"
          + (mirror == null ? "" : mirror ? ", every request mirrored to it" : ", no longer mirrored") + " (key " + key
          + (change.applied() ? "" : ", already applied by the router") + ")");
      if (verify(to)) {
        return;
      }
      from = p.weight; // the router says otherwise: set it again under a new key
    }
  }

  /**
   * Judge mode: the external controller moves traffic, so the release records the weight it now expects there (its
   * answers to the controller's webhooks follow from it) and calls no router.
   */
  private void expect(int to, String reason) {
    int from = r.progress.weight;
    movedTo(to);
    log.audit("ACTION", null, null, reason + ": candidate " + from + " → " + to + " % expected of the external"
        + " controller" + (r.policy.router().route() == null ? "" : " (" + r.policy.router().route() + ")")
        + ", which moves traffic; Ripcord answers its webhooks and metric queries");
  }

  /** The candidate is at {@code to} now; the first weight above 0 starts the exposure (a data rule's window). */
  private void movedTo(int to) {
    Progress p = r.progress;
    p.weight = to;
    if (to > 0) {
      p.moments.exposed(Workflow.currentTimeMillis());
    }
  }

  /**
   * A router that refuses a command outright ({@link RouterFailures#REJECTED}: a wrong route, an unknown version)
   * will refuse it again: the release escalates and halts, saying where traffic is, instead of retrying forever.
   */
  private void haltIfRefused(ActivityFailure f, String what, int confirmed) {
    if (!RouterFailures.REJECTED.equals(Failures.type(f)) || !Versions.has(Versions.HALT_ON_REJECTED_ROUTER)) {
      return;
    }
    String why = Failures.rootMessage(f);
    log.audit("ACTION_FAILED", null, null, what + ": " + why + "; retrying cannot help: the release halts with the"
        + " candidate at " + confirmed + " % as the router last confirmed");
    notify.send("escalation", "ESCALATION " + r.releaseId + ": " + what + ": " + why + ". The release has halted"
        + " with the candidate at " + confirmed + " %; fix the router's configuration and set traffic by hand",
        Map.of("reason", why));
    throw new Refused(what + ": " + why, confirmed);
  }

  /** The router refused a change retrying cannot make; the release halts (see {@code ReleaseWorkflowImpl}). */
  static final class Refused extends RuntimeException {
    final int confirmedWeight;

    Refused(String message, int confirmedWeight) {
      super(message, null, false, false);
      this.confirmedWeight = confirmedWeight;
    }
  }

  /** Whether the router reports the candidate at {@code expected}; when it reports another weight, that is kept. */
  boolean verify(int expected) {
    if (r.policy.router().isExternal()) {
      return true; // the controller reports where traffic is, not Ripcord
    }
    while (true) {
      try {
        int actual = router.readWeight(r.policy.router(), r.policy.release().candidate());
        if (actual == expected) {
          return true;
        }
        log.audit("ACTION_FAILED", null, null, "verification: router reports candidate at " + actual + " %, expected "
            + expected + " %; applying again");
        r.progress.weight = actual;
        return false;
      } catch (ActivityFailure f) {
        haltIfRefused(f, "verification: router refused to report the candidate's weight", r.progress.weight);
        log.audit("ACTION_FAILED", null, null, "verification: cannot read the router: " + Failures.rootMessage(f)
            + "; retrying");
        Workflow.sleep(ROUTER_ROUND_PAUSE);
      }
    }
  }
}
