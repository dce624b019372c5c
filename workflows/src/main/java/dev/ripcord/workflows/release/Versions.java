package dev.ripcord.workflows.release;

import dev.ripcord.workflows.decision.Observations;
import dev.ripcord.workflows.intake.SignalPayloads;
import dev.ripcord.workflows.policy.PolicyGate;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * Every version marker of the release workflow, in the order they were added. Each guards a change of the commands
 * a release issues, so histories recorded before it replay unchanged (see {@code StoredHistoriesReplayTest}).
 */
final class Versions {
  /** Releases started before v1 did not notify when a person paused them. */
  static final String NOTIFY_ON_PAUSE = "notify-on-pause";
  /** Releases started before v1 sent the 'triggered' notification before acting on the trigger. */
  static final String NOTIFY_WHILE_ACTING = "notify-while-acting";
  /** Releases started before v1 read observation windows with (remote) activities. */
  static final String LOCAL_OBSERVATION_READS = "local-observation-reads";
  /**
   * Runs before v1 continued as new after exactly {@code windowsPerRun} windows, so releases started together all
   * continued as new together.
   */
  static final String STAGGERED_ROLLOVER = "staggered-rollover";
  /**
   * Releases before v1 took signal payloads that had a key twice (the last won), were larger than
   * {@link SignalPayloads#MAX_BYTES}, or observations placed outside the current stage. Asked only when such an input
   * arrives, so histories without one do not change.
   */
  static final String STRICT_INPUTS = Observations.STRICT_INPUTS;
  /**
   * Runs before v1 continued as new only after their window count, even when Temporal suggested it earlier (a
   * history grown large by big signals). Asked only when Temporal suggests it.
   */
  static final String HONOUR_CONTINUE_AS_NEW_SUGGESTED = "honour-continue-as-new-suggested";
  /**
   * Releases before v1 validated their policy (and a re-release's revised policy) without the ranges of
   * {@code PolicyBounds} and read fractional whole numbers as whole. Asked only when those alone object.
   */
  static final String STRICT_POLICY = "strict-policy";

  /**
   * Releases before v1 promoted a stage gated by a promotion approval as soon as any other decision settled in it
   * (a refused rollback, a closed investigation), without that approval. Asked only when such a decision settles in
   * a gated stage.
   */
  static final String PROMOTE_ONLY_WHEN_APPROVED = "promote-only-when-approved";

  /**
   * Releases before v1 retried a router's refusal ({@code RouterRejected}, which retrying cannot fix) every minute
   * forever. Asked only when the router refuses.
   */
  static final String HALT_ON_REJECTED_ROUTER = "halt-on-rejected-router";

  /**
   * Shadow stages of a policy with {@code router.mirror: true} turn mirroring on and off with the router. Asked only
   * for such policies, which no release before v1 could have (the field did not exist).
   */
  static final String SHADOW_MIRROR = "shadow-mirror";

  /**
   * Releases before v1 accepted a rollback right without a deadline, or defaulting to anything but rollback at it,
   * without a stated reason ({@code FailSafeChecks}). Asked only for a policy those rules object to.
   */
  static final String FAIL_SAFE = "fail-safe-rights";

  /**
   * Break-glass rollbacks (a criterion's {@code breakGlass: true}, a person's {@code now: true}) send the candidate to
   * 0 % in one step. Asked only when a release meets one; before v1 a {@code now} field was unknown and refused.
   */
  static final String BREAK_GLASS = "break-glass";

  /**
   * Releases before v1 let {@code maxInconclusive} count only inconclusive windows in a row. Asked only in a window
   * where the count over {@code evaluation.inconclusiveSpan} alone would make a criterion fire.
   */
  static final String INCONCLUSIVE_SPAN = "inconclusive-span";

  /**
   * Releases before v1 promoted a baked stage however few of its windows each criterion was conclusive in. Asked only
   * when a baked stage falls short of {@code evaluation.minCoverage}.
   */
  static final String MIN_COVERAGE = "min-coverage";

  /**
   * A policy's {@code rollback.unsafeAfter}: past that stage a trigger freezes the release instead of rolling back.
   * Asked only for policies that declare it.
   */
  static final String FREEZE = "freeze-when-rollback-unsafe";

  /**
   * A policy's {@code evaluation.afterPromotion}: after the last stage, a holdout and a watch before completing.
   * Asked once, at the start, only for policies that declare it.
   */
  static final String AFTER_PROMOTION = "after-promotion-watch";

  /**
   * Sequential tests with today's arithmetic ({@code SequentialTest.Rules.V2}: the excursion guard and the
   * overdispersion correction). Asked at every window of a release whose policy runs a sequential test and that is
   * not pinned ({@link #ARITHMETIC_PINNED}); releases before v1 judge by V1. The SDK fixes a marker's answer for the
   * rest of a run at its first ask, so a release that was running when its worker was upgraded keeps V1 until its
   * next continue-as-new and takes V2 there, its dispersion estimate starting from that window.
   */
  static final String DETECTION_V2 = "detection-v2";

