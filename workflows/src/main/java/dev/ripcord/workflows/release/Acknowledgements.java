package dev.ripcord.workflows.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ripcord.workflows.approval.DecisionRights;
import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.approval.Sender;
import dev.ripcord.workflows.audit.AuditText;
import dev.ripcord.workflows.playbook.PlaybookStep;
import dev.ripcord.workflows.policy.PlaybookSpec;
import dev.ripcord.workflows.release.StateLog.Refusal;
import java.util.List;

/**
 * The {@code acknowledge} signal: an owner closes a human step of the incident playbook. Under verified identity it
 * counts as every decision does, only with a token from the trusted issuer, whose person is the owner
 * ({@link Identity}); under declared identity the typed {@code by} names them.
 */
final class Acknowledgements {
  /** The fields an {@code acknowledge} payload may hold. */
  static final List<String> FIELDS = List.of("by", "step", "role", "comment");
  /** The same, where a token may be given (from marker {@link Versions#VERIFIED_ACKNOWLEDGE}). */
  static final List<String> SIGNED_FIELDS = List.of("by", "step", "role", "comment", "token");
  private final Release r;
  private final StateLog log;
  private final Identity identity;
  private final PlaybookRunner playbook;

  Acknowledgements(Release r, StateLog log, Identity identity, PlaybookRunner playbook) {
    this.r = r;
    this.log = log;
    this.identity = identity;
    this.playbook = playbook;
  }

  void acknowledge(JsonNode payload, String described) {
    // Asked only under verified identity or when a token is sent, so other histories record nothing new.
    boolean signed = (identity.verifies() || payload.has("token"))
        && Versions.has(Versions.VERIFIED_ACKNOWLEDGE);
    List<String> fields = signed ? SIGNED_FIELDS : FIELDS;
    String by = text(payload, "by");
    String name = text(payload, "step");
    String comment = payload.hasNonNull("comment") ? payload.get("comment").asText() : null;
    String role = payload.hasNonNull("role") ? payload.get("role").asText() : null;
    List<String> open = r.playbook.openNames();
    String unknown = unknownField(payload, fields);
    boolean noBy = by == null || by.isBlank();
    if ((signed ? by != null && by.isBlank() : noBy) || name == null || by != null && by.length() > Sender.MAX_BY
        || name.length() > Sender.MAX_BY || (comment != null && comment.length() > Sender.MAX_COMMENT)
        || unknown != null && Versions.has(Versions.STRICT_ACKNOWLEDGE)) {
      log.refused("acknowledge", Refusal.MALFORMED, null, null, "malformed 'acknowledge' signal refused: "
          + (unknown == null ? "" : "unknown field '" + AuditText.cap(unknown, 80) + "'; ") + "write {"
          + (signed ? "\"token\": \"<your token>\"" : "\"by\": \"you@example.com\"") + ", \"step\": \"<one of "
          + open + ">\", \"comment\": \"...\"} (fields are " + String.join(", ", fields) + "; by and step at most "
          + Sender.MAX_BY + " characters, comment at most " + Sender.MAX_COMMENT + "); payload: " + described);
      return;
    }
    Identity.Who who = null;
    if (signed) {
      who = identity.check("acknowledge", by, text(payload, "token"));
      if (!who.ok()) {
        log.refused("acknowledge", Refusal.UNAUTHORISED, null, null, "acknowledge refused: " + who.refusal());
        return;
      }
      by = who.by();
    }
    PlaybookStep p = r.playbook.get(name);
    if (p == null || !p.isOpen()) {
      log.refused("acknowledge", Refusal.NOT_NOW, by, role, "acknowledge refused: step '" + name + "' is "
          + (p == null ? "not in the playbook" : p.status()) + "; open steps: " + r.playbook.openNames());
      return;
    }
    PlaybookSpec.Step step = r.policy.playbook().step(name);
    DecisionRights.Check check = DecisionRights.check(r.policy.governance(), "acknowledge",
        r.playbook.mayAcknowledge(step), new HumanDecision("approve", by, role, comment, null));
    if (!check.allowed()) {
      log.refused("acknowledge", Refusal.UNAUTHORISED, by, role, "acknowledge of '" + name + "' refused: "
          + check.refusal());
      return;
    }
    playbook.acknowledged(step, by, check.role(), comment);
    if (who != null) {
      identity.spend(who, "acknowledge of '" + name + "'");
    }
  }

  /** The first field of an {@code acknowledge} payload it does not take, or null. */
  private static String unknownField(JsonNode payload, List<String> fields) {
    for (var it = payload.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!fields.contains(f)) {
        return f;
      }
    }
    return null;
  }

  private static String text(JsonNode payload, String field) {
    return payload.hasNonNull(field) && payload.get(field).isTextual() ? payload.get(field).asText() : null;
  }
}
