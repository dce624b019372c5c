package dev.ripcord.workflows.playbook;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Where one playbook step stands: {@code waiting} (for the steps it comes after), {@code running}, {@code open} (a
 * human step until acknowledged), {@code overdue} (open past its deadline, escalated), {@code done},
 * {@code skipped} or {@code failed}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlaybookStep(String name, String kind, String status, List<String> owners, String openedAt,
    String due, String closedBy, String outcome, String closedAt) {

  public PlaybookStep(String name, String kind, String status, List<String> owners, String openedAt, String due,
      String closedBy, String outcome) {
    this(name, kind, status, owners, openedAt, due, closedBy, outcome, null);
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isOpen() {
    return status.equals("open") || status.equals("overdue");
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isFinished() {
    return status.equals("done") || status.equals("skipped") || status.equals("failed");
  }

  public PlaybookStep with(String newStatus, String newDue, String newClosedBy, String newOutcome, String newClosedAt) {
    return new PlaybookStep(name, kind, newStatus, owners, openedAt, newDue, newClosedBy, newOutcome, newClosedAt);
  }
}
