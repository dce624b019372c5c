package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How often the release is evaluated and what happens when data stays missing.
 *
 * @param interval the evaluation window, e.g. {@code 1m}
 * @param maxInconclusive consecutive windows without conclusive data before {@code onInconclusive} applies
 * @param onInconclusive the action then: {@code pause-and-investigate} (default), {@code rollback},
 *     {@code rollback-after-approval} or {@code alert-only}
 * @param windowsPerRun evaluation windows per workflow run before it continues as new (bounds history)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationSpec(String interval, Integer maxInconclusive, String onInconclusive, Integer windowsPerRun) {}
