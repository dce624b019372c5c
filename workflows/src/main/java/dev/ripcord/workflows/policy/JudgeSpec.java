package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The LLM judge that scores a signal, and what the release requires of it.
 *
 * @param name the judge, e.g. {@code grounding-judge}; signals scored by the same judge name it alike
 * @param version the judge's version the release's evidence is valid for (model and prompt); windows a judge of
 *     another version scored are not counted, and the change is audited
 * @param maxErrorRate the largest share of the judge's calls in a window that may error or time out (optional)
 * @param minAgreement the least share of the calibration sample's human labels the judge must agree with (optional)
 * @param minLabels the calibration labels needed before agreement is judged (default 50)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JudgeSpec(String name, String version, Double maxErrorRate, Double minAgreement, Integer minLabels) {
  public static final int DEFAULT_MIN_LABELS = 50;

  public int minLabelsOrDefault() {
    return minLabels == null ? DEFAULT_MIN_LABELS : minLabels;
  }
}
