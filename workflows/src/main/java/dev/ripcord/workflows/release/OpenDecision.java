package dev.ripcord.workflows.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A decision the release is waiting for from a person.
 *
 * @param right the decision right needed: promote, rollback or resume
 * @param deadline ISO-8601 workflow time, or null for none
 * @param onTimeout what happens at the deadline: rollback, continue or hold
 * @param criteria the criteria that asked for it (for rollback approvals and investigations)
 * @param approvals who has approved so far (toward the right's quorum)
 * @param quorum how many different people must approve
 * @param escalated how many steps of the right's escalation chain have been taken
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OpenDecision(
    String right, List<String> roles, String requestedAt, String deadline, String onTimeout, String reason,
    List<String> criteria, List<String> approvals, Integer quorum, Integer escalated) {

  public List<String> approvalsSoFar() {
    return approvals == null ? List.of() : approvals;
  }

  public int escalationSteps() {
    return escalated == null ? 0 : escalated;
  }
}
