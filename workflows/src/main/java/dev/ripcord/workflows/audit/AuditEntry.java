package dev.ripcord.workflows.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of the audit log: when (workflow time), what kind, who (and in which role), and what, with the numbers.
 * Actor, role and message are bounded ({@link AuditText}) whatever a sender put into them.
 *
 * @param kind STATE, DECISION, TRIGGER, APPROVAL, REFUSED, ACTION, ACTION_FAILED, NOTIFY, OBSERVATION, PLAYBOOK, or
 *     EARLIER (a pointer to the entries that earlier runs' histories hold)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEntry(int seq, String at, String kind, String actor, String role, String message) {

  public AuditEntry {
    actor = AuditText.cap(actor, AuditText.MAX_NAME);
    role = AuditText.cap(role, AuditText.MAX_NAME);
    message = AuditText.cap(message, AuditText.MAX_MESSAGE);
  }

  @Override
  public String toString() {
    return at + "  " + String.format(java.util.Locale.ROOT, "%-13s", kind) + " "
        + (actor == null ? "" : actor + (role == null ? "" : " (" + role + ")") + ": ") + message;
  }
}
