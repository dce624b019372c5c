package dev.ripcord.workflows.audit;

/**
 * Bounds on text that enters a release's audit log, status or carried state. Anything a sender typed can be copied
 * into a refusal; these bounds keep every such copy small, so no input can grow what a run carries into
 * continue-as-new past Temporal's payload limits. Pure: no {@code Workflow.*} call.
 */
public final class AuditText {
  /** An audit message's longest form; the rest is cut with a note of how much was cut. */
  public static final int MAX_MESSAGE = 1000;
  /** Who acted, or in which role. */
  public static final int MAX_NAME = 200;
  /** How much of a refused payload the audit quotes. */
  public static final int EXCERPT = 300;

  private AuditText() {}

  /** {@code s} cut to at most {@code max} characters, saying how much was left out; null stays null. */
  public static String cap(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    String note = "… (" + (s.length() - max) + " more characters)";
    int keep = Math.max(0, max - note.length());
    if (keep > 0 && Character.isHighSurrogate(s.charAt(keep - 1))) {
      keep--; // never split a character in two
    }
    return s.substring(0, keep) + note;
  }

  /** A quoted excerpt of something a sender wrote. */
  public static String excerpt(String s) {
    return s == null ? "" : cap(s, EXCERPT);
  }
}
