package dev.ripcord.workflows.policy;

/** One thing wrong with a policy: where (a JSON path such as {@code $.stages[1].weight}), what, and how to fix it. */
public record PolicyProblem(String path, String message, String hint) {

  @Override
  public String toString() {
    return path + ": " + message + (hint == null ? "" : " (hint: " + hint + ")");
  }
}
