package dev.ripcord.workflows.decision.stats;

/**
 * The sequential tests of the engine, as plain state machines over per-window counts, shared by the engine and the
 * detection benchmark so both run the same arithmetic.
 *
 * <ul>
 *   <li>{@link Kind#SPRT}: events of the candidate against a limit p0, alternative {@code detect}·p0; fires at
 *       log(1/α). Valid however often it is looked at (Ville).</li>
 *   <li>{@link Kind#MSPRT}: the split of events between candidate and concurrent baseline, H0 ratio r0 against a
 *       mixture of ratios r0·{@link #GRID}; fires at log(1/α). Conditioning on the total cancels what both arms share.</li>
 *   <li>{@link Kind#CUSUM}: either statistic with a floor at 0 and the alternative {@code detect}; fires at
 *       log(T/α) for a horizon of T windows (a union bound over the T possible change points).</li>
 * </ul>
 * Each window's log-likelihood-ratio increment is capped at threshold/m, so the evidence must come from at least m
 * windows (the policy's sustain rule); capping keeps the statistic a supermartingale under H0, so the bound holds.
 */
public final class SequentialTest {
  /** Ratios the mixture averages over, as multiples of the tolerated ratio r0, and their weights (sum 1). */
  public static final double[] GRID = {1.25, 1.5, 2, 3, 5};
  public static final double[] WEIGHTS = {0.1, 0.2, 0.4, 0.2, 0.1};

  public enum Kind { SPRT, MSPRT, CUSUM }

  private final Kind kind;
  private final boolean vsBaseline;
  private final double null0;
  private final double detect;
  private final double threshold;
  private final double cap;

  /**
   * @param vsBaseline true: compare with the baseline (null0 is the tolerated ratio r0); false: against a limit
   *     (null0 is the limit as a probability)
   * @param sustainWindows m: the fewest windows the evidence must come from
   */
  public SequentialTest(Kind kind, boolean vsBaseline, double null0, double detect, double alpha,
      long horizonWindows, int sustainWindows) {
    this.kind = kind;
    this.vsBaseline = vsBaseline;
    this.null0 = null0;
    this.detect = detect;
    this.threshold = kind == Kind.CUSUM ? StrictMath.log(horizonWindows / alpha) : StrictMath.log(1 / alpha);
    this.cap = sustainWindows > 1 ? threshold / sustainWindows : Double.POSITIVE_INFINITY;
  }

  public double threshold() {
    return threshold;
  }

  /** The size of the state array {@link #update} keeps. */
  public int stateSize() {
    return kind == Kind.MSPRT ? GRID.length : 1;
  }

  /**
   * Adds one window to {@code state} (in place) and returns the statistic (log-LR) after it.
   *
   * @param xb baseline events, nb baseline trials; ignored against a limit
   */
  public double update(double[] state, long xc, long nc, long xb, long nb) {
    if (kind == Kind.MSPRT) {
      for (int k = 0; k < GRID.length; k++) {
        state[k] += Math.min(cap, Stats.splitLlr(xc, xb, nc, nb, null0, null0 * GRID[k]));
      }
      return Stats.logMixture(WEIGHTS, state);
    }
    double inc = vsBaseline
        ? Stats.splitLlr(xc, xb, nc, nb, null0, null0 * detect)
        : Stats.bernoulliLlr(xc, nc, null0, Math.min(null0 * detect, 0.999999));
    state[0] += Math.min(cap, inc);
    if (kind == Kind.CUSUM) {
      state[0] = Math.max(0, state[0]);
    }
    return state[0];
  }

  /** The statistic of a state without adding a window. */
  public double statistic(double[] state) {
    return kind == Kind.MSPRT ? Stats.logMixture(WEIGHTS, state) : state[0];
  }
}
