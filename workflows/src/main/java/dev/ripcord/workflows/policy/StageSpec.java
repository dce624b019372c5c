package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One traffic step. Weight 0 is a shadow/sandbox stage (no user exposure, automated checks only).
 *
 * @param weight percent of traffic on the candidate, 0..100, strictly increasing across stages
 * @param bake how long the stage is watched before promotion, e.g. {@code 30m}
 * @param minSamples candidate trials needed in this stage before promotion
 * @param approval when true, promotion past this stage waits for the {@code promote} decision right
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageSpec(String name, Integer weight, String bake, Long minSamples, Boolean approval) {

  public boolean needsApproval() {
    return Boolean.TRUE.equals(approval);
  }

  public long minSamplesOrZero() {
    return minSamples == null ? 0 : minSamples;
  }
}
