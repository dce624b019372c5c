package dev.ripcord.worker.judge;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ripcord.workflows.decision.Verdict;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseStatus;
import java.util.List;

/**
 * What a release in judge mode ({@code router.type: external}) answers the controller that moves its traffic:
 * Flagger's webhooks and Argo Rollouts' Web metric. Pure: it reads the release's status and nothing else.
 */
public final class JudgeMode {
  /** The Flagger webhooks Ripcord answers (Flagger proceeds on HTTP 200, holds or waits on anything else). */
  public static final List<String> FLAGGER_HOOKS = List.of("confirm-rollout", "confirm-traffic-increase",
      "confirm-promotion", "rollback");

  private JudgeMode() {}

  /**
   * The verdict document Argo Rollouts' Web metric reads ({@code successCondition: result.healthy == true},
   * {@code failureCondition: result.rollback == true}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Judgement(String releaseId, ReleaseState state, String stage, int weight, boolean healthy,
      boolean rollback, boolean promote, String waitingFor, String reason) {}

  public static Judgement judge(ReleaseStatus s) {
    boolean rollback = s.state() == ReleaseState.ROLLING_BACK || s.state() == ReleaseState.VERIFYING
        || s.state() == ReleaseState.ROLLED_BACK || s.state() == ReleaseState.HALTED;
    boolean verdictOk = s.lastVerdict() == null || s.lastVerdict() == Verdict.CONTINUE
        || s.lastVerdict() == Verdict.ALERT;
    boolean watchingFreely = (s.state() == ReleaseState.SHADOW || s.state() == ReleaseState.ROLLING_OUT)
        && s.pausedBy() == null && s.waitingFor() == null;
    boolean healthy = s.state() == ReleaseState.COMPLETED || (watchingFreely && verdictOk);
    String reason = rollback ? "the release is " + s.state() + ": roll back"
        : s.waitingFor() != null ? "waiting for '" + s.waitingFor().right() + "' from " + s.waitingFor().roles()
        : s.pausedBy() != null ? "paused by " + s.pausedBy()
        : !verdictOk ? "last window: " + s.lastVerdict().label()
        : healthy ? "healthy" : "the release is " + s.state();
    return new Judgement(s.releaseId(), s.state(), s.stage(), s.weight(), healthy, rollback,
        s.state() == ReleaseState.COMPLETED, s.waitingFor() == null ? null : s.waitingFor().right(), reason);
  }

  /** Whether Flagger's {@code hook} may proceed (HTTP 200) for a release in this state. */
  public static boolean flaggerMayProceed(String hook, Judgement j) {
    return switch (hook) {
      case "confirm-rollout" -> !j.rollback() && j.state() != ReleaseState.COMPLETED;
      case "confirm-traffic-increase" -> j.healthy() && !j.promote();
      case "confirm-promotion" -> j.promote();
      case "rollback" -> j.rollback();
      default -> throw new IllegalArgumentException("not a Flagger webhook Ripcord answers: " + hook + "; use one of "
          + FLAGGER_HOOKS);
    };
  }
}
