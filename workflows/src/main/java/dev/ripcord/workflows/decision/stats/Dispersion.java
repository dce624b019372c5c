package dev.ripcord.workflows.decision.stats;

/**
 * How much more the split of events between candidate and baseline varies from window to window than binomial
 * counts can: Pearson's dispersion of each window's candidate events around what the ratio estimated from the
 * earlier windows predicts. Each window adds one residual r = (x − T·θ̂)² / v, where v is the binomial variance
 * T·θ̂·(1 − θ̂) plus the variance of the prediction T·θ̂ itself; r has mean about 1 and variance about 2 when counts
 * are binomial and large (far more with few events a window). The estimate reports dispersion only beyond doubt: it
 * is the mean residual less {@link #MARGIN} standard errors, and never below 1, so binomial traffic is judged almost
 * exactly as without it.
 *
 * <p>Under {@link SequentialTest.Rules#V6} the ratio a window is judged against is that of the <em>recent</em>
 * windows: the earlier sums decay by {@link #RECENT} a window. Against all earlier windows (V2–V5), a real step after
 * a healthy run leaves every later window far from the pooled ratio until the pooled ratio catches up, so the step
 * reads as dispersion for as long as the healthy run lasted, and discounts its own evidence; against recent windows
 * the prediction catches up within a few windows, and its larger uncertainty is in the residual's variance already.
 * Pure arithmetic over seven sums kept in the test's state.
 */
final class Dispersion {
  /**
   * The sums kept: windows with events, residuals, candidate events, candidate trials, baseline events, trials, and
   * the residuals' variances under binomial counts.
   */
  static final int SIZE = 7;
  /**
   * Standard errors the mean residual must exceed 1 by before it counts. With 1, binomial traffic was discounted in
   * 16–29 % of windows and low-volume detection slowed by up to 9 %; with 2, in 2–5 % of windows, by 0.2 % on average.
   */
  static final double MARGIN = 2.0;
  /** V6: how much of the earlier windows' counts the next window's predicted ratio keeps (a half-life of 6.6 windows). */
  static final double RECENT = 0.9;

  private Dispersion() {}

  /** The dispersion to divide the next window's log-likelihood ratio by: at least 1. */
  static double phi(double[] s, int at) {
    double windows = s[at];
    if (windows < 2) {
      return 1;
    }
    double mean = s[at + 1] / windows;
    double excess = mean - MARGIN * StrictMath.sqrt(s[at + 6]) / windows;
    return Math.max(1, excess);
  }

  /** Adds one window's residual, against the ratio of the windows before it, then its counts. */
  static void add(double[] s, int at, long xc, long nc, long xb, long nb) {
    add(s, at, xc, nc, xb, nb, 1);
  }

  /**
   * As {@link #add(double[], int, long, long, long, long)}, the earlier counts weighted by {@code keep} (1: all
   * earlier windows alike; {@link #RECENT}: recent windows) before this window's are added.
   */
  static void add(double[] s, int at, long xc, long nc, long xb, long nb, double keep) {
    long total = xc + xb;
    // The first window has no earlier ratio to be judged against: it only adds its counts.
    if (total > 0 && nc > 0 && nb > 0 && s[at + 3] > 0 && s[at + 5] > 0) {
      double earlierC = s[at + 2] + 0.5;
      double earlierB = s[at + 4] + 0.5;
      double ratio = (earlierC / s[at + 3]) / (earlierB / s[at + 5]);
      double theta = nc * ratio / (nc * ratio + nb);
      double binomial = total * theta * (1 - theta);
      // The predicted share is itself estimated: its variance (delta method on the log ratio) adds to the residual's,
      // or the early windows would read as dispersion.
      double estimated = binomial * binomial * (1 / earlierC + 1 / earlierB);
      double d = xc - total * theta;
      s[at] += 1;
      s[at + 1] += d * d / (binomial + estimated);
      // A Pearson residual's variance is 2 only for large counts: with few events a window (1 in 20 the candidate's)
      // it is 2 + (1 - 6·θ(1 - θ)) / (T·θ(1 - θ)), far larger, and the margin must say so or sparse traffic reads as
      // dispersion.
      s[at + 6] += 2 + (1 - 6 * theta * (1 - theta)) / binomial;
    }
    if (keep != 1) {
      for (int i = 2; i <= 5; i++) {
        s[at + i] *= keep;
      }
    }
    s[at + 2] += xc;
    s[at + 3] += nc;
    s[at + 4] += xb;
    s[at + 5] += nb;
  }
}
