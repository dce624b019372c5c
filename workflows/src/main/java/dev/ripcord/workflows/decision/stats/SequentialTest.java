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
 * Each window's log-likelihood-ratio increment is capped at 1/m of what it must reach, so the evidence must come from at least m
 * windows (the policy's sustain rule), and evidence that hit the cap expires after n windows (sustain "of"): a
 * sustained shift keeps hitting the cap and crosses within m windows, while a spike shorter than m leaves nothing
 * behind for noise to complete. Capping and expiring only ever remove positive evidence, so the statistic stays
 * below the uncapped one and the false-alarm bound holds. With m = 1 neither applies.
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
  private final double[] caps;
  private final int expiry;
  private final int components;

  /**
   * @param vsBaseline true: compare with the baseline (null0 is the tolerated ratio r0); false: against a limit
   *     (null0 is the limit as a probability)
   * @param sustainWindows m: the fewest windows the evidence must come from
   */
  public SequentialTest(Kind kind, boolean vsBaseline, double null0, double detect, double alpha,
      long horizonWindows, int sustainWindows) {
    this(kind, vsBaseline, null0, detect, alpha, horizonWindows, sustainWindows, sustainWindows);
  }

  /** @param expiryWindows n: windows after which evidence that hit the cap is forgotten (at least m) */
  public SequentialTest(Kind kind, boolean vsBaseline, double null0, double detect, double alpha,
      long horizonWindows, int sustainWindows, int expiryWindows) {
    this.kind = kind;
    this.vsBaseline = vsBaseline;
    this.null0 = null0;
    this.detect = detect;
    this.threshold = kind == Kind.CUSUM ? StrictMath.log(horizonWindows / alpha) : StrictMath.log(1 / alpha);
    this.expiry = sustainWindows > 1 ? Math.max(sustainWindows, expiryWindows) : 0;
    this.components = kind == Kind.MSPRT ? GRID.length : 1;
    // Each component's cap is 1/m of the level it must reach for the test to cross (for a mixture component that
    // is the threshold plus ln(1/weight)), plus a hair so m capped windows get there despite rounding.
    this.caps = new double[components];
    for (int k = 0; k < components; k++) {
      double level = kind == Kind.MSPRT ? threshold + StrictMath.log(1 / WEIGHTS[k]) : threshold;
      caps[k] = sustainWindows > 1 ? level / sustainWindows + 1e-9 : Double.POSITIVE_INFINITY;
    }
  }

  public double threshold() {
    return threshold;
  }

  /**
   * The size of the state array {@link #update} keeps: one sum per component, then (with a sustain rule) a ring of the
   * capped evidence of the last n windows per component, then the ring's position.
   */
  public int stateSize() {
    return components + (expiry > 0 ? components * expiry + 1 : 0);
  }

  /**
   * Adds one window to {@code state} (in place) and returns the statistic (log-LR) after it.
   *
   * @param xb baseline events, nb baseline trials; ignored against a limit
   */
  public double update(double[] state, long xc, long nc, long xb, long nb) {
    int slot = expiry > 0 ? (int) state[stateSize() - 1] : 0;
    for (int k = 0; k < components; k++) {
      double inc;
      if (kind == Kind.MSPRT) {
        inc = Stats.splitLlr(xc, xb, nc, nb, null0, null0 * GRID[k]);
      } else if (vsBaseline) {
        inc = Stats.splitLlr(xc, xb, nc, nb, null0, null0 * detect);
      } else {
        inc = Stats.bernoulliLlr(xc, nc, null0, Math.min(null0 * detect, 0.999999));
      }
      double capped = Math.min(caps[k], inc);
      if (expiry > 0) {
        int ring = components + k * expiry + slot;
        state[k] -= state[ring]; // evidence that hit the cap n windows ago expires
        state[ring] = capped >= caps[k] ? caps[k] : 0;
      }
      state[k] += capped;
      if (kind == Kind.CUSUM) {
        state[k] = Math.max(0, state[k]);
      }
    }
    if (expiry > 0) {
      state[stateSize() - 1] = (slot + 1) % expiry;
    }
    return statistic(state);
  }

  /** The statistic of a state without adding a window. */
  public double statistic(double[] state) {
    return kind == Kind.MSPRT ? Stats.logMixture(WEIGHTS, java.util.Arrays.copyOf(state, components)) : state[0];
  }
}
