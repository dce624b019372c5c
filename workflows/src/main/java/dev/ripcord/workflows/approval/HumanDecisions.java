package dev.ripcord.workflows.approval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The one validation of a human decision's payload, used by the signal handlers, the update validator and the CLI,
 * with the fields each {@link DecisionKind} takes. It never throws: a malformed payload is described, so it can be
 * recorded and refused.
 */
public final class HumanDecisions {
  public static final List<String> OUTCOMES = List.of("continue", "rollback", "hold");
  public static final int MAX_TEXT = Sender.MAX_COMMENT;
  public static final int MAX_TOKEN = Sender.MAX_TOKEN;

  private HumanDecisions() {}

  /** Either a decision or the reason it is malformed. */
  public record Parsed(HumanDecision decision, String problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  /** Reads a signal payload (any JSON a person may type) for the decision named by the signal. */
  public static Parsed parse(String kind, JsonNode payload) {
    return parse(kind, payload, true);
  }

  /**
   * As {@link #parse(String, JsonNode)}; without {@code withNow} a {@code now} field is unknown, as it was for
   * releases started before break-glass rollbacks.
   */
  public static Parsed parse(String kind, JsonNode payload, boolean withNow) {
    return parse(kind, payload, withNow, false);
  }

  /**
   * As {@link #parse(String, JsonNode, boolean)}; with {@code withToken} (the policy verifies identity) a
   * {@code token} field is read, and {@code by} may be left out.
   */
  public static Parsed parse(String kind, JsonNode payload, boolean withNow, boolean withToken) {
    if (payload == null || payload.isNull() || payload.isMissingNode()) {
      return new Parsed(null, "no payload; send {\"by\": \"you@example.com\", \"role\": \"...\", \"comment\": \"...\"}");
    }
    if (!payload.isObject()) {
      return new Parsed(null, "payload must be a JSON object like {\"by\": \"you@example.com\"}, got "
          + payload.getNodeType().name().toLowerCase());
    }
    List<String> problems = new ArrayList<>();
    DecisionKind k = DecisionKind.of(kind);
    List<String> fields = k == null ? DecisionKind.COMMON_FIELDS : k.fields(withNow, withToken);
    for (Iterator<String> it = payload.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!fields.contains(f)) {
        problems.add("unknown field '" + cap(f) + "' (fields are " + String.join(", ", fields) + ")");
      }
    }
    String by = text(payload, "by", problems);
    String role = text(payload, "role", problems);
    String comment = text(payload, "comment", problems);
    String outcome = kind.equals("investigate") ? text(payload, "outcome", problems) : null;
    Boolean now = null;
    JsonNode n = payload.get("now");
    if (withNow && kind.equals("rollback") && n != null && !n.isNull()) {
      if (n.isBoolean()) {
        now = n.booleanValue();
      } else {
        problems.add("'now' must be true or false (true: break-glass, the candidate to 0 % in one step)");
      }
    }
    String token = withToken ? text(payload, "token", problems) : null;
    HumanDecision d = new HumanDecision(kind, by, role, comment, outcome, now, token);
    problems.addAll(check(d));
    return problems.isEmpty() ? new Parsed(d, null) : new Parsed(null, String.join("; ", problems));
  }

  /** Checks a typed decision (the update and the CLI); empty when it is well formed. */
  public static List<String> check(HumanDecision d) {
    List<String> problems = new ArrayList<>();
    if (d == null) {
      problems.add("no decision");
      return problems;
    }
    if (DecisionKind.of(d.decision()) == null) {
      problems.add("decision '" + cap(d.decision()) + "' is not one of " + DecisionKind.signals());
    }
    problems.addAll(new Sender(d.by(), d.role(), null, d.token()).problems("who decides", true));
    if ("investigate".equals(d.decision()) && (d.outcome() == null || !OUTCOMES.contains(d.outcome()))) {
      problems.add("'outcome' must be one of " + OUTCOMES + " for investigate, got " + cap(d.outcome()));
    } else if (!"investigate".equals(d.decision()) && d.outcome() != null) {
      problems.add("'outcome' only goes with investigate");
    }
    if (d.now() != null && !"rollback".equals(d.decision())) {
      problems.add("'now' only goes with rollback");
    }
    if (d.comment() != null && d.comment().length() > MAX_TEXT) {
      problems.add("'comment' is longer than " + MAX_TEXT + " characters"); // after outcome and now, as always
    }
    return problems;
  }

  private static String cap(String s) {
    return s == null || s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  /**
   * A payload's text field: null when absent or JSON null; otherwise a string, or null with a problem naming the
   * field. Every payload a person sends (decisions, re-releases, labels) reads its fields through this.
   */
  public static String text(JsonNode payload, String field, List<String> problems) {
    JsonNode n = payload.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      problems.add("'" + field + "' must be a string");
      return null;
    }
    return n.asText();
  }
}
