package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where the release's evidence bundles go, so the evidence outlives the namespace's retention: a content-addressed
 * directory ({@code file:///var/lib/ripcord/evidence}). Each bundle is written by the worker at the trigger (once the
 * release is rolled back) and at the end of every run; only its URI and digest enter the history.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvidenceSpec(String store) {}
