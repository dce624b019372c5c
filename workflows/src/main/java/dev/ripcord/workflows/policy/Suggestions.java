package dev.ripcord.workflows.policy;

import java.util.Collection;
import java.util.Locale;

/** The name a misspelling most likely meant: the nearest by edit distance, when it is near enough. Pure. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate nearest to {@code typed} (case-insensitive Levenshtein distance), or null when none is within a
   * third of the typed length (at least 1, at most 3 edits): "hallucinaton" finds "hallucination", "x" finds nothing.
   */
  public static String nearest(String typed, Collection<String> candidates) {
    if (typed == null || candidates == null) {
      return null;
    }
    String t = typed.toLowerCase(Locale.ROOT);
    int limit = Math.max(1, Math.min(3, t.length() / 3));
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

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[b.length()];
  }
}
