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
 * {@code identity} says who vouches for the people deciding (absent: declared, names as typed).
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
    String identity) {

  public ReleaseStatus(String releaseId, String model, String candidate, String baseline, ReleaseState state,
      String stage, int stageIndex, int stageCount, int weight, String bake, String baked, long stageSamples,
      long minSamples, int windows, Verdict lastVerdict, String lastExplanation, OpenDecision waitingFor,
      String pausedBy, String triggeredAt, String mitigatedAt, String policyHash, String line,
      List<PlaybookStep> playbook, String breakGlass, List<String> failSafeWaivers, String releasedBy) {
    this(releaseId, model, candidate, baseline, state, stage, stageIndex, stageCount, weight, bake, baked,
        stageSamples, minSamples, windows, lastVerdict, lastExplanation, waitingFor, pausedBy, triggeredAt,
        mitigatedAt, policyHash, line, playbook, breakGlass, failSafeWaivers, releasedBy, null);
  }
}