  private Versions() {}

  /**
   * Verified identity ({@code governance.identity.mode: verified}): decisions count only with a valid token, the
   * issuer's keys are read by an activity. Asked only for releases whose policy verifies identity.
   */
  static final String VERIFIED_IDENTITY = "verified-identity";

  /**
   * A policy's {@code evidence.store}: evidence bundles written at the trigger and at the end of every run. Asked only
   * for policies that name a store.
   */
  static final String EVIDENCE = "evidence-bundles";

  /**
   * A person's decision (or re-release request) that arrives while the release validates (before its first workflow
   * task, or while its first stage is set) waits until the release has entered its first state and is then judged
   * like any other; releases before v1 refused it ("the release is VALIDATING"). Asked only when one arrives then.
   */
  static final String DECIDE_AFTER_VALIDATING = "decide-after-validating";

  /**
   * A person's pause that arrived while the release was busy elsewhere (reading a window, setting traffic) or before
   * the run's first workflow task is told to people too; releases before v1 told only a pause that woke them. Asked
   * only when such a pause has not been told.
   */
  static final String ANNOUNCE_EVERY_PAUSE = "announce-every-pause";

  /**
   * An {@code acknowledge} with a field it does not know (say {@code "sudo": true}) is refused, as every other
   * decision's is; releases before v1 took it. Asked only when such a payload arrives.
   */
  static final String STRICT_ACKNOWLEDGE = "strict-acknowledge";

  /**
   * A pushed window with a negative value for a quantile or ratio signal (a latency, a duration, a count) is refused
   * as malformed; releases before v1 evaluated it. Asked only when such a window arrives.
   */
  static final String NON_NEGATIVE_VALUES = Observations.NON_NEGATIVE_VALUES;

  /**
   * Releases before v1 accepted policies that {@code ConsistencyChecks} refuses (names with spaces or control
   * characters, a principal twice in a role, conditions nested past its depth, an investigation weight above a
   * stage's, only alert-only criteria without {@code dryRun: true}). Asked only for a policy those rules object to.
   */
  static final String CONSISTENT_POLICY = "consistent-policy";

  /**
   * A person's pause or resume is recorded by its handler and the state entered by the release's loop, when it next
   * looks; releases before v1 entered PAUSED (or left it) in the signal handler itself, while the loop might be
   * reading a window or setting traffic. Asked at the start of every run (a handler must not ask it: asking may
   * yield, and the loop's commands would overtake the handler's).
   */
  static final String LOOP_ENTERS_STATES = "loop-enters-states";

  /**
   * Releases before v1 accepted a signal scored by an LLM judge from a source that reads no judge health (Prometheus,
   * HTTP); such a release paused as inconclusive and acted at its deadline ({@code SourceFitChecks}). Asked only for a
   * policy that rule objects to.
   */
  static final String SOURCE_FIT = "source-fit";

  /**
   * From this marker a sample ratio mismatch makes the arms' comparisons inconclusive for the rest of the stage and
   * takes the policy's {@code evaluation.sampleRatio} action (by default: pause for investigation); releases before it
   * compared on. Asked when a mismatch is first found in a stage, so a release in flight picks it up at its next
   * mismatch, and releases that never meet one record nothing ({@link SampleRatioGuard}).
   */
  static final String SAMPLE_RATIO = "sample-ratio";

  /**
   * From this marker a test of means also watches its sums since each stage began ({@code SequentialTest.Rules.V3}),
   * so a candidate healthy in its shadow stage and worse once exposed is found at the exposed stage's pace; releases
   * before it summed over the whole release. Asked at each window of a release whose policy has a test of means.
   */
  static final String MEANS_BY_STAGE = "means-by-stage";

  /**
   * From this marker a quantile's sequential test also sums its evidence since each stage began
   * ({@code SequentialTest.Rules#quantileRestarts}), so a candidate no slower in its shadow and slower once exposed is
   * found at the exposed stage's pace; releases before it summed over the whole release. Asked at each window of a
   * release whose policy tests a quantile.
   */
  static final String QUANTILES_BY_STAGE = "quantiles-by-stage";

  /**
   * From this marker a rollout's arithmetic ({@code SequentialTest.Rules}) is chosen once, when it starts, and carried
   * in its state ({@code Progress.arithmetic}) through every continue-as-new: a deploy never changes how a running
   * release is judged, and a build that does not know the pinned arithmetic fails the workflow task (retried until a
   * build that knows it takes it) instead of judging by another. Asked once, at the start of each rollout; releases
   * started before it choose by {@link #DETECTION_V2}, {@link #MEANS_BY_STAGE} and {@link #QUANTILES_BY_STAGE}.
   */
  static final String ARITHMETIC_PINNED = "arithmetic-pinned";

