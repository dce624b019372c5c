package dev.ripcord.workflows.decision.stats;

import java.time.Instant;

/**
 * Sustain in time rather than in windows ({@link SequentialTest.Rules#V8}): the span a breach must hold for is cut
 * into slots of one evaluation interval each, whatever the cadence at which evidence arrives. Pushed batches are
 * evaluated as they arrive, several to a slot or one every few slots; a slot begins when an observation ends at least
 * an interval after the slot before it began (less a twentieth, so a window read a moment early still begins its
 * own) or before it began (a late label for an earlier time), and each observation covers the time since the latest
 * one (or its own {@code from}), up to one interval; one of an earlier time covers an interval.
 * A window read once an interval, as every source but pushes is, begins one slot each time and covers a whole one, so
 * it is judged exactly as under window counting. Pure; two numbers kept in the state of whatever uses it.
 */
public final class SustainClock {
  /** The numbers kept: the end of the latest observation and the start of the current slot, epoch milliseconds. */
  public static final int SIZE = 2;
  /** How early (as a share of the interval) an observation may end and still begin the next slot. */
  static final double SLACK = 0.05;

  private SustainClock() {}

  /**
   * When an observation was made.
   *
   * @param at its end, epoch milliseconds
   * @param from its start, or -1 when not given
   * @param interval the release's evaluation interval, milliseconds
   */
  public record Moment(long at, long from, long interval) {
    /** The moment of an observation ending at {@code t} (ISO-8601), or null when {@code t} is absent or unreadable. */
    public static Moment of(String t, String from, long intervalMillis) {
      Long at = millis(t);
      if (at == null || intervalMillis <= 0) {
        return null;
      }
      Long start = millis(from);
      return new Moment(at, start == null ? -1 : start, intervalMillis);
    }

    private static Long millis(String iso) {
      if (iso == null) {
        return null;
      }
      try {
        return Instant.parse(iso).toEpochMilli();
      } catch (RuntimeException e) {
        return null;
      }
    }
  }

  /**
   * @param slots how many slots begin with this observation (0: it falls in the current one)
   * @param span the share of an interval it covers, at most 1
   */
  public record Step(int slots, double span) {}

  /** Where {@code m} falls: the slots it begins and the time it covers; updates the numbers kept at {@code at}. */
  public static Step step(double[] s, int at, Moment m) {
    double last = s[at];
    double slotStart = s[at + 1];
    double w = m.interval();
    double span = m.from() >= 0 && m.at() > m.from() ? (m.at() - m.from()) / w
        : last > 0 && m.at() > last ? (m.at() - last) / w : 1;
    int slots = 0;
    if (slotStart == 0) {
      s[at + 1] = m.at(); // the first observation opens the first slot
    } else {
      double elapsed = (m.at() - slotStart) / w;
      // An observation of an earlier time (a late label) is an interval of its own, not part of the current one.
      slots = elapsed < 0 ? 1 : (int) Math.floor(elapsed + SLACK);
      if (slots > 0) {
        s[at + 1] = m.at();
      }
    }
    s[at] = Math.max(last, m.at());
    return new Step(slots, Math.min(1, span));
  }
}
