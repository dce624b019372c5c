package dev.ripcord.workflows.approval;

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
 * @param approvedAs the role each approval was taken in, in the order of {@code approvals} (absent in histories
 *     from before per-role quorums)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OpenDecision(
    String right, List<String> roles, String requestedAt, String deadline, String onTimeout, String reason,
    List<String> criteria, List<String> approvals, Integer quorum, Integer escalated, List<String> approvedAs) {

  public OpenDecision(String right, List<String> roles, String requestedAt, String deadline, String onTimeout,
      String reason, List<String> criteria, List<String> approvals, Integer quorum, Integer escalated) {
    this(right, roles, requestedAt, deadline, onTimeout, reason, criteria, approvals, quorum, escalated, null);
  }

  public List<String> approvalsSoFar() {
    return approvals == null ? List.of() : approvals;
  }

  /** The roles approvals were taken in so far (null for approvals recorded before roles were kept). */
  public List<String> rolesSoFar() {
    List<String> r = new java.util.ArrayList<>(approvedAs == null ? List.of() : approvedAs);
    while (r.size() < approvalsSoFar().size()) {
      r.add(null);
    }
    return r;
  }

  /** Of {@code required}, the roles no approval has been taken in yet. */
  public List<String> missingRoles(List<String> required) {
    List<String> have = rolesSoFar();
    return required.stream().filter(x -> !have.contains(x)).toList();
  }

  /** This decision with one more approval, by {@code by} in {@code role}. */
  public OpenDecision withApproval(String by, String role) {
    List<String> people = new java.util.ArrayList<>(approvalsSoFar());
    people.add(by);
    List<String> asRoles = rolesSoFar();
    asRoles.add(role);
    return new OpenDecision(right, roles, requestedAt, deadline, onTimeout, reason, criteria, List.copyOf(people),
        quorum, escalated, java.util.Collections.unmodifiableList(asRoles));
  }

  /** This decision open to more roles, one escalation step further. */
  public OpenDecision escalatedTo(List<String> widened) {
    return new OpenDecision(right, widened, requestedAt, deadline, onTimeout, reason, criteria, approvals, quorum,
        escalationSteps() + 1, approvedAs);
  }

  public int escalationSteps() {
    return escalated == null ? 0 : escalated;
  }
}
