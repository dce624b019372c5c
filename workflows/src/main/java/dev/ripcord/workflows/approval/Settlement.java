package dev.ripcord.workflows.approval;

/**
 * How an open decision settled: what the release does next, and who (or which deadline) decided it. A
 * {@code Granted} rollback rolls back; a {@code Granted} promotion promotes; a {@code Granted} resume resumes.
 */
public sealed interface Settlement {
  /** Who decided, as the audit log names them: a person, {@code "a + b"} for a quorum, or {@code deadline}. */
  String by();

  /** Whether the decision's deadline decided, under the right's {@code onTimeout}. */
  boolean byDeadline();

  /** Nobody answered and no deadline passed. */
  record Open() implements Settlement {
    @Override
    public String by() {
      return null;
    }

    @Override
    public boolean byDeadline() {
      return false;
    }
  }

  /** Someone (or the deadline, under {@code onTimeout: hold}) said to keep waiting: the decision is asked again. */
  record Held(String by, boolean byDeadline) implements Settlement {}

  /** The decision's question was answered yes. */
  record Granted(String by, boolean byDeadline) implements Settlement {}

  /** The decision's question was answered no. */
  record Refused(String by, boolean byDeadline) implements Settlement {}
}
