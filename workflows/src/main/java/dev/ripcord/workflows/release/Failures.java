package dev.ripcord.workflows.release;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;

/** What went wrong in an activity, in words for the audit log. Pure. */
final class Failures {
  private Failures() {}

  /**
   * The activity's own words: the deepest failure in the chain that carries a message (an activity's failure wraps
   * the exception that caused it, which often has none).
   */
  static String rootMessage(Throwable t) {
    String best = null;
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c instanceof ApplicationFailure a ? a.getOriginalMessage() : c.getMessage();
      if (m != null && !m.isBlank() && !(c instanceof ActivityFailure)) {
        best = m;
      }
    }
    if (best != null) {
      return best;
    }
    Throwable root = t;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root instanceof ApplicationFailure a ? a.getType() : root.getClass().getSimpleName();
  }

  /** The type of the first application failure in the chain (e.g. {@code RouterRejected}), or null. */
  static String type(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ApplicationFailure a) {
        return a.getType();
      }
    }
    return null;
  }
}
