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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HumanDecision(String decision, String by, String role, String comment, String outcome) {

  public HumanDecision(String decision, String by, String role, String comment) {
    this(decision, by, role, comment, null);
  }
}
