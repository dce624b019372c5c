package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Sticky assignment: every request that carries the same value of {@code header} (or of the cookie {@code cookie})
 * goes to the same version for as long as the weights stand, and a user on the candidate stays on it as its weight
 * grows. One of the two is set. What each router makes of it is in docs/policy.md ("Sticky users"): HAProxy hashes
 * the value onto a consistent-hashing ring weighted like the servers, a Gateway API route gets session persistence,
 * an HTTP gateway is told in the contract's {@code stickiness} field, KServe cannot do it, and in judge mode the
 * controller that moves traffic must.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Stickiness(String header, String cookie) {
  /** What carries a user's identity, for people: {@code header X-User-Id} or {@code cookie session}. */
  @JsonIgnore
  public String describe() {
    return header != null ? "header " + header : "cookie " + cookie;
  }
}
