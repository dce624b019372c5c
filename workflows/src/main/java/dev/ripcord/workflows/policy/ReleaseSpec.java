package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What is released: the model, the candidate version replacing the baseline, where it runs, what it is built from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReleaseSpec(
    String model, String candidate, String baseline, String context, Artifacts artifacts) {

  /** The versioned artifacts behind the candidate, recorded so an incident can be traced to them. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Artifacts(String prompt, String trainingData, String evalReport) {}
}
