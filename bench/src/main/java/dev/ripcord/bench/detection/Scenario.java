package dev.ripcord.bench.detection;

/**
 * One simulated release: traffic, the candidate's share, and the ground truth (each arm's event rate per window, as
 * a multiple of the healthy base rate).
 *
 * <p>Time is counted in evaluation windows ("slices") of 1/{@code slicesPerMinute} minute; the rate models take
 * minutes.
 *
 * @param changeAt the window at which the candidate starts to degrade (0: at deployment), or -1 for a healthy
 *     release, where any rollback is a false one
 * @param dispersionShape k > 0: each arm's rate in each window is multiplied by its own gamma(k, 1/k) draw (mean 1,
 *     coefficient of variation 1/√k), variation the arms do not share; 0: none
 * @param baseRate the healthy event probability per output ({@link #P0}, or {@link #RARE})
 */
record Scenario(String name, String kind, long outputsPerMinute, double share, int horizon, int changeAt,
    RateModel model, int runs, int slicesPerMinute, double dispersionShape, double baseRate) {

  /** The healthy rate of the common configurations: 5 events per 1,000 outputs. */
  static final double P0 = 0.005;
  /** A rare event: 5 per 100,000 outputs. */
  static final double RARE = 0.00005;

  /** The candidate's event probability at {@code minute}. */
  double candidate(double minute, double phase) {
    return baseRate * model.candidate(minute, phase);
  }

  /** The baseline's event probability at {@code minute}. */
  double baseline(double minute, double phase) {
    return baseRate * model.baseline(minute, phase);
  }

  /** Event rates of both arms at a minute, as multiples of the base rate; {@code phase} is drawn per run. */
  interface RateModel {
    double candidate(double minute, double phase);

    double baseline(double minute, double phase);
  }

  boolean healthy() {
    return changeAt < 0;
  }

  static RateModel flat(double candidateRatio) {
    return new RateModel() {
      public double candidate(double t, double phase) {
        return candidateRatio;
      }

      public double baseline(double t, double phase) {
        return 1;
      }
    };
  }

  /** A daily cycle shared by both arms: rate × (1 + amplitude · sin(2π (t/1440 + phase))). */
  static RateModel seasonal(double amplitude) {
    return new RateModel() {
      public double candidate(double t, double phase) {
        return (1 + amplitude * Math.sin(2 * Math.PI * (t / 1440.0 + phase)));
      }

      public double baseline(double t, double phase) {
        return candidate(t, phase);
      }
    };
  }

  static RateModel stepAt(double at, double ratio) {
    return new RateModel() {
      public double candidate(double t, double phase) {
        return t >= at ? ratio : 1;
      }

      public double baseline(double t, double phase) {
        return 1;
      }
    };
  }

  /** From 1× at deployment, rising linearly to {@code top}× over {@code minutes} minutes, then holding. */
  static RateModel ramp(double top, double minutes) {
    return new RateModel() {
      public double candidate(double t, double phase) {
        return (1 + (top - 1) * Math.min(1.0, t / minutes));
      }

      public double baseline(double t, double phase) {
        return 1;
      }
    };
  }

  /** A spike of {@code ratio}× for {@code length} minutes from minute {@code at}, in the candidate only or in both arms. */
  static RateModel spike(double at, double length, double ratio, boolean shared) {
    return new RateModel() {
      public double candidate(double t, double phase) {
        return t >= at && t < at + length ? ratio : 1;
      }

      public double baseline(double t, double phase) {
        return shared ? candidate(t, phase) : 1;
      }
    };
  }
}
