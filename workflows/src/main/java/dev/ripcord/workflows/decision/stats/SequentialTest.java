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
 * Each window's log-likelihood-ratio increment is capped at 1/m of what it must reach, so the evidence must come from at
 * least m windows (the policy's sustain rule), and evidence that hit the cap expires after n windows (sustain "of"): a
 * sustained shift keeps hitting the cap and crosses within m windows.
 *
 * <p>{@link Rules#V2} adds two things that only discount evidence against H0 (the false-alarm rate is measured, per
 * scenario, by the detection benchmark):
 * <ul>
 *   <li>an <b>excursion guard</b>: while fewer than m of the last n windows reached the cap, their capped evidence
 *       counts only {@link #EXCURSION_WEIGHT} of its value. A candidate-only spike shorter than the sustain span then
 *       needs noise built up before it worth half the threshold, not 1/m of it (under H0 a CUSUM sits above x with
 *       probability about e^-x, so this takes such spikes from e^-h/m to e^-h/2); a shift that keeps hitting the cap
 *       for m windows counts in full and crosses as before.</li>
 *   <li>an <b>overdispersion</b> correction for tests against the baseline ({@link Dispersion}): when the split of
 *       events varies from window to window more than binomial counts can, beyond doubt, each positive increment is
 *       divided by the estimated dispersion (a quasi-likelihood), so per-window variation the arms do not share is
 *       not read as evidence. Negative increments are kept whole.</li>
 * </ul>
 * With m = 1 neither the cap, the expiry nor the excursion guard applies.
 */
public final class SequentialTest {
  /** Ratios the mixture averages over, as multiples of the tolerated ratio r0, and their weights (sum 1). */
  public static final double[] GRID = {1.25, 1.5, 2, 3, 5};
  public static final double[] WEIGHTS = {0.1, 0.2, 0.4, 0.2, 0.1};

  public enum Kind { SPRT, MSPRT, CUSUM }

  /**
   * Under {@link Rules#V2}, the share of capped evidence that counts while fewer than m of the last n windows reached
   * the cap: a transient excursion.
   */
  public static final double EXCURSION_WEIGHT = 0.5;

  /**
   * Which arithmetic a test runs: the form releases were judged by when they started ({@link #V1}, {@link #V2}) or
   * a later one ({@link #V3} … {@link #V8}, today's also {@link #CURRENT}). The workflow chooses with version markers,
   * so recorded histories replay unchanged.
   *
   * @param stageRestarts a test of means also watches the sums since each stage began (the largest statistic counts,
   *     against ln(K/α) for K stages), so a candidate that degrades only once exposed is not diluted by its shadow
   * @param quantileRestarts a quantile's test does the same with its log-likelihood ratios, so the strong evidence
   *     of "no slower" that a healthy shadow piles up does not have to be paid back once a slower candidate is exposed
   * @param units a signal that declares {@code unit} is compared with the baseline over units (users, sessions,
   *     conversations), from the statistics its windows carry since the stage began ({@link UnitRatio})
   * @param recentDispersion the overdispersion estimate judges each window against the recent windows' ratio, not
   *     all earlier ones', so a real step after a healthy run is not read as noise ({@link Dispersion})
   * @param unitShares a quantile's share beyond its point and a paired signal's split of discordant pairs are tested
   *     over units too when their signal declares {@code unit} ({@link UnitShare}, {@link UnitRatio})
   * @param sustainInTime the sustain rule counts intervals of time, not windows ({@link SustainClock}): evidence that
   *     arrives faster than the interval shares one interval's cap, each observation capped by the share of an
   *     interval it covers, and capped evidence expires n intervals after it arrived
   */
  public record Rules(boolean excursionGuard, boolean dispersion, boolean stageRestarts, boolean quantileRestarts,
      boolean units, boolean recentDispersion, boolean unitShares, boolean sustainInTime) {
    public static final Rules V1 = new Rules(false, false, false);
    public static final Rules V2 = new Rules(true, true, false);
    public static final Rules V3 = new Rules(true, true, true);
    public static final Rules V4 = new Rules(true, true, true, true, false);
    public static final Rules V5 = new Rules(true, true, true, true, true);
    public static final Rules V6 = new Rules(true, true, true, true, true, true, false, false);
    public static final Rules V7 = new Rules(true, true, true, true, true, true, true, false);
    public static final Rules V8 = new Rules(true, true, true, true, true, true, true, true);
    public static final Rules CURRENT = V8;

    public Rules(boolean excursionGuard, boolean dispersion, boolean stageRestarts) {
      this(excursionGuard, dispersion, stageRestarts, false, false);
    }

    public Rules(boolean excursionGuard, boolean dispersion, boolean stageRestarts, boolean quantileRestarts,
        boolean units) {
      this(excursionGuard, dispersion, stageRestarts, quantileRestarts, units, false, false, false);
    }

    /** These rules with quantile restarts. */
    public Rules withQuantileRestarts() {
      return new Rules(excursionGuard, dispersion, stageRestarts, true, units, recentDispersion, unitShares,
          sustainInTime);
    }

    /** Every named arithmetic this build can run, by the name a release pins ({@code v1} … {@code v8}). */
    public static final java.util.SortedMap<String, Rules> NAMED = named(V1, V2, V3, V4, V5, V6, V7, V8);

    private static java.util.SortedMap<String, Rules> named(Rules... versions) {
      java.util.TreeMap<String, Rules> m = new java.util.TreeMap<>();
      for (int i = 0; i < versions.length; i++) {
        m.put("v" + (i + 1), versions[i]);
      }
      return java.util.Collections.unmodifiableSortedMap(m);
    }

    /** The name of these rules in {@link #NAMED}; null for a combination no release is pinned to. */
    public String name() {
      return NAMED.entrySet().stream().filter(e -> e.getValue().equals(this)).map(java.util.Map.Entry::getKey)
          .findFirst().orElse(null);
    }
  }

  private final Kind kind;
  private final boolean vsBaseline;
  private final double null0;
  private final double detect;
  private final double threshold;
  private final double[] caps;
  private final int sustain;
  private final int expiry;
  private final int components;
  private final Rules rules;

  /**
   * @param vsBaseline true: compare with the baseline (null0 is the tolerated ratio r0); false: against a limit
   *     (null0 is the limit as a probability)
   * @param sustainWindows m: the fewest windows the evidence must come from
   */
  public SequentialTest(Kind kind, boolean vsBaseline, double null0, double detect, double alpha,
      long horizonWindows, int sustainWindows) {
    this(kind, vsBaseline, null0, detect, alpha, horizonWindows, sustainWindows, sustainWindows, Rules.V1);
  }

  /** @param expiryWindows n: windows after which evidence that hit the cap is forgotten (at least m) */
  public SequentialTest(Kind kind, boolean vsBaseline, double null0, double detect, double alpha,
      long horizonWindows, int sustainWindows, int expiryWindows) {
    this(kind, vsBaseline, null0, detect, alpha, horizonWindows, sustainWindows, expiryWindows, Rules.V1);
  }

  public SequentialTest(Kind kind, boolean vsBaseline, double null0, double detect, double alpha,
      long horizonWindows, int sustainWindows, int expiryWindows, Rules rules) {
    this.kind = kind;
    this.vsBaseline = vsBaseline;
    this.null0 = null0;
    this.detect = detect;
    this.rules = rules;
    this.threshold = kind == Kind.CUSUM ? StrictMath.log(horizonWindows / alpha) : StrictMath.log(1 / alpha);
    this.sustain = sustainWindows;
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

  private boolean guarded() {
    return rules.excursionGuard() && expiry > 0;
  }

  private boolean dispersed() {
    return rules.dispersion() && vsBaseline;
  }

  /** Where the parts of the state start: sums, the cap ring and its position, the dispersion sums. */
  private int ringStart() {
    return components;
  }

  private int slotIndex() {
    return components + components * expiry;
  }

  /** Under {@link Rules#V8} with a sustain rule: the {@link SustainClock}'s numbers, then each component's evidence
   * in the current slot. */
  private int clockStart() {
    return slotIndex() + 1;
  }

  private boolean timed() {
    return rules.sustainInTime() && expiry > 0;
  }

  private int dispersionStart() {
    return expiry > 0 ? slotIndex() + 1 + (timed() ? SustainClock.SIZE + components : 0) : components;
  }

  /**
   * The size of the state array {@link #update} keeps: one sum per component, then (with a sustain rule) a ring of the
   * capped evidence of the last n windows per component and the ring's position (under {@link Rules#V8} the ring's
   * slots are intervals of time, and the clock and the current slot's evidence follow); under {@link Rules#V2}
   * (against the baseline) the dispersion sums follow. A {@link Rules#V1} state keeps the layout it always had.
   */
  public int stateSize() {
    return dispersionStart() + (dispersed() ? Dispersion.SIZE : 0);
  }

  /**
   * Adds one window to {@code state} (in place) and returns the statistic (log-LR) after it.
   *
   * @param xb baseline events, nb baseline trials; ignored against a limit
   */
  public double update(double[] state, long xc, long nc, long xb, long nb) {
    return update(state, xc, nc, xb, nb, null);
  }

  /**
   * As {@link #update(double[], long, long, long, long)}, for a window observed at {@code moment}: under
   * {@link Rules#V8} its evidence goes to the slot of time it falls in ({@link SustainClock}); without a moment, or
   * under earlier rules, each window is a slot of its own.
   */
  public double update(double[] state, long xc, long nc, long xb, long nb, SustainClock.Moment moment) {
    boolean timed = timed() && moment != null;
    int slot = expiry > 0 ? (int) state[slotIndex()] : 0;
    double span = 1;
    if (timed) {
      SustainClock.Step step = SustainClock.step(state, clockStart(), moment);
      span = step.span();
      for (int i = 0; i < Math.min(step.slots(), expiry); i++) {
        slot = (slot + 1) % expiry;
        for (int k = 0; k < components; k++) {
          int ring = ringStart() + k * expiry + slot;
          state[k] -= state[ring]; // evidence that hit the cap n intervals ago expires
          state[ring] = 0;
          state[clockStart() + SustainClock.SIZE + k] = 0;
        }
      }
    }
    double phi = dispersion(state);
    for (int k = 0; k < components; k++) {
      double inc;
      if (kind == Kind.MSPRT && !vsBaseline) { // a mixture against a limit: a quantile's share beyond a point
        inc = Stats.bernoulliLlr(xc, nc, null0, Math.min(null0 * GRID[k], 0.999999));
      } else if (kind == Kind.MSPRT) {
        inc = Stats.splitLlr(xc, xb, nc, nb, null0, null0 * GRID[k]);
      } else if (vsBaseline) {
        inc = Stats.splitLlr(xc, xb, nc, nb, null0, null0 * detect);
      } else {
        inc = Stats.bernoulliLlr(xc, nc, null0, Math.min(null0 * detect, 0.999999));
      }
      if (inc > 0) {
        inc /= phi; // only evidence against H0 is discounted; evidence for it counts whole
      }
      if (timed) {
        // This observation's share of the slot's cap: no more than the time it covers, nor than the slot has left.
        int used = clockStart() + SustainClock.SIZE + k;
        double cap = Math.max(0, Math.min(caps[k] * span, caps[k] - state[used]));
        double capped = Math.min(cap, inc);
        if (capped > 0) {
          state[used] += capped;
          if (inc >= cap) {
            state[ringStart() + k * expiry + slot] += capped;
          }
        }
        state[k] += capped;
      } else {
        addCapped(state, k, slot, inc);
      }
      if (kind == Kind.CUSUM) {
        state[k] = Math.max(0, state[k]);
      }
    }
    if (expiry > 0) {
      state[slotIndex()] = timed ? slot : (slot + 1) % expiry;
    }
    if (dispersed()) {
      Dispersion.add(state, dispersionStart(), xc, nc, xb, nb, rules.recentDispersion() ? Dispersion.RECENT : 1);
    }
    return statistic(state);
  }

  /** A window of its own: its evidence capped, and what hit the cap put in the ring in place of n windows ago's. */
  private void addCapped(double[] state, int k, int slot, double inc) {
    double capped = Math.min(caps[k], inc);
    if (expiry > 0) {
      int ring = ringStart() + k * expiry + slot;
      state[k] -= state[ring]; // evidence that hit the cap n windows ago expires
      state[ring] = capped >= caps[k] ? caps[k] : 0;
    }
    state[k] += capped;
  }

  /** The statistic of a state without adding a window: what {@link #threshold()} is compared with. */
  public double statistic(double[] state) {
    double[] sums = java.util.Arrays.copyOf(state, components);
    if (guarded()) {
      for (int k = 0; k < components; k++) {
        double hits = 0;
        double capped = 0;
        for (int j = 0; j < expiry; j++) {
          double b = state[ringStart() + k * expiry + j];
          if (b > 0) {
            // Under sustain in time a slot holds the evidence of every observation in it that reached its share of
            // the cap: a whole hit once the slot's cap is reached.
            hits += timed() ? Math.min(1, b / caps[k]) : 1;
            capped += b;
          }
        }
        // Fewer than m windows at the cap in the span: a transient excursion, whose capped evidence counts in part.
        if (hits < sustain) {
          sums[k] -= (1 - EXCURSION_WEIGHT) * capped;
        }
      }
    }
    if (kind == Kind.MSPRT) {
      return Stats.logMixture(WEIGHTS, sums);
    }
    return kind == Kind.CUSUM ? Math.max(0, sums[0]) : sums[0];
  }

  /** The dispersion the next window's evidence is divided by (1 under {@link Rules#V1} or without excess). */
  public double dispersion(double[] state) {
    return dispersed() ? Dispersion.phi(state, dispersionStart()) : 1;
  }
}
