package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What is released: the model, the candidate version replacing the baseline, where it runs, what it is built from.
 *
 * @param bundle every part the candidate is made of, by part name (see {@link Bundles#KNOWN_PARTS}); optional
 * @param baselineBundle the same for the baseline, so a rollback names the whole bundle it restores; optional
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReleaseSpec(
    String model, String candidate, String baseline, String context, Artifacts artifacts,
    Map<String, BundlePart> bundle, Map<String, BundlePart> baselineBundle) {

  public ReleaseSpec(String model, String candidate, String baseline, String context, Artifacts artifacts) {
    this(model, candidate, baseline, context, artifacts, null, null);
  }

  /** The versioned artifacts behind the candidate, recorded so an incident can be traced to them. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Artifacts(String prompt, String trainingData, String evalReport) {}

  /** The same release of another candidate and/or with another eval report (null keeps the current one). */
  public ReleaseSpec fixedBy(String newCandidate, String newEvalReport) {
    Artifacts a = artifacts;
    if (newEvalReport != null) {
      a = a == null ? new Artifacts(null, null, newEvalReport)
          : new Artifacts(a.prompt(), a.trainingData(), newEvalReport);
    }
    return new ReleaseSpec(model, newCandidate == null ? candidate : newCandidate, baseline, context, a, bundle,
        baselineBundle);
  }

  /** The candidate bundle's id ({@link Bundles#id}), or null without a bundle. */
  public String bundleId() {
    return Bundles.id(bundle);
  }
}
