package dev.ripcord.workflows.decision.stats;

/**
 * One arm's ratio of sums over units (users, sessions, conversations) with its cluster-robust variance: when outputs
 * come in units that stick to one arm, the arm's rate (events ÷ trials) or mean (sum ÷ count) is a ratio of two sums
 * over its units, R = Σe_u ÷ Σt_u, and its variance is taken over units, not outputs, by the delta method:
 * Var(R) ≈ U/(U−1) · Σ(e_u − R·t_u)² ÷ (Σt_u)², where Σ(e_u − R·t_u)² = Σe_u² − 2R·Σe_u·t_u + R²·Σt_u². This is how
 * experimentation platforms analyse ratio metrics per user (Deng, Knoblich and Lu, "Applying the delta method in
 * metric analytics", KDD 2018). Sticky assignment gives each arm a fixed pool of units for the stage, so a healthy
 * candidate's pool differs from the baseline's by chance for as long as the stage lasts; an output-level variance
 * reads that difference as evidence, given time, and this one does not. Pure.
 *
 * @param units U, the arm's units since the stage began
 * @param events Σe_u, the arm's events (for a mean: the sum of its scores) since the stage began
 * @param trials Σt_u, the arm's outputs (for a mean: its count) since the stage began
 * @param eventsSq Σe_u² over units
 * @param trialsSq Σt_u² over units
 * @param eventsTrials Σe_u·t_u over units
 */
public record UnitRatio(long units, double events, double trials, double eventsSq, double trialsSq,
    double eventsTrials) {

  /** The ratio of sums, R. */
  public double ratio() {
    return events / trials;
  }

  /** The delta-method variance of R over units; NaN with fewer than two units or no trials. */
  public double variance() {
    if (units < 2 || !(trials > 0)) {
      return Double.NaN;
    }
    double r = ratio();
    double residual = Math.max(0, eventsSq - 2 * r * eventsTrials + r * r * trialsSq);
    return residual / (trials * trials) * units / (units - 1.0);
  }

  /**
   * The arm as {@link MeanTest} reads a sample: U observations whose mean is R and whose spread makes the mean's
   * variance the delta method's, so the test of means compares two ratios of sums with their cluster-robust
   * variances. Null when the variance is not defined.
   */
  public MeanTest.Sample asSample() {
    double v = variance();
    if (Double.isNaN(v)) {
      return null;
    }
    return MeanTest.Sample.of(units, ratio(), Math.sqrt(v * units));
  }

  /** What is wrong with one arm's unit sums, or null: finite, not negative, whole units, and sums some units can give. */
  public static String problem(long units, double eventsSq, double trialsSq, double eventsTrials) {
    return problem(units, eventsSq, trialsSq, eventsTrials, "unitEventsSq", "unitTrialsSq", "unitEventsTrials");
  }

  /** As {@link #problem(long, double, double, double)}, naming the three sums as the window's fields call them. */
  public static String problem(long units, double eventsSq, double trialsSq, double eventsTrials, String eventsSqName,
      String trialsSqName, String eventsTrialsName) {
    if (units < 1) {
      return "units is " + units + ", but it counts the users, sessions or conversations seen since the stage began";
    }
    for (double v : new double[] {eventsSq, trialsSq, eventsTrials}) {
      if (!Double.isFinite(v) || v < 0) {
        return eventsSqName + ", " + trialsSqName + " and " + eventsTrialsName + " must be finite and not negative";
      }
    }
    if (eventsTrials * eventsTrials > eventsSq * trialsSq * (1 + 1e-9) + 1e-9) {
      return eventsTrialsName + "² exceeds " + eventsSqName + " × " + trialsSqName + ", which no units can give"
          + " (Cauchy-Schwarz)";
    }
    return null;
  }
}
