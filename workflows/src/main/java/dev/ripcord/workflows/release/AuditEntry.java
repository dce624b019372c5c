package dev.ripcord.workflows.release;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of the audit log: when (workflow time), what kind, who (and in which role), and what, with the numbers.
 *
 * @param kind STATE, DECISION, TRIGGER, APPROVAL, REFUSED, ACTION, ACTION_FAILED, NOTIFY, OBSERVATION
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEntry(int seq, String at, String kind, String actor, String role, String message) {

  @Override
  public String toString() {
    return at + "  " + String.format("%-13s", kind) + " "
        + (actor == null ? "" : actor + (role == null ? "" : " (" + role + ")") + ": ") + message;
  }
}
