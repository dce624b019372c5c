package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The breach must hold in {@code windows} of the last {@code of} evaluation windows (default 1 of 1). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SustainSpec(Integer windows, Integer of) {}