  /**
   * The arithmetic each version of marker {@link #ARITHMETIC_PINNED} pins, oldest first: the marker records the
   * newest this build has when a rollout starts, and a replay (on this build or a later one) reads back what was
   * recorded, so a rollout keeps its arithmetic whatever build replays it. A build older than the recorded version
   * fails the workflow task (the SDK's "version not supported"), retried until a newer build takes it.
   */
  static final List<String> PINNABLE = List.of("v4", "v5", "v6", "v7", "v8");

  /**
   * From this marker a verified token decides in one release only: the first release it is presented to claims it in
   * the namespace's record of spent tokens ({@code SpentTokensWorkflow}, through an activity), and the token that
   * started a release is spent by the start. Releases before it counted a token once per release and let the start
   * token decide once. Asked only when a token verifies, so histories without one record nothing.
   */
  static final String TOKENS_ONCE_IN_NAMESPACE = "tokens-once-in-namespace";

  /**
   * From this marker an {@code acknowledge} of a playbook step counts under verified identity only with a token (its
   * person is the owner; a typed {@code by} is refused), as every decision does; releases before it took the typed
   * name. Asked only when an acknowledgement arrives under verified identity or carries a token.
   */
  static final String VERIFIED_ACKNOWLEDGE = "verified-acknowledge";

  /**
   * From this marker what a sent token proves (who, its id and expiry, or why it is refused) is computed once and
   * recorded in the history as a side effect; releases before it verified the token again on every replay. With it,
   * a history whose tokens were redacted for sharing replays the same. Asked only when a token is sent.
   */
  static final String VERIFICATION_RECORDED = "verification-recorded";

  /**
   * Asked at the start of every run with this build's {@link #GENERATION}: the marker records the generation of the
   * build that started the run, and a build of an older generation that replays it fails the workflow task (the
   * SDK's "version not supported", retried until a build that knows every marker takes it) instead of skipping the
   * markers it does not know and running its own, older logic on a newer history. Runs before it record nothing.
   */
  static final String BUILD_GENERATION = "build-generation";

  /** Every marker above, oldest first; a new one is added at the end, which raises {@link #GENERATION}. */
  static final List<String> ALL = List.of(NOTIFY_ON_PAUSE, NOTIFY_WHILE_ACTING, LOCAL_OBSERVATION_READS,
      STAGGERED_ROLLOVER, STRICT_INPUTS, HONOUR_CONTINUE_AS_NEW_SUGGESTED, STRICT_POLICY, PROMOTE_ONLY_WHEN_APPROVED,
      HALT_ON_REJECTED_ROUTER, SHADOW_MIRROR, FAIL_SAFE, BREAK_GLASS, INCONCLUSIVE_SPAN, MIN_COVERAGE, FREEZE,
      AFTER_PROMOTION, DETECTION_V2, VERIFIED_IDENTITY, EVIDENCE, DECIDE_AFTER_VALIDATING, ANNOUNCE_EVERY_PAUSE,
      STRICT_ACKNOWLEDGE, NON_NEGATIVE_VALUES, CONSISTENT_POLICY, LOOP_ENTERS_STATES, SOURCE_FIT, SAMPLE_RATIO,
      MEANS_BY_STAGE, QUANTILES_BY_STAGE, ARITHMETIC_PINNED, TOKENS_ONCE_IN_NAMESPACE, VERIFIED_ACKNOWLEDGE,
      VERIFICATION_RECORDED, BUILD_GENERATION);

  /**
   * This build's generation: how many markers it knows. Every build that changes what a release does adds a marker,
   * so a later build always has a higher generation than an earlier one.
   */
  static final int GENERATION = ALL.size();

  /**
   * The generation recorded for this run: {@code generation} (this build's) when the run starts on it, the recorded
   * one on replay, {@code DEFAULT_VERSION} for runs from before the marker. Throws (the task fails and is retried)
   * when the recorded generation is newer than {@code generation}.
   */
  static int buildGeneration(int generation) {
    return Workflow.getVersion(BUILD_GENERATION, Workflow.DEFAULT_VERSION, generation);
  }

  /** The arithmetic to pin a rollout starting now to; null for histories from before the marker. */
  static String pinnedArithmetic() {
    int v = Workflow.getVersion(ARITHMETIC_PINNED, Workflow.DEFAULT_VERSION, PINNABLE.size());
    return v == Workflow.DEFAULT_VERSION ? null : PINNABLE.get(v - 1);
  }

  /** The policy rules this release judges by (see {@link PolicyGate}). */
  static PolicyGate.Rules policyRules() {
    return new PolicyGate.Rules(() -> !has(STRICT_POLICY), () -> !has(FAIL_SAFE), () -> !has(CONSISTENT_POLICY),
        () -> !has(SOURCE_FIT));
  }

  /** Whether this release takes the change {@code marker} guards (always, for releases started after it). */
  static boolean has(String marker) {
    return Workflow.getVersion(marker, Workflow.DEFAULT_VERSION, 1) >= 1;
  }
}
