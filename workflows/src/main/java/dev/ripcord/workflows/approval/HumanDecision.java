package dev.ripcord.workflows.approval;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A person's decision, as typed into the Temporal UI's "Send a Signal" box ({@code {"by": "...", "role": "...",
 * "comment": "..."}}, the decision being the signal's name) or sent by {@code ripcord approve}.
 *
 * @param decision approve, reject, pause, resume or rollback
 * @param by the principal, as listed under the policy's governance.roles
 * @param role optional: the role they act in; when absent, the first of their roles that holds the right is used
 * @param outcome for {@code investigate} only: continue, rollback or hold
 * @param now for {@code rollback} only: break-glass, the candidate to 0 % in one step, skipping the staged holds
 * @param token under {@code governance.identity.mode: verified}: the person's signed token from the trusted issuer
 *     (then {@code by} may be left out: the token names the person)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HumanDecision(String decision, String by, String role, String comment, String outcome, Boolean now,
    String token) {

  public HumanDecision(String decision, String by, String role, String comment, String outcome, Boolean now) {
    this(decision, by, role, comment, outcome, now, null);
  }

  /** The same decision as {@code principal} decided it, the token checked and left behind. */
  public HumanDecision as(String principal) {
    return new HumanDecision(decision, principal, role, comment, outcome, now, null);
  }

  public HumanDecision(String decision, String by, String role, String comment, String outcome) {
    this(decision, by, role, comment, outcome, null);
  }

  /** Whether this is a break-glass rollback. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean breakGlass() {
    return Boolean.TRUE.equals(now) && "rollback".equals(decision);
  }

  public HumanDecision(String decision, String by, String role, String comment) {
    this(decision, by, role, comment, null);
  }
}
