package dev.ripcord.workflows.ledger;

import static dev.ripcord.workflows.approval.HumanDecisions.text;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ripcord.workflows.policy.Named;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import dev.ripcord.workflows.approval.Sender;
import java.util.List;

/**
 * A person's label of a release's outcome ({@code ripcord label}).
 *
 * @param foundAt for a missed incident: when it was found (ISO-8601), so the ledger knows how long it went unseen
 * @param token for a release that verifies identity: the labeller's signed token, whose person is who labels it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LabelRequest(String releaseId, String outcome, String by, String role, String comment, String foundAt,
    String token) {
  private static final List<String> FIELDS = List.of("releaseId", "outcome", "by", "role", "comment", "foundAt");
  private static final List<String> SIGNED_FIELDS = List.of("releaseId", "outcome", "by", "role", "comment",
      "foundAt", "token");

  public LabelRequest(String releaseId, String outcome, String by, String role, String comment, String foundAt) {
    this(releaseId, outcome, by, role, comment, foundAt, null);
  }

  /** This request as labelled by {@code person} (the verified token's), its token kept out of the ledger's record. */
  public LabelRequest by(String person) {
    return new LabelRequest(releaseId, outcome, person, role, comment, foundAt, null);
  }

  /** Either a request or why it is malformed; never throws. */
  public record Parsed(LabelRequest request, String problem) {}

  public static Parsed parse(JsonNode p) {
    return parse(p, false);
  }

  /** @param signed whether the ledger takes a {@code token} (labels of releases that verify identity) */
  public static Parsed parse(JsonNode p, boolean signed) {
    List<String> fields = signed ? SIGNED_FIELDS : FIELDS;
    if (p == null || !p.isObject()) {
      return new Parsed(null, "a label must be a JSON object like {\"releaseId\": \"release-chat-v2\", \"outcome\":"
          + " \"false-rollback\", \"by\": \"alice@example.com\"}");
    }
    List<String> problems = new ArrayList<>();
    for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!fields.contains(f)) {
        problems.add("unknown field '" + (f.length() > 60 ? f.substring(0, 60) + "..." : f) + "' (fields are "
            + String.join(", ", fields) + ")");
      }
    }
    LabelRequest r = new LabelRequest(text(p, "releaseId", problems), text(p, "outcome", problems),
        text(p, "by", problems), text(p, "role", problems), text(p, "comment", problems),
        text(p, "foundAt", problems), signed ? text(p, "token", problems) : null);
    problems.addAll(check(r));
    return problems.isEmpty() ? new Parsed(r, null) : new Parsed(null, String.join("; ", problems));
  }

  /** What is wrong with a typed request (the CLI checks it before sending); empty when nothing is. */
  public static List<String> check(LabelRequest r) {
    List<String> problems = new ArrayList<>();
    if (r.releaseId() == null || r.releaseId().isBlank() || r.releaseId().length() > 200) {
      problems.add("'releaseId' is required: the release's workflow id, e.g. release-chat-v2");
    }
    if (r.outcome() == null || Outcome.of(r.outcome()) == null) {
      problems.add("'outcome' must be one of " + Named.texts(Outcome.class));
    }
    // A label's role is taken as given (labels never checked it); who and why are checked as for every sender.
    problems.addAll(new Sender(r.by(), null, r.comment(), r.token())
        .problems("who labels it, as listed in the release's governance.roles", true));
    if (r.foundAt() != null) {
      try {
        Instant.parse(r.foundAt());
      } catch (RuntimeException e) {
        problems.add("'foundAt' must be an ISO-8601 instant such as 2026-12-01T10:00:00Z");
      }
      if (!"missed-incident".equals(r.outcome())) {
        problems.add("'foundAt' only goes with outcome missed-incident");
      }
    }
    return problems;
  }
}
