package dev.ripcord.workflows.approval;

import java.util.ArrayList;
import java.util.List;

/**
 * Who sends a person's input, as every payload carries it (decisions, re-release requests, ledger labels, a
 * playbook step's acknowledgement): {@code by}, the {@code role} they act in, a {@code comment} for the audit, and,
 * under verified identity, the {@code token} that names them. One record and one check for all of them, so their
 * limits and messages cannot drift apart. Pure.
 */
public record Sender(String by, String role, String comment, String token) {
  public static final int MAX_BY = 200;
  public static final int MAX_ROLE = 100;
  public static final int MAX_COMMENT = 2000;
  public static final int MAX_TOKEN = 16 * 1024;

  /**
   * What is wrong with these fields; empty when nothing is.
   *
   * @param who what {@code by} is in this payload, for the message when it is missing ("who decides")
   * @param tokenMayName whether this payload takes a token in place of {@code by} (verified identity)
   */
  public List<String> problems(String who, boolean tokenMayName) {
    List<String> problems = new ArrayList<>();
    if (token != null && (token.isBlank() || token.length() > MAX_TOKEN)) {
      problems.add("'token' must be the signed token from your identity provider (at most " + MAX_TOKEN
          + " characters)");
    }
    boolean tokenNames = token != null && by == null; // under verified identity the token names the person
    if (!tokenNames && (by == null || by.isBlank())) {
      problems.add("'by' is required: " + who + ", e.g. \"alice@example.com\"" + (tokenMayName
          ? " (or, under verified identity, 'token')" : ""));
    } else if (by != null && by.length() > MAX_BY) {
      problems.add("'by' is longer than " + MAX_BY + " characters");
    }
    if (role != null && (role.isBlank() || role.length() > MAX_ROLE)) {
      problems.add("'role' must be a role name from the policy, or left out");
    }
    if (comment != null && comment.length() > MAX_COMMENT) {
      problems.add("'comment' is longer than " + MAX_COMMENT + " characters");
    }
    return problems;
  }
}
