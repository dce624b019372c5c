package dev.ripcord.workflows.approval;


import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The kinds of decision a person sends a release, one entry each: the signal's name (also the CLI command and the
 * update's {@code decision}), the right it needs, the fields its payload takes beyond {@code by}, {@code role},
 * {@code comment} (and {@code token} under verified identity), and what it does. The signal handlers, the update's
 * validator ({@link HumanDecisions}), the gates ({@link Gates}) and the CLI all read this list; who may not take a
 * decision is the right's ({@code notBy}, see {@link DecisionRights#releaserRefusal}). What a kind does to a release
 * is the release's {@code Decisions}. Adding a kind: an entry here, its effect there, and docs/deciding.md.
 */
public enum DecisionKind {
  APPROVE("approve", null, List.of(),
      "Approve what the release is waiting for (rollback, promotion, resuming after an investigation)."),
  REJECT("reject", null, List.of(), "Reject what the release is waiting for."),
  PAUSE("pause", "pause", List.of(), "Hold exposure where it is: no promotion until resumed (criteria are still"
      + " watched)."),
  RESUME("resume", "resume", List.of(), "Resume a paused release (or approve resuming after an investigation)."),
  ROLLBACK("rollback", "rollback", List.of("now"), "Roll back now, from any exposed state; break-glass (\"now\":"
      + " true, or --now) sends the candidate to 0 % in one step."),
  INVESTIGATE("investigate", "resume", List.of("outcome"), "End an investigation after a pause-and-investigate"
      + " trigger: continue, rollback or hold.");

  /** The fields every decision takes. */
  public static final List<String> COMMON_FIELDS = List.of("by", "role", "comment");

  private final String signal;
  private final String right;
  private final List<String> extraFields;
  private final String description;

  DecisionKind(String signal, String right, List<String> extraFields, String description) {
    this.signal = signal;
    this.right = right;
    this.extraFields = extraFields;
    this.description = description;
  }

  /** The signal's name, the CLI command and the update's {@code decision}. */
  public String signal() {
    return signal;
  }

  /**
   * The right this kind needs, or null for approve and reject, which answer whatever decision is open. An
   * investigation's outcome answers the open {@code resume} decision only.
   */
  public String right() {
    return right;
  }

  /** The payload fields this kind takes beyond {@link #COMMON_FIELDS}. */
  public List<String> extraFields() {
    return extraFields;
  }

  /** What the decision does, in one sentence (CLI help, docs). */
  public String description() {
    return description;
  }

  /** The kind a signal or update names, or null. */
  public static DecisionKind of(String signal) {
    return Arrays.stream(values()).filter(k -> k.signal.equals(signal)).findFirst().orElse(null);
  }

  /** Every kind's signal name, in order. */
  public static List<String> signals() {
    return Arrays.stream(values()).map(DecisionKind::signal).toList();
  }

  /** The right a decision of this kind addresses, given what is open; null when it addresses nothing now. */
  public String rightAddressed(OpenDecision open) {
    return switch (this) {
      case APPROVE, REJECT -> open == null ? null : open.right();
      case INVESTIGATE -> open != null && right.equals(open.right()) ? right : null;
      default -> right;
    };
  }

  /**
   * What the decision does: an investigation's outcome and a resume that answers the open decision count as approve,
   * reject or hold; every other kind is itself.
   */
  public String effective(String investigationOutcome, boolean answersOpen) {
    if (this == INVESTIGATE) {
      return switch (investigationOutcome) {
        case "continue" -> "approve";
        case "rollback" -> "reject";
        default -> "hold";
      };
    }
    return this == RESUME && answersOpen ? "approve" : signal;
  }

  /** The fields the payload may carry, as a sender is told them. */
  public List<String> fields(boolean withNow, boolean withToken) {
    List<String> out = new ArrayList<>();
    if (withToken) {
      out.add("token");
    }
    out.addAll(COMMON_FIELDS);
    extraFields.stream().filter(f -> withNow || !f.equals("now")).forEach(out::add);
    return out;
  }
}
