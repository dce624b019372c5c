package dev.ripcord.workflows.decision;

import java.util.ArrayList;
import java.util.List;

/** A bounded window of the most recent flags, oldest first. Pure. */
final class Spans {
  private Spans() {}

  /** {@code seen} with {@code flag} appended, keeping at most the last {@code span}. */
  static List<Boolean> append(List<Boolean> seen, boolean flag, int span) {
    List<Boolean> out = new ArrayList<>(seen);
    out.add(flag);
    while (out.size() > Math.max(1, span)) {
      out.remove(0);
    }
    return List.copyOf(out);
  }
}
