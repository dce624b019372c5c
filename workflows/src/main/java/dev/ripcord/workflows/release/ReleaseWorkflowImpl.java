package dev.ripcord.workflows.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ripcord.workflows.activity.NotifierActivities;
import dev.ripcord.workflows.activity.NotifierActivities.Notification;
import dev.ripcord.workflows.activity.ObservationActivities;
import dev.ripcord.workflows.activity.ObservationActivities.ObservationRequest;
import dev.ripcord.workflows.activity.PlaybookActivities;
import dev.ripcord.workflows.activity.RouterActivities;
import dev.ripcord.workflows.activity.RouterActivities.WeightChange;
import dev.ripcord.workflows.activity.RouterActivities.WeightCommand;
import dev.ripcord.workflows.approval.DecisionRights;
import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.approval.HumanDecisions;
import dev.ripcord.workflows.approval.RereleaseRequest;
import dev.ripcord.workflows.decision.CriterionResult;
import dev.ripcord.workflows.decision.Decision;
import dev.ripcord.workflows.decision.DecisionEngine;
import dev.ripcord.workflows.decision.EngineState;
import dev.ripcord.workflows.decision.Evaluation;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observations;
import dev.ripcord.workflows.decision.CriteriaEngine;
import dev.ripcord.workflows.decision.Verdict;
import dev.ripcord.workflows.policy.Durations;
import dev.ripcord.workflows.policy.GovernanceSpec;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.policy.PolicyProblem;
import dev.ripcord.workflows.policy.NotificationSpec;
import dev.ripcord.workflows.policy.PlaybookSpec;
import dev.ripcord.workflows.policy.PolicyValidator;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.RollbackSpec;
import dev.ripcord.workflows.policy.SignalSpec;
import dev.ripcord.workflows.policy.StageSpec;
import io.temporal.common.converter.EncodedValues;
import io.temporal.common.converter.RawValue;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.DynamicSignalHandler;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The release state machine. {@link #run} reads like DESIGN.md's diagram: validate, then for each stage set the
 * weight and bake (evaluating every window, asking people where the policy says so), then complete, or roll back in
 * staged, verified, idempotent steps. Every state change goes through {@link #transition}; every fact worth keeping
 * goes into the audit log. No I/O, clock, randomness or threads here: only Temporal's deterministic APIs.
 */
public class ReleaseWorkflowImpl implements ReleaseWorkflow {
  private static final Logger log = Workflow.getLogger(ReleaseWorkflowImpl.class);
  private static final int DEFAULT_WINDOWS_PER_RUN = 500;
  private static final int MAX_PUSHED_BUFFER = 1000;
  private static final int RECENT_DECISIONS = 50;
  private static final Duration ROUTER_ROUND_PAUSE = Duration.ofMinutes(1);
  /** Version marker: releases started before v1 did not notify when a person paused them. */
  static final String NOTIFY_ON_PAUSE = "notify-on-pause";
  /** Version marker: releases started before v1 sent the 'triggered' notification before acting on the trigger. */
  static final String NOTIFY_WHILE_ACTING = "notify-while-acting";
  /** Version marker: releases started before v1 read observation windows with (remote) activities. */
  static final String LOCAL_OBSERVATION_READS = "local-observation-reads";
  /**
   * Version marker: runs before v1 continued as new after exactly {@code windowsPerRun} windows, so releases started
   * together all continued as new together.
   */
  static final String STAGGERED_ROLLOVER = "staggered-rollover";
  /**
   * Version marker: releases before v1 took signal payloads that had a key twice (the last won), were larger than
   * {@link SignalPayloads#MAX_BYTES}, or observations placed outside the current stage. Asked only when such an input
   * arrives, so histories without one do not change.
   */
  static final String STRICT_INPUTS = "strict-inputs";
  /**
   * Version marker: runs before v1 continued as new only after their window count, even when Temporal suggested it
   * earlier (a history grown large by big signals). Asked only when Temporal suggests it.
   */
  static final String HONOUR_CONTINUE_AS_NEW_SUGGESTED = "honour-continue-as-new-suggested";
  /**
   * Version marker: releases before v1 validated their policy (and a re-release's revised policy) without the ranges
   * of {@code PolicyBounds} and read fractional whole numbers as whole. Asked only when those alone object.
   */
  static final String STRICT_POLICY = "strict-policy";
  /** The largest continue-as-new input this workflow writes; Temporal refuses payloads over 2 MB (gRPC: 4 MB). */
  static final int MAX_CARRY_BYTES = 512 * 1024;
  private static final List<String> SIGNALS = List.of("approve", "reject", "pause", "resume", "rollback",
      "investigate", "observe", "alert", "acknowledge", "rerelease");

  private final RouterActivities router = Workflow.newActivityStub(RouterActivities.class, RouterActivities.OPTIONS);
  private final NotifierActivities notifier =
      Workflow.newActivityStub(NotifierActivities.class, NotifierActivities.OPTIONS);
  private final ObservationActivities observations =
      Workflow.newActivityStub(ObservationActivities.class, ObservationActivities.OPTIONS);
  private final ObservationActivities localObservations =
      Workflow.newLocalActivityStub(ObservationActivities.class, ObservationActivities.LOCAL_OPTIONS);
  private final PlaybookActivities playbookActions =
      Workflow.newActivityStub(PlaybookActivities.class, PlaybookActivities.OPTIONS);
  private final DecisionEngine engine = new CriteriaEngine();
  /** The playbook's steps by name, in policy order, once it has started. */
  private final Map<String, PlaybookStep> playbookSteps = new LinkedHashMap<>();
  private Promise<Void> playbookRun;
  private final List<Promise<Void>> notificationsInFlight = new ArrayList<>();
  private String playbookReason;
  private Long exposedAt;

  private ReleasePolicy policy;
  private String policyHash;
  private String releaseId;
  private ReleaseState state = ReleaseState.VALIDATING;
  private int stageIndex;
  private int weight;
  private long stageStartedAt;
  private long bakedMillis;
  private long stageSamples;
  private long windowStartedAt;
  private boolean sawPushThisWindow;
  private int actionSeq;
  private int runs;
  private int windowsThisRun;
  private EngineState engineState;
  private Decision lastDecision;
  private OpenDecision waitingFor;
  private String pausedBy;
  private String pauseReason;
  private List<String> investigating = List.of();
  /** The weight before an investigation reduced it; set back when the investigation continues the release. */
  private Integer weightBeforeInvestigation;
  private final Deque<Observation> pushed = new ArrayDeque<>();
  private final Deque<PushedAlert> alerts = new ArrayDeque<>();
  /** Alerts acted on and not yet resolved: Alertmanager repeats a firing alert, the release acts once. */
  private final java.util.Set<String> alertsActedOn = new java.util.TreeSet<>();
  private final List<AuditEntry> audit = new ArrayList<>();
  private final List<WeightChange> actions = new ArrayList<>();
  private final Deque<Decision> recentDecisions = new ArrayDeque<>();
  private Long triggeredAt;
  private Long mitigatedAt;
  private String lastUpsertedState;
  private String lastUpsertedStage;
  /** The pending criteria last written to the audit log, so a decision is audited only when that set changes. */
  private List<String> lastAuditedPending;

  /** Set by a person's decision; read by the main loop. */
  private String answer;
  private String answerBy;
  private String rollbackRequestedBy;
  private String rollbackReason;

  /** How many times this release id has been re-released (0 for the first rollout). */
  private int rereleases;
  /** Until when (ISO) a rolled-back release accepts a re-release; null when it does not (yet). */
  private String rereleaseOpenUntil;
  /** An accepted re-release: the policy the next run rolls out, its hash, and who asked. */
  private RereleaseRequest rereleaseAccepted;
  private String rereleaseRole;
  private ReleasePolicy rereleasePolicy;
  private String rereleasePolicyHash;
  private boolean rereleaseRevisesRules;

  // ---------------------------------------------------------------------------------------------- the state diagram

  @Override
  public ReleaseReport run(ReleaseInput input) {
    Workflow.registerListener((DynamicSignalHandler) this::onUnknownSignal);
    policy = input.policy();
    policyHash = input.policyHash();
    releaseId = Workflow.getInfo().getWorkflowId();
    if (input.carried() == null) {
      if (input.rerelease() != null) {
        startAfter(input.rerelease());
      }
      validate();
    } else {
      restore(input.carried());
    }
    boolean healthy = rollOut(input.carried() != null);
    if (!healthy) {
      rollBack();
    }
    notificationsInFlight.forEach(Promise::get);
    if (playbookRun != null) {
      playbookRun.get(); // human steps stay open (and reminded) until acknowledged
      audit("PLAYBOOK", null, null, "playbook finished: " + playbookSummary());
    }
    if (state == ReleaseState.ROLLED_BACK && policy.governance().right("rerelease") != null) {
      awaitRerelease();
    }
    Workflow.await(Workflow::isEveryHandlerFinished);
    if (rereleaseAccepted != null) {
      continueAsRerelease();
    }
    return report();
  }

  private void validate() {
    engineState = engine.start(policy);
    Workflow.getMetricsScope().tagged(Map.of("state", state.name())).counter("ripcord_state_entered").inc(1);
    upsertSearchAttributes();
    audit("STATE", null, null, "release of " + policy.release().model() + " " + policy.release().candidate()
        + " (baseline " + policy.release().baseline() + ") under policy " + policyHash);
    List<PolicyProblem> problems = policyProblems(policy);
    if (!problems.isEmpty()) {
      problems.forEach(p -> audit("REFUSED", null, null, "policy: " + p));
      throw ApplicationFailure.newNonRetryableFailure(
          "invalid policy: " + problems.size() + " problem(s), first: " + problems.get(0), "InvalidPolicy");
    }
  }

  /**
   * The policy's problems under today's rules; under the rules before {@link #STRICT_POLICY} when replaying a release
   * that started before them and that only today's rules would refuse.
   */
  private List<PolicyProblem> policyProblems(ReleasePolicy p) {
    List<PolicyProblem> problems = PolicyValidator.validate(p, true);
    if (!problems.isEmpty() && PolicyValidator.validate(p, false).isEmpty()
        && Workflow.getVersion(STRICT_POLICY, Workflow.DEFAULT_VERSION, 1) < 1) {
      return List.of();
    }
    return problems;
  }

  /** Returns true when every stage was promoted, false when the release must roll back. */
  private boolean rollOut(boolean resuming) {
    List<StageSpec> stages = policy.stages();
    for (; stageIndex < stages.size(); stageIndex++) {
      StageSpec stage = stages.get(stageIndex);
      if (!resuming) {
        enterStage(stage);
      }
      resuming = false;
      if (!bake(stage)) {
        return false;
      }
    }
    transition(ReleaseState.COMPLETED, "all " + stages.size() + " stages promoted; candidate at " + weight + " %");
    notifyPeople("completed", "Release " + releaseId + " completed: " + policy.release().candidate() + " at "
        + weight + " %", Map.of());
    return true;
  }

  private void enterStage(StageSpec stage) {
    if (weight != stage.weight()) {
      setWeightReliably(stage.weight(), "stage " + stage.name());
    }
    long now = Workflow.currentTimeMillis();
    stageStartedAt = now;
    windowStartedAt = now;
    bakedMillis = 0;
    stageSamples = 0;
    sawPushThisWindow = false;
    transition(stage.weight() == 0 ? ReleaseState.SHADOW : ReleaseState.ROLLING_OUT,
        "stage " + (stageIndex + 1) + "/" + policy.stages().size() + " '" + stage.name() + "' at " + stage.weight()
            + " %, bake " + stage.bake() + (stage.minSamplesOrZero() > 0 ? ", min " + stage.minSamplesOrZero()
            + " samples" : ""));
  }

  /**
   * Watches one stage until it may be promoted (true) or must roll back (false). Each pass waits for the next window,
   * a pushed observation, a person's decision or a deadline, whichever comes first.
   */
  private boolean bake(StageSpec stage) {
    long bakeMillis = Durations.parse(stage.bake()).toMillis();
    long interval = Durations.parse(policy.evaluation().interval()).toMillis();
    long lastTick = Workflow.currentTimeMillis();
    while (true) {
      long now = Workflow.currentTimeMillis();
      if (pausedBy == null) {
        bakedMillis += now - lastTick;
      }
      lastTick = now;

      if (rollbackRequestedBy != null) {
        return false;
      }
      Boolean resolved = resolveOpenDecision(now);
      if (resolved != null) {
        if (!resolved) {
          return false;
        }
        if (stage.needsApproval()) {
          return true; // the promotion this stage waited for was approved
        }
      }
      boolean baked = bakedMillis >= bakeMillis && stageSamples >= stage.minSamplesOrZero();
      if (baked && pausedBy == null && waitingFor == null) {
        if (!stage.needsApproval()) {
          return true;
        }
        askForDecision("promote", "stage '" + stage.name() + "' baked " + Durations.format(Duration.ofMillis(bakedMillis))
            + " with " + stageSamples + " samples; promote?", List.of(), ReleaseState.AWAITING_PROMOTION);
        continue;
      }
      if ((windowsThisRun >= windowsThisRunMayHave() || temporalSuggestsContinueAsNew()) && pushed.isEmpty()
          && alerts.isEmpty() && playbookRun == null) {
        continueAsNew();
      }

      long wait = windowStartedAt + interval - now;
      if (pausedBy == null && waitingFor == null && stageSamples >= stage.minSamplesOrZero()) {
        wait = Math.min(wait, bakeMillis - bakedMillis);
      }
      if (waitingFor != null && waitingFor.deadline() != null) {
        wait = Math.min(wait, Instant.parse(waitingFor.deadline()).toEpochMilli() - now);
      }
      long escalation = nextEscalationAt();
      if (escalation > 0) {
        wait = Math.min(wait, escalation - now);
      }
      String answerBefore = answer;
      String pausedBefore = pausedBy;
      Workflow.await(Duration.ofMillis(Math.max(wait, 0)), () -> rollbackRequestedBy != null || !pushed.isEmpty()
          || !alerts.isEmpty() || answer != answerBefore || pausedBy != pausedBefore);

      if (pausedBy != pausedBefore && pausedBy != null && !"ripcord".equals(pausedBy)
          && Workflow.getVersion(NOTIFY_ON_PAUSE, Workflow.DEFAULT_VERSION, 1) >= 1) {
        notifyPeople("paused", "Release " + releaseId + " paused at " + weight + " %: " + pauseReason,
            Map.of("reason", pauseReason));
      }
      if (!alerts.isEmpty()) {
        if (!onAlert(alerts.poll())) {
          return false;
        }
        continue;
      }
      if (!pushed.isEmpty()) {
        sawPushThisWindow = true;
        if (!evaluate(pushed.poll())) {
          return false;
        }
        continue;
      }
      now = Workflow.currentTimeMillis();
      if (now >= windowStartedAt + interval) {
        Observation o = readWindow(stage, windowStartedAt, now);
        windowStartedAt = now;
        boolean pushedAny = sawPushThisWindow;
        sawPushThisWindow = false;
        if (o != null || !pushedAny) {
          if (!evaluate(o == null ? Observation.empty(iso(now), stage.name(), "pushed: none this window") : o)) {
            return false;
          }
        }
      }
    }
  }

  /** Rolls traffic back in the policy's steps, each applied, verified and held before the next. */
  private void rollBack() {
    if (waitingFor != null) {
      // Nothing waits for people any more: the status must not say otherwise once the release rolls back.
      audit("APPROVAL", null, null, "open '" + waitingFor.right() + "' decision closed unanswered ("
          + waitingFor.approvalsSoFar().size() + " of " + (waitingFor.quorum() == null ? 1 : waitingFor.quorum())
          + " approvals): the release rolls back");
      waitingFor = null;
    }
    transition(ReleaseState.ROLLING_BACK, rollbackReason + " (candidate at " + weight + " %)");
    startPlaybook(rollbackReason);
    List<RollbackSpec.Step> steps = policy.rollback().steps();
    for (int j = 0; j < steps.size(); j++) {
      RollbackSpec.Step step = steps.get(j);
      if (step.weight() >= weight) {
        audit("ACTION", null, null, "rollback step " + (j + 1) + "/" + steps.size() + " skipped: candidate already at "
            + weight + " % <= " + step.weight() + " %");
        continue;
      }
      setWeightReliably(step.weight(), "rollback step " + (j + 1) + "/" + steps.size());
      if (step.hold() != null && j < steps.size() - 1) {
        Workflow.sleep(Durations.parse(step.hold()));
      }
    }
    transition(ReleaseState.VERIFYING, "checking the router reports the candidate at 0 %");
    verifyWeight(0);
    mitigatedAt = Workflow.currentTimeMillis();
    long ttm = triggeredAt == null ? 0 : mitigatedAt - triggeredAt;
    Workflow.getMetricsScope().counter("ripcord_rollbacks").inc(1);
    Workflow.getMetricsScope().timer("ripcord_time_to_mitigate").record(com.uber.m3.util.Duration.ofMillis(ttm));
    transition(ReleaseState.ROLLED_BACK, "candidate at 0 %, " + Durations.format(Duration.ofMillis(ttm))
        + " after the trigger; baseline " + policy.release().baseline() + " serves all traffic");
    notifyPeople("rolled-back", "Release " + releaseId + " rolled back: " + rollbackReason, Map.of());
  }

  // ------------------------------------------------------------------------------------------------- evaluation

  private Observation readWindow(StageSpec stage, long from, long to) {
    if ("pushed".equals(policy.observations().source())) {
      return null;
    }
    List<String> names = policy.signals().stream().map(SignalSpec::name).toList();
    ObservationActivities reader =
        Workflow.getVersion(LOCAL_OBSERVATION_READS, Workflow.DEFAULT_VERSION, 1) >= 1 ? localObservations : observations;
    try {
      return reader.read(new ObservationRequest(releaseId, policy.observations(), names, stage.name(), weight,
          engineState.windows() + 1, iso(from), iso(to), policy.release().model(), policy.release().candidate(),
          policy.release().baseline()));
    } catch (ActivityFailure f) {
      String why = rootMessage(f);
      audit("OBSERVATION", null, null, "window could not be read: " + why + " (counted as inconclusive)");
      return Observation.empty(iso(to), stage.name(), "unreadable: " + why);
    }
  }

  /** Runs the engine on one window and acts on its verdict; false when the release must roll back. */
  private boolean evaluate(Observation o) {
    windowsThisRun++;
    EngineState before = engineState;
    Evaluation e = engine.evaluate(policy, engineState, o);
    engineState = e.state();
    Decision d = e.decision();
    lastDecision = d;
    recentDecisions.addLast(d);
    while (recentDecisions.size() > RECENT_DECISIONS) {
      recentDecisions.removeFirst();
    }
    stageSamples += o.candidateTrials();
    Workflow.getMetricsScope().tagged(Map.of("verdict", d.verdict().label())).counter("ripcord_decisions").inc(1);

    List<String> newlyFired = d.fired().stream().filter(c -> !before.criterion(c).firing()).toList();
    boolean changed = !newlyFired.isEmpty() || (lastAuditedPending != null && !lastAuditedPending.equals(d.pending()))
        || (lastAuditedPending == null && !d.pending().isEmpty());
    if (changed) {
      audit("DECISION", null, null, "window " + d.window() + ": " + d.verdict().label() + " — " + d.explanation());
      lastAuditedPending = d.pending();
    }
    updateDetails();
    if (newlyFired.isEmpty()) {
      return true;
    }
    for (String c : newlyFired) {
      CriterionResult r = d.results().stream().filter(x -> x.criterion().equals(c)).findFirst().orElseThrow();
      Workflow.getMetricsScope().tagged(Map.of("criterion", c, "action", r.action())).counter("ripcord_triggers").inc(1);
    }
    return act(d, newlyFired);
  }

  /** What a verdict means for the release. */
  private boolean act(Decision d, List<String> newlyFired) {
    return act(d.verdict(), d.fired(), d.explanation(), "ripcord", newlyFired + ": " + d.explanation());
  }

  /**
   * Acts on a verdict asked for by {@code criteria} (engine criteria or {@code alert:<name>}), {@code why} being the
   * explanation; false when the release must roll back now.
   */
  private boolean act(Verdict verdict, List<String> criteria, String why, String requestedBy, String alertOnlyNote) {
    switch (verdict) {
      case ROLLBACK -> {
        trigger(why);
        rollbackReason = "automatic rollback: " + String.join(", ", criteria);
        rollbackRequestedBy = requestedBy;
        return false;
      }
      case ROLLBACK_AFTER_APPROVAL -> {
        if (waitingFor == null || !"rollback".equals(waitingFor.right())) {
          trigger("rollback needs approval: " + why);
          askForDecision("rollback", why, criteria, ReleaseState.AWAITING_ROLLBACK_APPROVAL);
        }
        return true;
      }
      case PAUSE_AND_INVESTIGATE -> {
        if (waitingFor == null) {
          investigating = criteria;
          pausedBy = "ripcord";
          pauseReason = "investigate " + criteria + ": " + why;
          startInvestigation(criteria, why);
          askForDecision("resume", "exposure frozen at " + weight + " %; investigate " + criteria + ": " + why,
              criteria, ReleaseState.PAUSED_FOR_INVESTIGATION);
        }
        return true;
      }
      case ALERT -> {
        audit("TRIGGER", null, null, "alert only (dry run): " + alertOnlyNote);
        notifyPeople("triggered", "[alert-only] " + releaseId + ": " + why, Map.of("reason", why));
        return true;
      }
      default -> {
        return true;
      }
    }
  }

  /**
   * For criteria that name investigators: reduce exposure if the policy says so, and tell the investigators. Does
   * nothing for criteria without an {@code investigate} block (so older releases issue the same commands).
   */
  private void startInvestigation(List<String> criteria, String why) {
    List<dev.ripcord.workflows.policy.CriterionSpec.Investigation> specs = criteria.stream()
        .flatMap(c -> policy.criteria().stream().filter(x -> x.name().equals(c)))
        .map(dev.ripcord.workflows.policy.CriterionSpec::investigate).filter(java.util.Objects::nonNull).toList();
    if (specs.isEmpty()) {
      return;
    }
    Integer reduced = specs.stream().map(x -> x.weight()).filter(java.util.Objects::nonNull).min(Integer::compare)
        .orElse(null);
    if (reduced != null && reduced < weight) {
      weightBeforeInvestigation = weight;
      setWeightReliably(reduced, "investigation of " + criteria + ": exposure reduced");
    }
    List<String> roles = specs.stream().flatMap(x -> x.investigators().stream()).distinct().toList();
    List<String> people = roles.stream().flatMap(r -> policy.governance().roles().getOrDefault(r, List.of()).stream())
        .distinct().toList();
    audit("STATE", null, null, "investigation of " + criteria + " asked of " + roles + " " + people
        + (reduced != null && weightBeforeInvestigation != null ? "; candidate reduced to " + weight + " %"
        : "; exposure frozen at " + weight + " %"));
    notifyPeople("investigation", "Release " + releaseId + ": please investigate " + criteria + " (" + roles + ": "
        + String.join(", ", people) + "); candidate at " + weight + " %: " + why + ". Answer with the 'investigate'"
        + " signal: {\"by\": ..., \"outcome\": \"continue|rollback|hold\"}",
        Map.of("reason", why, "investigators", String.join(", ", people)));
  }

  /** What a firing alert means for the release: the action its policy rule names. */
  private boolean onAlert(PushedAlert a) {
    String criterion = "alert:" + a.alertname();
    String action = policy.observations().alert(a.alertname()).action();
    String why = a.describe() + " is firing";
    Workflow.getMetricsScope().tagged(Map.of("criterion", criterion, "action", action)).counter("ripcord_triggers")
        .inc(1);
    return act(Verdict.ofAction(action), List.of(criterion), why, "alertmanager", why);
  }

  private void trigger(String why) {
    if (triggeredAt == null) {
      triggeredAt = Workflow.currentTimeMillis();
    }
    audit("TRIGGER", null, null, why);
    if (Workflow.getVersion(NOTIFY_WHILE_ACTING, Workflow.DEFAULT_VERSION, 1) >= 1) {
      // The first traffic change must not wait for a chat message: tell people while acting.
      notificationsInFlight.add(Async.procedure(() -> notifyPeople("triggered", "Release " + releaseId
          + " triggered: " + why, Map.of("reason", why))));
    } else {
      notifyPeople("triggered", "Release " + releaseId + " triggered: " + why, Map.of("reason", why));
    }
    startPlaybook(why);
  }

  // ------------------------------------------------------------------------------------------- people's decisions

  private void askForDecision(String right, String reason, List<String> criteria, ReleaseState next) {
    DecisionRight r = policy.governance().right(right);
    long now = Workflow.currentTimeMillis();
    String deadline = r.deadline() == null ? null : iso(now + Durations.parse(r.deadline()).toMillis());
    waitingFor = new OpenDecision(right, r.roles(), iso(now), deadline, r.onTimeout(), reason, criteria, List.of(),
        r.quorumOrOne(), 0);
    answer = null;
    answerBy = null;
    transition(next, "waiting for '" + right + "' from " + r.roles() + (deadline == null ? "" : " until " + deadline
        + " (then " + r.onTimeout() + ")") + ": " + reason);
    notifyPeople("approval-needed", "Release " + releaseId + " needs a '" + right + "' decision from " + r.roles()
        + (deadline == null ? "" : " by " + deadline) + ": " + reason, Map.of("reason", reason));
  }

  /**
   * Settles the open decision if a person answered or its deadline passed. Returns null when nothing was settled,
   * false when the release must roll back, true when it goes on.
   */
  private Boolean resolveOpenDecision(long now) {
    if (waitingFor == null) {
      return null;
    }
    escalateIfDue(now);
    String outcome = answer;
    String by = answerBy;
    if (outcome == null && waitingFor.deadline() != null && now >= Instant.parse(waitingFor.deadline()).toEpochMilli()) {
      outcome = switch (waitingFor.onTimeout()) {
        case "rollback" -> "reject-and-rollback";
        case "continue" -> "continue";
        default -> "hold";
      };
      by = "deadline";
      audit("APPROVAL", "deadline", null, "no '" + waitingFor.right() + "' decision by " + waitingFor.deadline()
          + "; policy default: " + waitingFor.onTimeout());
      Workflow.getMetricsScope().tagged(Map.of("right", waitingFor.right())).counter("ripcord_approval_expired").inc(1);
    }
    if (outcome == null) {
      return null;
    }
    OpenDecision open = waitingFor;
    if (outcome.equals("hold")) {
      askForDecision(open.right(), (by.equals("deadline") ? "still waiting (deadline passed, policy says hold): "
          : "held by " + by + ": ") + open.reason(), open.criteria(), state);
      return null;
    }
    waitingFor = null;
    answer = null;
    switch (open.right()) {
      case "rollback" -> {
        if (outcome.equals("approve") || outcome.equals("reject-and-rollback")) {
          rollbackRequestedBy = by;
          rollbackReason = "rollback of " + open.criteria() + (by.equals("deadline") ? " by deadline default"
              : " approved by " + by);
          return false;
        }
        engineState = engine.forget(engineState, open.criteria());
        transition(watchingState(), "rollback " + (outcome.equals("continue") ? "not approved by the deadline (policy:"
            + " continue)" : "rejected by " + by) + "; evidence for " + open.criteria() + " reset, watching on");
        return true;
      }
      case "promote" -> {
        if (outcome.equals("approve") || outcome.equals("continue")) {
          audit("STATE", by, null, "promotion of stage '" + policy.stages().get(stageIndex).name() + "' "
              + (outcome.equals("continue") ? "by deadline default" : "approved"));
          return true;
        }
        triggeredAt = triggeredAt == null ? Workflow.currentTimeMillis() : triggeredAt;
        rollbackRequestedBy = by;
        rollbackReason = by.equals("deadline") ? "promotion not approved by the deadline (policy: rollback)"
            : "promotion rejected by " + by;
        return false;
      }
      default -> { // resume after an investigation
        if (outcome.equals("approve") || outcome.equals("continue")) {
          engineState = engine.forget(engineState, open.criteria());
          pausedBy = null;
          pauseReason = null;
          investigating = List.of();
          if (weightBeforeInvestigation != null) {
            int back = policy.stages().get(stageIndex).weight();
            weightBeforeInvestigation = null;
            setWeightReliably(back, "investigation closed: candidate back to the stage's " + back + " %");
          }
          transition(watchingState(), "investigation closed, resumed " + (by.equals("deadline") ? "by deadline default"
              : "by " + by));
          return true;
        }
        triggeredAt = triggeredAt == null ? Workflow.currentTimeMillis() : triggeredAt;
        rollbackRequestedBy = by;
        rollbackReason = "investigation of " + open.criteria() + " ended in rollback ("
            + (by.equals("deadline") ? "deadline default" : "by " + by) + ")";
        return false;
      }
    }
  }

  /** The next step of the open decision's escalation chain, when it is due (0 when there is none). */
  private long nextEscalationAt() {
    if (waitingFor == null || answer != null) {
      return 0;
    }
    DecisionRight r = policy.governance().right(waitingFor.right());
    if (r == null || r.escalation() == null || waitingFor.escalationSteps() >= r.escalation().size()) {
      return 0;
    }
    return Instant.parse(waitingFor.requestedAt()).toEpochMilli()
        + Durations.parse(r.escalation().get(waitingFor.escalationSteps()).after()).toMillis();
  }

  /** Nobody answered in time: tell the next roles of the chain, who may then decide too. */
  private void escalateIfDue(long now) {
    long due = nextEscalationAt();
    if (due == 0 || now < due) {
      return;
    }
    OpenDecision o = waitingFor;
    GovernanceSpec.Escalation step = policy.governance().right(o.right()).escalation().get(o.escalationSteps());
    List<String> roles = new ArrayList<>(o.roles());
    step.roles().stream().filter(x -> !roles.contains(x)).forEach(roles::add);
    waitingFor = o.escalatedTo(List.copyOf(roles));
    audit("APPROVAL", "escalation", null, "no '" + o.right() + "' decision after " + step.after() + "; escalated to "
        + step.roles() + ", who may now decide too");
    Workflow.getMetricsScope().tagged(Map.of("right", o.right())).counter("ripcord_approval_escalated").inc(1);
    notifyPeople("escalation", "ESCALATION " + releaseId + ": no '" + o.right() + "' decision from " + o.roles()
        + " after " + step.after() + "; " + step.roles() + " are asked now: " + o.reason(),
        Map.of("reason", o.reason()));
    updateDetails();
  }

  /** The one place a person's decision is judged, for signals and the update alike. */
  private DecisionAnswer decideNow(HumanDecision d) {
    String kind = d.decision();
    if (state.isFinal() || state == ReleaseState.ROLLING_BACK || state == ReleaseState.VERIFYING
        || state == ReleaseState.VALIDATING) {
      return refuse(d, "the release is " + state + "; nothing to " + kind);
    }
    String right = switch (kind) {
      case "approve", "reject" -> waitingFor == null ? null : waitingFor.right();
      case "investigate" -> waitingFor != null && "resume".equals(waitingFor.right()) ? "resume" : null;
      default -> kind;
    };
    if (right == null) {
      return refuse(d, kind.equals("investigate") ? "no investigation is open (state " + state + ")"
          : "nothing is waiting for a decision (state " + state + ")");
    }
    boolean answersOpen = waitingFor != null && right.equals(waitingFor.right());
    DecisionRights.Check check = answersOpen
        ? DecisionRights.check(policy.governance(), right, waitingFor.roles(), d)
        : DecisionRights.check(policy.governance(), right, d);
    if (!check.allowed()) {
      return refuse(d, check.refusal());
    }
    String comment = d.comment() == null ? "" : " — \"" + d.comment() + "\"";
    // An investigation's outcome, and resuming while one is open, answer the open decision like approve/reject.
    String effective = kind;
    if (kind.equals("investigate")) {
      effective = switch (d.outcome()) {
        case "continue" -> "approve";
        case "rollback" -> "reject";
        default -> "hold";
      };
    } else if (kind.equals("resume") && answersOpen) {
      effective = "approve";
    }
    switch (effective) {
      case "approve" -> {
        OpenDecision o = waitingFor;
        int quorum = o.quorum() == null ? 1 : o.quorum();
        if (o.approvalsSoFar().contains(d.by())) {
          return refuse(d, d.by() + " has already approved; the quorum of " + quorum + " needs different people");
        }
        List<String> required = policy.governance().right(o.right()).requiredRoles();
        String role = check.role();
        List<String> missingBefore = o.missingRoles(required);
        if (d.role() == null && !missingBefore.contains(role)) {
          // Approving in a role still needed counts for more than in one already covered.
          role = policy.governance().rolesOf(d.by()).stream()
              .filter(x -> missingBefore.contains(x) && o.roles().contains(x)).findFirst().orElse(role);
        }
        waitingFor = o.withApproval(d.by(), role);
        int count = waitingFor.approvalsSoFar().size();
        List<String> missing = waitingFor.missingRoles(required);
        String what = kind.equals("investigate") ? "investigation outcome: continue"
            : kind.equals("resume") ? "resumed after investigation" : "approved " + right;
        if (count < quorum || !missing.isEmpty()) {
          audit("APPROVAL", d.by(), role, what + " (" + count + " of " + quorum + " needed"
              + (missing.isEmpty() ? "" : "; still needs " + String.join(" and ", missing)) + ")" + comment);
          updateDetails();
          return new DecisionAnswer(true, kind, d.by(), role, null, state);
        }
        answer = "approve";
        answerBy = String.join(" + ", waitingFor.approvalsSoFar());
        audit("APPROVAL", d.by(), role, what + (quorum > 1 ? " (quorum of " + quorum + " reached"
            + (required.isEmpty() ? "" : ", " + String.join(" and ", required) + " each approved") + ")" : "")
            + comment);
      }
      case "reject" -> {
        answer = "reject";
        answerBy = d.by();
        audit("APPROVAL", d.by(), check.role(), (kind.equals("investigate") ? "investigation outcome: rollback"
            : "rejected " + right) + comment);
      }
      case "hold" -> {
        answer = "hold";
        answerBy = d.by();
        audit("APPROVAL", d.by(), check.role(), "investigation outcome: hold" + comment);
      }
      case "pause" -> {
        if (pausedBy != null) {
          return refuse(d, "already paused by " + pausedBy);
        }
        pausedBy = d.by();
        pauseReason = "paused by " + d.by() + comment;
        audit("APPROVAL", d.by(), check.role(), "paused at " + weight + " %" + comment);
        transition(ReleaseState.PAUSED, pauseReason);
      }
      case "resume" -> {
        if (pausedBy == null) {
          return refuse(d, "the release is not paused");
        }
        pausedBy = null;
        pauseReason = null;
        audit("APPROVAL", d.by(), check.role(), "resumed" + comment);
        transition(watchingState(), "resumed by " + d.by());
      }
      default -> { // rollback
        if (triggeredAt == null) {
          triggeredAt = Workflow.currentTimeMillis();
        }
        rollbackRequestedBy = d.by();
        rollbackReason = "manual rollback by " + d.by() + comment;
        audit("APPROVAL", d.by(), check.role(), "requested rollback" + comment);
      }
    }
    return new DecisionAnswer(true, kind, d.by(), check.role(), null, state);
  }

  private DecisionAnswer refuse(HumanDecision d, String reason) {
    audit("REFUSED", d.by(), d.role(), d.decision() + " refused: " + reason);
    Workflow.getMetricsScope().tagged(Map.of("decision", d.decision())).counter("ripcord_decisions_refused").inc(1);
    return new DecisionAnswer(false, d.decision(), d.by(), d.role(), reason, state);
  }

  private void onSignal(String kind, RawValue raw) {
    JsonNode payload = payloadOf(kind, raw, null);
    if (payload == null) {
      return;
    }
    HumanDecisions.Parsed p = HumanDecisions.parse(kind, payload);
    if (!p.ok()) {
      audit("REFUSED", null, null, "malformed '" + kind + "' signal refused: " + p.problem() + "; payload: "
          + SignalPayloads.describe(raw));
      return;
    }
    decideNow(p.decision());
  }

  /**
   * The payload of a signal as JSON, or null when it is refused (and audited). A payload that only the checks of
   * {@link #STRICT_INPUTS} refuse is still taken, as before, when replaying a history from before them.
   */
  private JsonNode payloadOf(String signal, RawValue raw, String actor) {
    SignalPayloads.Read r = SignalPayloads.read(raw);
    if (r.ok()) {
      return r.node();
    }
    JsonNode before = SignalPayloads.asBefore(raw);
    if (before != null && !strictInputs()) {
      return before;
    }
    audit("REFUSED", actor, null, "'" + signal + "' signal refused: " + r.problem() + "; payload: "
        + SignalPayloads.describe(raw));
    Workflow.getMetricsScope().tagged(Map.of("signal", signal)).counter("ripcord_signals_refused").inc(1);
    return null;
  }

  /** Whether this release refuses what {@link #STRICT_INPUTS} refuses; asked only when such an input arrives. */
  private boolean strictInputs() {
    return Workflow.getVersion(STRICT_INPUTS, Workflow.DEFAULT_VERSION, 1) >= 1;
  }

  /** A signal no handler takes (a typo in the Temporal UI, another tool's signal): refused and audited. */
  private void onUnknownSignal(String name, EncodedValues args) {
    RawValue raw = null;
    try {
      raw = args.getSize() == 0 ? null : args.get(0, RawValue.class);
    } catch (RuntimeException e) {
      // described as "(none)" below: an argument that cannot even be taken raw has nothing to quote
    }
    audit("REFUSED", null, null, "unknown signal '" + AuditText.cap(name, 80) + "' refused: this release takes "
        + String.join(", ", SIGNALS) + " (see docs/deciding.md); payload: " + SignalPayloads.describe(raw));
    Workflow.getMetricsScope().tagged(Map.of("signal", "unknown")).counter("ripcord_signals_refused").inc(1);
  }

  @Override
  public void approve(RawValue payload) {
    onSignal("approve", payload);
  }

  @Override
  public void reject(RawValue payload) {
    onSignal("reject", payload);
  }

  @Override
  public void pause(RawValue payload) {
    onSignal("pause", payload);
  }

  @Override
  public void resume(RawValue payload) {
    onSignal("resume", payload);
  }

  @Override
  public void rollback(RawValue payload) {
    onSignal("rollback", payload);
  }

  @Override
  public void investigate(RawValue payload) {
    onSignal("investigate", payload);
  }

  @Override
  public void alert(RawValue raw) {
    JsonNode payload = payloadOf("alert", raw, "alertmanager");
    if (payload == null) {
      return;
    }
    PushedAlert.Parsed p = PushedAlert.parse(payload);
    if (!p.ok()) {
      audit("REFUSED", "alertmanager", null, "malformed 'alert' signal refused: " + p.problem() + "; payload: "
          + SignalPayloads.describe(raw));
      return;
    }
    PushedAlert a = p.alert();
    if (policy == null) {
      audit("REFUSED", "alertmanager", null, a.describe() + " refused: the release has not started");
      return;
    }
    var rule = policy.observations().alert(a.alertname());
    if (rule == null) {
      audit("REFUSED", "alertmanager", null, a.describe() + " refused: the policy has no rule for it; add "
          + "observations.alerts: [{alertname: " + a.alertname() + ", action: rollback}] or stop routing it here");
      return;
    }
    if (a.status().equals("resolved")) {
      if (alertsActedOn.remove(a.alertname())) {
        audit("OBSERVATION", "alertmanager", null, a.describe() + " resolved");
      }
      return;
    }
    if (!state.isWatching()) {
      audit("OBSERVATION", "alertmanager", null, a.describe() + " firing; nothing to do: the release is " + state);
      return;
    }
    if (!alertsActedOn.add(a.alertname())) {
      return; // Alertmanager's repeat of an alert already acted on
    }
    audit("OBSERVATION", "alertmanager", null, a.describe() + " firing (policy: " + rule.action() + ")");
    alerts.addLast(a);
  }

  @Override
  public void observe(RawValue raw) {
    JsonNode payload = payloadOf("observe", raw, null);
    if (payload == null) {
      return;
    }
    if (policy == null) {
      audit("REFUSED", null, null, "observation refused: the release has not started");
      return;
    }
    if (!"pushed".equals(policy.observations().source())) {
      audit("REFUSED", null, null, "observation refused: this release reads observations from '"
          + policy.observations().source() + "', not from pushes");
      return;
    }
    if (!state.isWatching()) {
      audit("REFUSED", null, null, "observation refused: the release is " + state);
      return;
    }
    if (pushed.size() >= MAX_PUSHED_BUFFER) {
      audit("REFUSED", null, null, "observation refused: " + MAX_PUSHED_BUFFER + " observations already queued");
      return;
    }
    Observations.Parsed p = Observations.parse(payload, policy);
    String stageName = policy.stages().get(stageIndex).name();
    String problem = p.problem();
    if (p.ok()) {
      problem = Observations.placement(p.observation(), stageName, stageStartedAt,
          Workflow.currentTimeMillis());
    }
    if (problem != null && (!p.acceptedBefore() || strictInputs())) {
      audit("REFUSED", null, null, "malformed observation refused: " + problem + "; payload: "
          + SignalPayloads.describe(raw));
      return;
    }
    Observation o = p.observation();
    pushed.addLast(new Observation(o.t() == null ? iso(Workflow.currentTimeMillis()) : o.t(), o.from(),
        o.stage() == null ? stageName : o.stage(), o.signals(), o.source() == null ? "pushed" : o.source(), o.query()));
  }

  @Override
  public DecisionAnswer decide(HumanDecision decision) {
    return decideNow(decision);
  }

  @Override
  public void validateDecide(HumanDecision decision) {
    List<String> problems = HumanDecisions.check(decision);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  // --------------------------------------------------------------------------------------------- traffic changes

  /** Sets the candidate's weight and verifies it; a router that is down means retries and escalation, never a lie. */
  private void setWeightReliably(int to, String reason) {
    int from = weight;
    int round = 0;
    while (true) {
      actionSeq++;
      String key = releaseId + "/" + actionSeq;
      WeightCommand cmd = new WeightCommand(releaseId, policy.router(), policy.release().candidate(),
          policy.release().baseline(), from, to, key, reason);
      WeightChange change = null;
      while (change == null) {
        try {
          change = router.setWeight(cmd);
        } catch (ActivityFailure f) {
          round++;
          String why = rootMessage(f);
          audit("ACTION_FAILED", null, null, reason + ": router did not confirm " + from + " → " + to + " % (key " + key
              + ", round " + round + "): " + why + "; candidate still at " + from + " %, retrying");
          Workflow.setCurrentDetails(statusLine() + " · router failing: " + why);
          if (round == 1 || round % 5 == 0) {
            notifyPeople("escalation", "ESCALATION " + releaseId + ": router is not accepting " + reason + " ("
                + from + " → " + to + " %) after " + round + " round(s): " + why, Map.of("reason", why));
          }
          Workflow.sleep(ROUTER_ROUND_PAUSE);
        }
      }
      actions.add(change);
      weight = to;
      if (to > 0 && exposedAt == null) {
        exposedAt = Workflow.currentTimeMillis();
      }
      audit("ACTION", null, null, reason + ": candidate " + from + " → " + to + " % (key " + key
          + (change.applied() ? "" : ", already applied by the router") + ")");
      if (verifyWeight(to)) {
        return;
      }
      from = weight; // the router says otherwise: set it again under a new key
    }
  }

  private boolean verifyWeight(int expected) {
    while (true) {
      try {
        int actual = router.readWeight(policy.router(), policy.release().candidate());
        if (actual == expected) {
          return true;
        }
        audit("ACTION_FAILED", null, null, "verification: router reports candidate at " + actual + " %, expected "
            + expected + " %; applying again");
        weight = actual;
        return false;
      } catch (ActivityFailure f) {
        audit("ACTION_FAILED", null, null, "verification: cannot read the router: " + rootMessage(f) + "; retrying");
        Workflow.sleep(ROUTER_ROUND_PAUSE);
      }
    }
  }

  private void notifyPeople(String event, String fallback, Map<String, String> extra) {
    notifyWith(policy.notifications(), event, fallback, extra);
  }

  private void notifyWith(NotificationSpec spec, String event, String fallback, Map<String, String> extra) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("releaseId", releaseId);
    facts.put("model", policy.release().model());
    facts.put("candidate", policy.release().candidate());
    facts.put("baseline", policy.release().baseline());
    facts.put("state", state.name());
    facts.put("stage", policy.stages().get(Math.min(stageIndex, policy.stages().size() - 1)).name());
    facts.put("weight", Integer.toString(weight));
    facts.put("policyHash", policyHash);
    facts.put("link", link());
    facts.putAll(extra);
    actionSeq++;
    try {
      NotifierActivities.NotificationReceipt r = notifier.notify(new Notification(releaseId, spec,
          event, fallback, facts, releaseId + "/" + actionSeq));
      audit("NOTIFY", null, null, event + (r.delivered() ? " sent to " + r.target() : " logged (no webhook configured)")
          + ": " + AuditText.excerpt(r.text()));
    } catch (ActivityFailure f) {
      audit("ACTION_FAILED", null, null, "notification '" + event + "' failed: " + rootMessage(f));
    }
  }

  // ----------------------------------------------------------------------------------------------- the playbook

  /** Starts the policy's playbook once, at the first trigger (or the first rollback, whoever asked for it). */
  private void startPlaybook(String reason) {
    PlaybookSpec pb = policy.playbook();
    if (pb == null || playbookRun != null) {
      return;
    }
    playbookReason = reason;
    for (PlaybookSpec.Step step : pb.steps()) {
      playbookSteps.put(step.name(), new PlaybookStep(step.name(), step.kind(), "waiting", step.owners(), null, null,
          null, null));
    }
    audit("PLAYBOOK", null, null, "playbook started (" + pb.steps().size() + " steps) for: " + reason);
    Map<String, Promise<Void>> done = new LinkedHashMap<>();
    for (PlaybookSpec.Step step : pb.steps()) {
      List<Promise<Void>> before = step.after() == null ? List.of()
          : step.after().stream().map(done::get).toList();
      done.put(step.name(), Async.procedure(() -> {
        before.forEach(Promise::get);
        runStep(step);
      }));
    }
    playbookRun = Promise.allOf(List.copyOf(done.values()));
    updateDetails();
  }

  private void runStep(PlaybookSpec.Step step) {
    setStep(step.name(), step.isHuman() ? "open" : "running", null, null, null);
    switch (step.kind()) {
      case "notify" -> {
        notifyWith(playbookNotification(step), "playbook", step.name() + ": " + playbookReason,
            Map.of("step", step.name(), "reason", playbookReason));
        finishStep(step, "done", null, "notified");
      }
      case "snapshot-evidence" -> {
        actionSeq++;
        try {
          PlaybookActivities.Receipt r = playbookActions.snapshotEvidence(new PlaybookActivities.EvidenceSnapshot(
              releaseId, step.url(), policyHash, policy.release(), playbookReason,
              triggeredAt == null ? null : iso(triggeredAt), historyReference(), List.copyOf(recentDecisions),
              releaseId + "/" + actionSeq));
          finishStep(step, "done", null, "evidence stored: " + r.reference());
        } catch (ActivityFailure f) {
          failStep(step, "evidence not stored: " + rootMessage(f));
        }
      }
      case "data-rule" -> {
        Workflow.await(() -> state.isFinal());
        if (state != ReleaseState.ROLLED_BACK) {
          finishStep(step, "skipped", null, "no rollback, so no incident window to " + step.rule());
          return;
        }
        actionSeq++;
        String from = exposedAt != null ? iso(exposedAt) : audit.get(0).at(); // the pointer entry carries its time too
        try {
          PlaybookActivities.Receipt r = playbookActions.applyDataRule(new PlaybookActivities.DataRule(releaseId,
              step.url(), step.rule(), policy.release().model(), policy.release().candidate(), from,
              iso(mitigatedAt), releaseId + "/" + actionSeq));
          finishStep(step, "done", null, step.rule() + " of " + policy.release().candidate() + "'s outputs from "
              + from + " to " + iso(mitigatedAt) + " confirmed: " + r.reference());
        } catch (ActivityFailure f) {
          failStep(step, step.rule() + " not confirmed: " + rootMessage(f));
        }
      }
      case "verify-recovery" -> verifyRecovery(step);
      default -> awaitAcknowledgement(step);
    }
  }

  /** After the rollback, one window read from the source must show the baseline within the criteria's limits. */
  private void verifyRecovery(PlaybookSpec.Step step) {
    Workflow.await(() -> state.isFinal());
    if (state != ReleaseState.ROLLED_BACK) {
      finishStep(step, "skipped", null, "no rollback to verify");
      return;
    }
    if ("pushed".equals(policy.observations().source())) {
      finishStep(step, "skipped", null, "observations are pushed: nothing to read back; verify by hand");
      return;
    }
    Duration wait = step.within() == null ? Durations.parse(policy.evaluation().interval())
        : Durations.parse(step.within());
    Workflow.sleep(wait);
    long now = Workflow.currentTimeMillis();
    Observation o = readWindow(policy.stages().get(Math.min(stageIndex, policy.stages().size() - 1)),
        now - wait.toMillis(), now);
    List<String> over = new ArrayList<>();
    List<String> within = new ArrayList<>();
    for (var c : policy.criteria()) {
      checkBaseline(c.when(), o, over, within);
    }
    if (o == null || o.isEmpty()) {
      failStep(step, "no window could be read after the rollback; recovery not verified");
    } else if (!over.isEmpty()) {
      failStep(step, "baseline still outside limits after the rollback: " + String.join("; ", over));
    } else {
      finishStep(step, "done", null, within.isEmpty() ? "window read; no absolute limits to check on the baseline"
          : "recovered: " + String.join("; ", within));
    }
  }

  private void checkBaseline(dev.ripcord.workflows.policy.ConditionSpec c, Observation o, List<String> over,
      List<String> within) {
    if (c == null || o == null || o.signals() == null) {
      return;
    }
    for (var list : java.util.Arrays.asList(c.allOf(), c.anyOf(), c.of())) {
      if (list != null) {
        list.forEach(x -> checkBaseline(x, o, over, within));
      }
    }
    if (c.signal() == null || (c.above() == null && c.below() == null)) {
      return;
    }
    var reading = o.signals().get(c.signal());
    SignalSpec s = policy.signal(c.signal());
    if (reading == null || reading.baseline() == null || s == null) {
      return;
    }
    Observation.Arm b = reading.baseline();
    Double v = s.isRate() ? (b.trials() == null || b.trials() == 0 ? null
        : b.events() * (double) s.perOrOne() / b.trials()) : b.value();
    if (v == null) {
      return;
    }
    String text = c.signal() + " on the baseline " + String.format(java.util.Locale.ROOT, "%.2f", v);
    if ((c.above() != null && v > c.above()) || (c.below() != null && v < c.below())) {
      over.add(text + (c.above() != null ? " > " + c.above() : " < " + c.below()));
    } else {
      within.add(text + (c.above() != null ? " <= " + c.above() : " >= " + c.below()));
    }
  }

  /** A human step: open until an owner acknowledges it; reminders while open; escalated once past its deadline. */
  private void awaitAcknowledgement(PlaybookSpec.Step step) {
    long opened = Workflow.currentTimeMillis();
    long due = opened + Durations.parse(step.deadline()).toMillis();
    long remind = step.remind() == null ? 0 : Durations.parse(step.remind()).toMillis();
    long nextReminder = remind == 0 ? Long.MAX_VALUE : opened + remind;
    boolean escalated = false;
    playbookSteps.put(step.name(), new PlaybookStep(step.name(), step.kind(), "open", step.owners(), iso(opened),
        iso(due), null, null));
    updateDetails();
    notifyWith(playbookNotification(step), "playbook", "Release " + releaseId + ": " + step.kind() + " '"
        + step.name() + "' is yours (" + step.owners() + "), due " + iso(due) + ": " + playbookReason,
        Map.of("step", step.name(), "due", iso(due), "reason", playbookReason));
    while (playbookSteps.get(step.name()).isOpen()) {
      long now = Workflow.currentTimeMillis();
      long next = Math.min(nextReminder, escalated ? Long.MAX_VALUE : due);
      if (next == Long.MAX_VALUE) {
        Workflow.await(() -> !playbookSteps.get(step.name()).isOpen());
        break;
      }
      Workflow.await(Duration.ofMillis(Math.max(0, next - now)), () -> !playbookSteps.get(step.name()).isOpen());
      if (!playbookSteps.get(step.name()).isOpen()) {
        break;
      }
      now = Workflow.currentTimeMillis();
      if (!escalated && now >= due) {
        escalated = true;
        setStep(step.name(), "overdue", iso(due), null, null);
        audit("PLAYBOOK", "deadline", null, step.kind() + " '" + step.name() + "' not done by " + iso(due)
            + "; escalated to " + (step.escalate() == null ? "its owners" : step.escalate()));
        notifyPeople("escalation", "ESCALATION " + releaseId + ": playbook step '" + step.name() + "' (" + step.kind()
            + ") owned by " + step.owners() + " is overdue since " + iso(due)
            + (step.escalate() == null ? "" : "; " + step.escalate() + " are asked now"),
            Map.of("reason", "playbook step '" + step.name() + "' overdue"));
      }
      if (now >= nextReminder) {
        nextReminder += remind;
        notifyWith(playbookNotification(step), "playbook", "Reminder, release " + releaseId + ": " + step.kind()
            + " '" + step.name() + "' is still open (" + step.owners() + "), due " + iso(due),
            Map.of("step", step.name(), "due", iso(due), "reason", playbookReason));
      }
    }
  }

  private NotificationSpec playbookNotification(PlaybookSpec.Step step) {
    NotificationSpec n = policy.notifications();
    return new NotificationSpec(n == null ? null : n.webhook(), n == null ? null : n.channel(),
        step.template() == null ? null : Map.of("playbook", step.template()));
  }

  private void setStep(String name, String status, String due, String closedBy, String outcome) {
    PlaybookStep p = playbookSteps.get(name);
    boolean closes = status.equals("done") || status.equals("skipped") || status.equals("failed");
    playbookSteps.put(name, p.with(status, due == null ? p.due() : due, closedBy, outcome,
        closes ? iso(Workflow.currentTimeMillis()) : p.closedAt()));
    updateDetails();
  }

  private void finishStep(PlaybookSpec.Step step, String status, String by, String outcome) {
    setStep(step.name(), status, null, by, outcome);
    audit("PLAYBOOK", by, null, step.kind() + " '" + step.name() + "' " + status + ": " + outcome);
  }

  private void failStep(PlaybookSpec.Step step, String why) {
    finishStep(step, "failed", null, why);
    notifyPeople("escalation", "ESCALATION " + releaseId + ": playbook step '" + step.name() + "' failed: " + why,
        Map.of("reason", why));
  }

  private String playbookSummary() {
    return playbookSteps.values().stream().map(p -> p.name() + " " + p.status()).reduce((a, b) -> a + ", " + b)
        .orElse("");
  }

  private String historyReference() {
    var info = Workflow.getInfo();
    return "temporal://" + info.getNamespace() + "/" + releaseId + "?firstRunId=" + info.getFirstExecutionRunId()
        + "&runId=" + info.getRunId();
  }

  private String link() {
    PlaybookSpec pb = policy.playbook();
    String base = pb == null || pb.temporalUi() == null ? "" : pb.temporalUi().replaceAll("/+$", "");
    return base + "/namespaces/" + Workflow.getInfo().getNamespace() + "/workflows/" + releaseId;
  }

  @Override
  public void acknowledge(RawValue raw) {
    JsonNode payload = payloadOf("acknowledge", raw, null);
    if (payload == null) {
      return;
    }
    String by = payload != null && payload.hasNonNull("by") && payload.get("by").isTextual()
        ? payload.get("by").asText() : null;
    String name = payload != null && payload.hasNonNull("step") && payload.get("step").isTextual()
        ? payload.get("step").asText() : null;
    String comment = payload != null && payload.hasNonNull("comment") ? payload.get("comment").asText() : null;
    String role = payload != null && payload.hasNonNull("role") ? payload.get("role").asText() : null;
    List<String> open = playbookSteps.values().stream().filter(PlaybookStep::isOpen).map(PlaybookStep::name).toList();
    if (by == null || name == null || by.isBlank() || by.length() > AuditText.MAX_NAME
        || name.length() > AuditText.MAX_NAME || (comment != null && comment.length() > HumanDecisions.MAX_TEXT)) {
      audit("REFUSED", null, null, "malformed 'acknowledge' signal refused: write {\"by\": \"you@example.com\", "
          + "\"step\": \"<one of " + open + ">\", \"comment\": \"...\"} (by and step at most " + AuditText.MAX_NAME
          + " characters, comment at most " + HumanDecisions.MAX_TEXT + "); payload: " + SignalPayloads.describe(raw));
      return;
    }
    PlaybookStep p = playbookSteps.get(name);
    if (p == null || !p.isOpen()) {
      audit("REFUSED", by, role, "acknowledge refused: step '" + name + "' is " + (p == null ? "not in the playbook"
          : p.status()) + "; open steps: " + open);
      return;
    }
    PlaybookSpec.Step step = policy.playbook().step(name);
    List<String> allowed = new ArrayList<>(step.owners());
    if (p.status().equals("overdue") && step.escalate() != null) {
      step.escalate().stream().filter(r -> !allowed.contains(r)).forEach(allowed::add);
    }
    DecisionRights.Check check = DecisionRights.check(policy.governance(), "acknowledge", allowed,
        new HumanDecision("approve", by, role, comment, null));
    if (!check.allowed()) {
      audit("REFUSED", by, role, "acknowledge of '" + name + "' refused: " + check.refusal());
      return;
    }
    setStep(name, "done", null, by, comment == null ? "acknowledged" : comment);
    audit("PLAYBOOK", by, check.role(), step.kind() + " '" + name + "' done" + (comment == null ? ""
        : " — \"" + comment + "\""));
  }

  // --------------------------------------------------------------------------------------- state, audit, history

  private void transition(ReleaseState to, String reason) {
    ReleaseState from = state;
    state = to;
    audit("STATE", null, null, from + " → " + to + ": " + reason);
    if (from != to) {
      Workflow.getMetricsScope().tagged(Map.of("state", from.name())).counter("ripcord_state_left").inc(1);
      Workflow.getMetricsScope().tagged(Map.of("state", to.name())).counter("ripcord_state_entered").inc(1);
    }
    upsertSearchAttributes();
    updateDetails();
    log.info("{} {} -> {}: {}", releaseId, from, to, reason);
  }

  private ReleaseState watchingState() {
    if (pausedBy != null) {
      return waitingFor != null && "resume".equals(waitingFor.right())
          ? ReleaseState.PAUSED_FOR_INVESTIGATION : ReleaseState.PAUSED;
    }
    return policy.stages().get(stageIndex).weight() == 0 ? ReleaseState.SHADOW : ReleaseState.ROLLING_OUT;
  }

  private void upsertSearchAttributes() {
    String stage = policy.stages().get(Math.min(stageIndex, policy.stages().size() - 1)).name();
    if (lastUpsertedState == null) {
      Workflow.upsertTypedSearchAttributes(
          ReleaseSearchAttributes.MODEL.valueSet(policy.release().model()),
          ReleaseSearchAttributes.CANDIDATE.valueSet(policy.release().candidate()),
          ReleaseSearchAttributes.STAGE.valueSet(stage),
          ReleaseSearchAttributes.STATE.valueSet(state.name()));
    } else if (!state.name().equals(lastUpsertedState) || !stage.equals(lastUpsertedStage)) {
      Workflow.upsertTypedSearchAttributes(
          ReleaseSearchAttributes.STAGE.valueSet(stage),
          ReleaseSearchAttributes.STATE.valueSet(state.name()));
    }
    lastUpsertedState = state.name();
    lastUpsertedStage = stage;
  }

  private void updateDetails() {
    Workflow.setCurrentDetails(statusLine());
  }

  private void audit(String kind, String actor, String role, String message) {
    audit.add(new AuditEntry(CarriedLog.lastSeq(audit) + 1, iso(Workflow.currentTimeMillis()), kind, actor, role,
        message));
    if (audit.size() > CarriedLog.MAX_IN_RUN) {
      List<AuditEntry> kept = carriedAudit(CarriedLog.MAX_ENTRIES);
      audit.clear();
      audit.addAll(kept);
    }
  }

  private String statusLine() {
    int shown = Math.min(stageIndex, policy.stages().size() - 1);
    StageSpec stage = policy.stages().get(shown);
    StringBuilder b = new StringBuilder();
    b.append(state).append(" · ").append(policy.release().model()).append(' ').append(policy.release().candidate())
        .append(" · stage ").append(stage.name()).append(" (").append(shown + 1).append('/')
        .append(policy.stages().size()).append(") · candidate ").append(weight).append(" %");
    if (state.isWatching()) {
      b.append(" · baked ").append(Durations.format(Duration.ofMillis(bakedMillis / 1000 * 1000))).append('/')
          .append(stage.bake());
      if (stage.minSamplesOrZero() > 0) {
        b.append(" · samples ").append(stageSamples).append('/').append(stage.minSamplesOrZero());
      }
    }
    if (waitingFor != null) {
      b.append(" · waiting for '").append(waitingFor.right()).append("' from ").append(waitingFor.roles());
      if (waitingFor.deadline() != null) {
        b.append(" until ").append(waitingFor.deadline());
      }
      if (waitingFor.quorum() != null && waitingFor.quorum() > 1) {
        b.append(" (").append(waitingFor.approvalsSoFar().size()).append(" of ").append(waitingFor.quorum())
            .append(" approvals");
        DecisionRight r = policy.governance().right(waitingFor.right());
        List<String> missing = r == null ? List.of() : waitingFor.missingRoles(r.requiredRoles());
        if (!missing.isEmpty()) {
          b.append("; needs ").append(String.join(" and ", missing));
        }
        b.append(')');
      }
    }
    if (lastDecision != null && state.isWatching()) {
      b.append(" · window ").append(lastDecision.window()).append(": ").append(lastDecision.verdict().label());
      if (!lastDecision.fired().isEmpty()) {
        b.append(' ').append(lastDecision.fired());
      } else if (!lastDecision.pending().isEmpty()) {
        b.append(", pending ").append(lastDecision.pending());
      }
    }
    if (rollbackReason != null && !state.isWatching()) {
      b.append(" · ").append(rollbackReason);
    }
    if (rereleaseOpenUntil != null) {
      b.append(" · re-release possible until ").append(rereleaseOpenUntil).append(" by ")
          .append(policy.governance().right("rerelease").roles());
    }
    if (rereleases > 0) {
      b.append(" · re-release ").append(rereleases);
    }
    List<String> open = playbookSteps.values().stream().filter(p -> !p.isFinished())
        .map(p -> p.name() + " " + p.status() + (p.due() == null ? "" : " (due " + p.due() + ")")).toList();
    if (!open.isEmpty()) {
      b.append(" · playbook: ").append(String.join(", ", open));
    }
    return b.toString();
  }

  @Override
  public ReleaseStatus status() {
    StageSpec stage = policy.stages().get(Math.min(stageIndex, policy.stages().size() - 1));
    return new ReleaseStatus(releaseId, policy.release().model(), policy.release().candidate(),
        policy.release().baseline(), state, stage.name(), stageIndex, policy.stages().size(), weight, stage.bake(),
        Durations.format(Duration.ofMillis(bakedMillis / 1000 * 1000)), stageSamples, stage.minSamplesOrZero(),
        engineState == null ? 0 : engineState.windows(), lastDecision == null ? null : lastDecision.verdict(),
        lastDecision == null ? null : lastDecision.explanation(), waitingFor, pausedBy,
        triggeredAt == null ? null : iso(triggeredAt), mitigatedAt == null ? null : iso(mitigatedAt), policyHash,
        statusLine(), playbookSteps.isEmpty() ? null : List.copyOf(playbookSteps.values()));
  }

  @Override
  public List<AuditEntry> audit() {
    return List.copyOf(audit);
  }

  @Override
  public List<Decision> decisions() {
    return List.copyOf(recentDecisions);
  }

  private ReleaseReport report() {
    return new ReleaseReport(releaseId, state, policyHash, triggeredAt == null ? null : iso(triggeredAt),
        mitigatedAt == null ? null : iso(mitigatedAt),
        triggeredAt == null || mitigatedAt == null ? null : mitigatedAt - triggeredAt,
        engineState == null ? 0 : engineState.windows(), List.copyOf(actions), List.copyOf(audit),
        playbookSteps.isEmpty() ? null : List.copyOf(playbookSteps.values()));
  }

  // ------------------------------------------------------------------------------------------------ re-release

  /** The first steps of a run that rolls a fixed candidate out again: the earlier runs' log, and the link to them. */
  private void startAfter(Rerelease r) {
    rereleases = r.attempt();
    actionSeq = r.actionSeq();
    audit.addAll(r.audit());
    actions.addAll(r.actions());
    audit("STATE", r.by(), r.role(), "re-release " + r.attempt() + " of " + releaseId + ": " + fixOf(r.previousCandidate(),
        r.revisedRules(), r.evalReport()) + "; rolled back in run " + r.previousRunId()
        + (r.comment() == null ? "" : " — \"" + r.comment() + "\""));
  }

  private String fixOf(String previousCandidate, boolean revisedRules, String evalReport) {
    String candidate = policy.release().candidate();
    return (candidate.equals(previousCandidate) ? "same candidate " + candidate
        : "candidate " + candidate + " replaces " + previousCandidate)
        + (evalReport == null ? "" : ", eval report " + evalReport)
        + (revisedRules ? ", revised policy " : ", same rules, policy ") + policyHash;
  }

  /** A rolled-back release waits (up to the right's deadline, 7 days by default) for someone to re-release it. */
  private void awaitRerelease() {
    DecisionRight r = policy.governance().right("rerelease");
    long now = Workflow.currentTimeMillis();
    Duration window = r.deadline() == null ? Duration.ofDays(7) : Durations.parse(r.deadline());
    rereleaseOpenUntil = iso(now + window.toMillis());
    audit("STATE", null, null, "open for a re-release by " + r.roles() + " until " + rereleaseOpenUntil
        + ": send 'rerelease' with the fixed candidate and/or eval report");
    updateDetails();
    boolean asked = Workflow.await(window, () -> rereleaseAccepted != null);
    String until = rereleaseOpenUntil;
    rereleaseOpenUntil = null;
    if (!asked) {
      audit("STATE", "deadline", null, "no re-release by " + until + "; the release closes rolled back");
    }
    updateDetails();
  }

  /** The one place a re-release request is judged, for the signal and the update alike. */
  private DecisionAnswer decideRerelease(RereleaseRequest q) {
    HumanDecision asDecision = new HumanDecision("rerelease", q.by(), q.role(), q.comment(), null);
    if (policy == null) {
      return refuse(asDecision, "the release has not started");
    }
    if (policy.governance().right("rerelease") == null) {
      return refuse(asDecision, "the policy grants no one the 'rerelease' decision; add governance.decisions.rerelease"
          + " with the roles that may re-release");
    }
    if (rereleaseAccepted != null) {
      return refuse(asDecision, "already re-released by " + rereleaseAccepted.by() + " (candidate "
          + rereleasePolicy.release().candidate() + ")");
    }
    if (state != ReleaseState.ROLLED_BACK) {
      return refuse(asDecision, "only a rolled-back release can be re-released; this one is " + state);
    }
    if (rereleaseOpenUntil == null) {
      List<String> open = playbookSteps.values().stream().filter(p -> !p.isFinished()).map(PlaybookStep::name)
          .toList();
      return refuse(asDecision, open.isEmpty() ? "the release is closing; it no longer accepts a re-release"
          : "the incident's playbook is still open (" + String.join(", ", open) + "); close its steps first");
    }
    DecisionRights.Check check = DecisionRights.check(policy.governance(), "rerelease", asDecision);
    if (!check.allowed()) {
      return refuse(asDecision, check.refusal());
    }
    String rolledBack = policy.release().candidate();
    if (q.candidate() != null && q.candidate().equals(policy.release().baseline())) {
      return refuse(asDecision, "candidate " + q.candidate() + " is the baseline; name the fixed version");
    }
    String currentReport = policy.release().artifacts() == null ? null : policy.release().artifacts().evalReport();
    boolean newCandidate = q.candidate() != null && !q.candidate().equals(rolledBack);
    boolean newReport = q.evalReport() != null && !q.evalReport().equals(currentReport);
    if (!newCandidate && !newReport) {
      return refuse(asDecision, rolledBack + " was rolled back" + (currentReport == null ? ""
          : " with eval report " + currentReport) + "; name the fixed candidate or a new eval report");
    }
    ReleasePolicy base = policy;
    if (q.policy() != null) {
      List<PolicyProblem> problems = new ArrayList<>();
      base = dev.ripcord.workflows.policy.PolicyLoader.parse(q.policy().toString(), problems, true);
      if (base == null || !problems.isEmpty()) {
        List<PolicyProblem> before = new ArrayList<>();
        ReleasePolicy lenient = dev.ripcord.workflows.policy.PolicyLoader.parse(q.policy().toString(), before, false);
        if (lenient != null && before.isEmpty()
            && Workflow.getVersion(STRICT_POLICY, Workflow.DEFAULT_VERSION, 1) < 1) {
          base = lenient;
          problems = before;
        }
      }
      if (base == null || !problems.isEmpty()) {
        return refuse(asDecision, "revised policy: " + (problems.isEmpty() ? "empty" : problems.get(0)
            + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "")));
      }
      for (String[] same : new String[][] {
          {"release.model", policy.release().model(), base.release() == null ? null : base.release().model()},
          {"release.baseline", policy.release().baseline(), base.release() == null ? null : base.release().baseline()},
          {"router", String.valueOf(policy.router()), String.valueOf(base.router())}}) {
        if (!same[1].equals(same[2])) {
          return refuse(asDecision, "revised policy changes " + same[0] + " (" + same[1] + " → " + same[2]
              + "); a re-release keeps the model, baseline and router; start a new release instead");
        }
      }
    }
    boolean revised = !dev.ripcord.workflows.policy.PolicyLoader.hash(base.withRelease(policy.release()))
        .equals(dev.ripcord.workflows.policy.PolicyLoader.hash(policy));
    ReleasePolicy next = base.withRelease(base.release().fixedBy(q.candidate(), q.evalReport()));
    List<PolicyProblem> problems = policyProblems(next);
    if (!problems.isEmpty()) {
      return refuse(asDecision, "revised policy: " + problems.get(0) + (problems.size() > 1 ? " (and "
          + (problems.size() - 1) + " more)" : ""));
    }
    rereleaseAccepted = q;
    rereleaseRole = check.role();
    rereleasePolicy = next;
    rereleasePolicyHash = dev.ripcord.workflows.policy.PolicyLoader.hash(next);
    rereleaseRevisesRules = revised;
    audit("APPROVAL", q.by(), check.role(), "re-release accepted: " + (newCandidate ? "candidate " + q.candidate()
        : "same candidate " + rolledBack) + (newReport ? ", eval report " + q.evalReport() : "")
        + (revised ? ", revised policy " + rereleasePolicyHash : "")
        + (q.comment() == null ? "" : " — \"" + q.comment() + "\""));
    return new DecisionAnswer(true, "rerelease", q.by(), check.role(), null, state);
  }

  @Override
  public void rerelease(RawValue raw) {
    JsonNode payload = payloadOf("rerelease", raw, null);
    if (payload == null) {
      return;
    }
    RereleaseRequest.Parsed p = RereleaseRequest.parse(payload);
    if (!p.ok()) {
      audit("REFUSED", null, null, "malformed 'rerelease' signal refused: " + p.problem() + "; payload: "
          + SignalPayloads.describe(raw));
      return;
    }
    decideRerelease(p.request());
  }

  @Override
  public DecisionAnswer requestRerelease(RereleaseRequest request) {
    return decideRerelease(request);
  }

  @Override
  public void validateRequestRerelease(RereleaseRequest request) {
    List<String> problems = RereleaseRequest.check(request);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** Starts the next run on the same release id with the fixed candidate, carrying the log and the key sequence. */
  private void continueAsRerelease() {
    RereleaseRequest q = rereleaseAccepted;
    audit("STATE", null, null, "continuing as new for re-release " + (rereleases + 1) + " with "
        + rereleasePolicy.release().candidate());
    notifyPeople("rerelease", "Release " + releaseId + " re-released by " + q.by() + ": "
        + rereleasePolicy.release().candidate() + " rolls out again", Map.of("reason", "re-release by " + q.by()));
    Rerelease r = new Rerelease(rereleases + 1, Workflow.getInfo().getRunId(), policy.release().candidate(),
        policyHash, q.by(), rereleaseRole, q.evalReport(), q.comment(), iso(Workflow.currentTimeMillis()), actionSeq,
        carriedAudit(CarriedLog.MAX_ENTRIES), carriedActions(), rereleaseRevisesRules);
    Workflow.continueAsNew(new ReleaseInput(rereleasePolicy, rereleasePolicyHash, null, r));
  }

  // ------------------------------------------------------------------------------------------ continue-as-new

  /**
   * How many windows this run evaluates before it continues as new: between 80 % and all of
   * {@code evaluation.windowsPerRun}, fixed by the run's ID. Releases started together (release tooling starting a
   * batch) then continue as new spread over a fifth of a run, not in one burst of new runs whose first workflow
   * tasks wait behind each other. Asked only once this run has reached the lower count, so the version marker is
   * recorded only in runs that continue as new.
   */
  private int windowsThisRunMayHave() {
    Integer configured = policy.evaluation().windowsPerRun();
    int most = configured == null ? DEFAULT_WINDOWS_PER_RUN : configured;
    // The run ID as the history's first event records it: a replay from an exported file runs under another ID.
    int staggered = windowsBeforeRollover(most, Workflow.getInfo().getOriginalExecutionRunId());
    if (windowsThisRun < staggered) {
      return staggered;
    }
    return Workflow.getVersion(STAGGERED_ROLLOVER, Workflow.DEFAULT_VERSION, 1) >= 1 ? staggered : most;
  }

  /** Temporal's own hint that this run's history is large (many or big signals): roll over now. */
  private boolean temporalSuggestsContinueAsNew() {
    return Workflow.getInfo().isContinueAsNewSuggested()
        && Workflow.getVersion(HONOUR_CONTINUE_AS_NEW_SUGGESTED, Workflow.DEFAULT_VERSION, 1) >= 1;
  }

  /** Between {@code most - most / 5} and {@code most}, the same every time for the same run ID. */
  static int windowsBeforeRollover(int most, String runId) {
    return most - Math.floorMod(runId.hashCode(), most / 5 + 1);
  }

  private void continueAsNew() {
    Workflow.await(Workflow::isEveryHandlerFinished);
    audit("STATE", null, null, "continuing as new after " + windowsThisRun + " windows (run " + (runs + 1)
        + "), carrying the engine state and this log");
    ReleaseInput next = null;
    for (int keep = CarriedLog.MAX_ENTRIES; next == null; keep /= 2) {
      Carried c = new Carried(state, stageIndex, weight, stageStartedAt, bakedMillis, stageSamples, windowStartedAt,
          sawPushThisWindow, actionSeq, engineState, lastDecision, waitingFor, pausedBy, pauseReason, investigating,
          List.copyOf(pushed), carriedAudit(keep), carriedActions(), runs + 1, List.copyOf(alertsActedOn),
          rereleases, weightBeforeInvestigation, exposedAt);
      ReleaseInput candidate = new ReleaseInput(policy, policyHash, c);
      int bytes = CarrySize.of(candidate);
      if (bytes <= MAX_CARRY_BYTES || keep == 0) {
        if (bytes > MAX_CARRY_BYTES) {
          log.warn("{}: continue-as-new input is {} bytes even without the audit log", releaseId, bytes);
        }
        next = candidate;
      }
    }
    Workflow.continueAsNew(next);
  }

  /** The audit log the next run carries: the most recent entries, and a pointer to the runs holding the rest. */
  private List<AuditEntry> carriedAudit(int keep) {
    return CarriedLog.bound(List.copyOf(audit), keep, releaseId, Workflow.getInfo().getFirstExecutionRunId());
  }

  /** Router changes the next run carries (for its report): the most recent ones. */
  private List<WeightChange> carriedActions() {
    return List.copyOf(actions.subList(Math.max(0, actions.size() - CarriedLog.MAX_ENTRIES), actions.size()));
  }

  private void restore(Carried c) {
    state = c.state();
    stageIndex = c.stageIndex();
    weight = c.weight();
    stageStartedAt = c.stageStartedAt();
    bakedMillis = c.bakedMillis();
    stageSamples = c.stageSamples();
    windowStartedAt = c.windowStartedAt();
    sawPushThisWindow = c.sawPushThisWindow();
    actionSeq = c.actionSeq();
    engineState = c.engine();
    lastDecision = c.lastDecision();
    if (lastDecision != null) {
      recentDecisions.add(lastDecision);
    }
    waitingFor = c.waitingFor();
    pausedBy = c.pausedBy();
    pauseReason = c.pauseReason();
    investigating = c.investigating() == null ? List.of() : c.investigating();
    pushed.addAll(c.pushed());
    audit.addAll(c.audit());
    actions.addAll(c.actions());
    runs = c.runs();
    if (c.alertsActedOn() != null) {
      alertsActedOn.addAll(c.alertsActedOn());
    }
    rereleases = c.rereleases() == null ? 0 : c.rereleases();
    weightBeforeInvestigation = c.weightBeforeInvestigation();
    exposedAt = c.exposedAt();
    // Triggers survive a continue-as-new only while a decision about them is open; record it again if so.
    if (waitingFor != null && triggeredAt == null && !"promote".equals(waitingFor.right())) {
      triggeredAt = Instant.parse(waitingFor.requestedAt()).toEpochMilli();
    }
    lastUpsertedState = state.name();
    lastUpsertedStage = policy.stages().get(stageIndex).name();
    updateDetails();
  }

  // ---------------------------------------------------------------------------------------------------- helpers

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }


  /**
   * What went wrong, in the activity's own words: the deepest failure in the chain that carries a message (an
   * activity's failure wraps the exception that caused it, which often has none).
   */
  private static String rootMessage(Throwable t) {
    String best = null;
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c instanceof ApplicationFailure a ? a.getOriginalMessage() : c.getMessage();
      if (m != null && !m.isBlank() && !(c instanceof ActivityFailure)) {
        best = m;
      }
    }
    if (best != null) {
      return best;
    }
    Throwable root = t;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root instanceof ApplicationFailure a ? a.getType() : root.getClass().getSimpleName();
  }
}
