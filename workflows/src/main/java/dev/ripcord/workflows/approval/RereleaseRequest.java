package dev.ripcord.workflows.approval;

import static dev.ripcord.workflows.approval.HumanDecisions.text;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A request to roll a release out again after it was rolled back, with the evidence of the fix: a new candidate
 * version, a new eval report, or both. Optionally a revised policy (for example with tightened criteria), which must
 * keep the release's model, baseline and router.
 *
 * @param policy the revised policy as JSON (what {@code ripcord policy show --output json} prints), or null to keep
 *     the current one; its {@code release.candidate} and {@code artifacts.evalReport} are replaced by this request's
 * @param token under verified identity: the person's signed token ({@code by} may then be left out)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RereleaseRequest(String by, String role, String candidate, String evalReport, String comment,
    JsonNode policy, String token) {

  public RereleaseRequest(String by, String role, String candidate, String evalReport, String comment,
      JsonNode policy) {
    this(by, role, candidate, evalReport, comment, policy, null);
  }

  /** The same request as {@code principal} sent it, the token checked and left behind. */
  public RereleaseRequest as(String principal) {
    return new RereleaseRequest(principal, role, candidate, evalReport, comment, policy, null);
  }

  private static final List<String> FIELDS = List.of("by", "role", "candidate", "evalReport", "comment", "policy");
  private static final int MAX_TEXT = Sender.MAX_COMMENT;

  /** Either a request or the reason it is malformed. */
  public record Parsed(RereleaseRequest request, String problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  /** Reads a signal payload (any JSON a person may type); never throws. */
  public static Parsed parse(JsonNode payload) {
    return parse(payload, false);
  }

  /** As {@link #parse(JsonNode)}; with {@code withToken} (the policy verifies identity) a {@code token} is read. */
  public static Parsed parse(JsonNode payload, boolean withToken) {
    String example = "{\"by\": \"you@example.com\", \"candidate\": \"v3\", \"evalReport\": \"eval-19\","
        + " \"comment\": \"...\"}";
    if (payload == null || payload.isNull() || payload.isMissingNode()) {
      return new Parsed(null, "no payload; send " + example);
    }
    if (!payload.isObject()) {
      return new Parsed(null, "payload must be a JSON object like " + example + ", got "
          + payload.getNodeType().name().toLowerCase());
    }
    List<String> problems = new ArrayList<>();
    for (Iterator<String> it = payload.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f) && !(withToken && f.equals("token"))) {
        problems.add("unknown field '" + f + "' (fields are " + (withToken ? "token, " : "")
            + "by, role, candidate, evalReport, comment, policy)");
      }
    }
    JsonNode policy = payload.get("policy");
    if (policy != null && !policy.isNull() && !policy.isObject()) {
      problems.add("'policy' must be the revised policy as a JSON object");
    }
    RereleaseRequest r = new RereleaseRequest(text(payload, "by", problems), text(payload, "role", problems),
        text(payload, "candidate", problems), text(payload, "evalReport", problems),
        text(payload, "comment", problems), policy == null || policy.isNull() ? null : policy,
        withToken ? text(payload, "token", problems) : null);
    problems.addAll(check(r));
    return problems.isEmpty() ? new Parsed(r, null) : new Parsed(null, String.join("; ", problems));
  }

  /** Checks a typed request (the update and the CLI); empty when it is well formed. */
  public static List<String> check(RereleaseRequest r) {
    List<String> problems = new ArrayList<>();
    if (r == null) {
      problems.add("no request");
      return problems;
    }
    problems.addAll(new Sender(r.by(), r.role(), null, r.token()).problems("who asks for the re-release", true));
    if (r.candidate() == null && r.evalReport() == null && r.policy() == null) {
      problems.add("evidence of the fix is required: 'candidate' (the fixed version), 'evalReport' (the eval report"
          + " that shows the fix) and/or 'policy' (a revised policy whose release.bundle changes a part)");
    }
    for (String[] f : new String[][] {{"candidate", r.candidate()}, {"evalReport", r.evalReport()}}) {
      if (f[1] != null && (f[1].isBlank() || f[1].length() > 200 || !f[1].strip().equals(f[1]))) {
        problems.add("'" + f[0] + "' must be a version or report id without surrounding spaces, at most 200"
            + " characters");
      }
    }
    if (r.comment() != null && r.comment().length() > MAX_TEXT) {
      problems.add("'comment' is longer than " + MAX_TEXT + " characters"); // after the evidence, as always
    }
    return problems;
  }
}
