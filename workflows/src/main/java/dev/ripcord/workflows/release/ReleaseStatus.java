package dev.ripcord.workflows.release;

import dev.ripcord.workflows.approval.OpenDecision;
import dev.ripcord.workflows.playbook.PlaybookStep;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ripcord.workflows.decision.Verdict;

/**
 * The one status record: returned by the {@code status} query, mirrored in search attributes and in the Temporal
 * UI's current-details line ({@link #line}). {@code breakGlass} says why a rollback is break-glass (absent for a
 * staged one); {@code failSafeWaivers} lists the fail-safe defaults the policy leaves on purpose, with its reasons;
 * {@code identity} says who vouches for the people deciding (absent: declared, names as typed); {@code bundle}
 * what the candidate is made of (absent without {@code release.bundle}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReleaseStatus(
    String releaseId,
    String model,
    String candidate,
    String baseline,
    ReleaseState state,
    String stage,
    int stageIndex,
    int stageCount,
    int weight,
    String bake,
    String baked,
    long stageSamples,
    long minSamples,
    int windows,
    Verdict lastVerdict,
    String lastExplanation,
    OpenDecision waitingFor,
    String pausedBy,
    String triggeredAt,
    String mitigatedAt,
    String policyHash,
    String line,
    List<PlaybookStep> playbook,
    String breakGlass,
    List<String> failSafeWaivers,
    String releasedBy,
    String identity,
    BundleView bundle) {

  /**
   * The release bundle ({@code release.bundle}): its id, its parts as {@code name version (digest)}, and the
   * baseline's id when the policy describes it; the whole of it is in the policy recorded in history.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BundleView(String id, List<String> parts, String baseline) {}

  public ReleaseStatus(String releaseId, String model, String candidate, String baseline, ReleaseState state,
      String stage, int stageIndex, int stageCount, int weight, String bake, String baked, long stageSamples,
      long minSamples, int windows, Verdict lastVerdict, String lastExplanation, OpenDecision waitingFor,
      String pausedBy, String triggeredAt, String mitigatedAt, String policyHash, String line,
      List<PlaybookStep> playbook, String breakGlass, List<String> failSafeWaivers, String releasedBy,
      String identity) {
    this(releaseId, model, candidate, baseline, state, stage, stageIndex, stageCount, weight, bake, baked,
        stageSamples, minSamples, windows, lastVerdict, lastExplanation, waitingFor, pausedBy, triggeredAt,
        mitigatedAt, policyHash, line, playbook, breakGlass, failSafeWaivers, releasedBy, identity, null);
  }

  public ReleaseStatus(String releaseId, String model, String candidate, String baseline, ReleaseState state,
      String stage, int stageIndex, int stageCount, int weight, String bake, String baked, long stageSamples,
      long minSamples, int windows, Verdict lastVerdict, String lastExplanation, OpenDecision waitingFor,
      String pausedBy, String triggeredAt, String mitigatedAt, String policyHash, String line,
      List<PlaybookStep> playbook, String breakGlass, List<String> failSafeWaivers, String releasedBy) {
    this(releaseId, model, candidate, baseline, state, stage, stageIndex, stageCount, weight, bake, baked,
        stageSamples, minSamples, windows, lastVerdict, lastExplanation, waitingFor, pausedBy, triggeredAt,
        mitigatedAt, policyHash, line, playbook, breakGlass, failSafeWaivers, releasedBy, null, null);
  }
}
