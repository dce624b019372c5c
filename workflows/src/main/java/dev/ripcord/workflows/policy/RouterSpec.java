package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The traffic router the release drives. {@code type: http} is a gateway that accepts
 * {@code PUT <url>/routes/<route>} with absolute weights and an {@code Idempotency-Key} header.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouterSpec(String type, String url, String route) {}
