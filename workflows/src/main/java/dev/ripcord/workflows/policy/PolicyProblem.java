package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One thing wrong with a policy: where (a JSON path such as {@code $.stages[1].weight}, and when it was read from a
 * file, the line and column there), what, and how to fix it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyProblem(String path, String message, String hint, Integer line, Integer column) {

  public PolicyProblem(String path, String message, String hint) {
    this(path, message, hint, null, null);
  }

  /** This problem placed at a line and column of the policy's text. */
  public PolicyProblem at(int atLine, int atColumn) {
    return new PolicyProblem(path, message, hint, atLine, atColumn);
  }

  @Override
  public String toString() {
    return (line == null ? "" : "line " + line + ", column " + column + ": ") + path + ": " + message
        + (hint == null ? "" : " (hint: " + hint + ")");
  }
}
