package dev.ripcord.workflows.policy;

import java.util.Collection;
import java.util.Locale;

/** The name a misspelling most likely meant: the nearest by edit distance, when it is near enough. Pure. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate nearest to {@code typed} (case-insensitive edit distance, a swap of two neighbours counting as
   * one edit), or null when none is near enough: 1 edit for names of up to 3 characters, 2 up to 7, 3 beyond.
   * "hallucinaton" finds "hallucination", "baek" finds "bake", "x" finds nothing.
   */
  public static String nearest(String typed, Collection<String> candidates) {
    if (typed == null || candidates == null) {
      return null;
    }
    String t = typed.toLowerCase(Locale.ROOT);
    int limit = t.length() <= 3 ? 1 : t.length() <= 7 ? 2 : 3;
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      if (c == null || c.equals(typed)) {
        continue;
      }
      int d = distance(t, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return bestDistance <= limit ? best : null;
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
