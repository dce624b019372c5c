package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where observations come from. {@code pushed}: counts arrive through the {@code observe} signal
 * ({@code ripcord observe}); {@code scripted}: a scenario registered with the worker (demos, drills, tests).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObservationSpec(String source, String scenario) {}
