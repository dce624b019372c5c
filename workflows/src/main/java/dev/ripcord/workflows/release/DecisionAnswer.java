package dev.ripcord.workflows.release;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The answer to a human decision sent as an update: accepted, or refused with the reason (both are audited). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionAnswer(boolean accepted, String decision, String by, String role, String reason, ReleaseState state) {}
