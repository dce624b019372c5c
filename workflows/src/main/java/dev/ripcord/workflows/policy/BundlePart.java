package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One part of a release bundle: the weights, the system prompt, the decoding parameters, the guardrails, a retrieval
 * index snapshot, the tool definitions, or a team's own ({@code x-<name>}).
 *
 * @param version what people call this part's version, e.g. {@code support@4} for a prompt, or the model version for
 *     the weights
 * @param digest the content digest, {@code <algorithm>:<hex>} (e.g. {@code sha256:…}), so the bundle id changes
 *     whenever the content does, whatever the version says
 * @param uri where the part lives (optional), e.g. {@code s3://models/chat-v2/}
 * @param settings the part's values when they are small enough to record (optional), e.g. decoding's temperature
 * @param irreversible set when this part cannot be reverted once a stage is reached (a one-way index migration)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundlePart(String version, String digest, String uri, Map<String, Object> settings,
    Irreversible irreversible) {

  /**
   * @param stage the first stage from whose start reverting this part would do harm
   * @param reason what a rollback would break, shown in the audit, the status and the page
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Irreversible(String stage, String reason) {}

  /** {@code version@digest-prefix}, how the audit names a part. */
  public String label() {
    String d = digest == null ? "" : digest.substring(digest.indexOf(':') + 1);
    return version + (d.isEmpty() ? "" : " (" + d.substring(0, Math.min(12, d.length())) + ")");
  }
}
