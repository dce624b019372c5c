package dev.ripcord.bench.detection;

/**
 * One simulated release: traffic, the candidate's share, and the ground truth (each arm's event rate per window).
 *
 * @param changeAt the window at which the candidate starts to degrade (0: at deployment), or -1 for a healthy
 *     release, where any rollback is a false one
 */
record Scenario(String name, String kind, long outputsPerMinute, double share, int horizon, int changeAt,
    RateModel model, int runs) {

  static final double P0 = 0.005;

  /** Event probabilities of both arms in window t (0-based); {@code phase} is drawn per run for seasonality. */
  interface RateModel {
    double candidate(int t, double phase);

    double baseline(int t, double phase);
  }

  boolean healthy() {
    return changeAt < 0;
  }

  static RateModel flat(double candidateRatio) {
    return new RateModel() {
      public double candidate(int t, double phase) {
        return P0 * candidateRatio;
      }

      public double baseline(int t, double phase) {
        return P0;
      }
    };
  }

  /** A daily cycle shared by both arms: rate × (1 + amplitude · sin(2π (t/1440 + phase))). */
  static RateModel seasonal(double amplitude) {
    return new RateModel() {
      public double candidate(int t, double phase) {
        return P0 * (1 + amplitude * Math.sin(2 * Math.PI * (t / 1440.0 + phase)));
      }

      public double baseline(int t, double phase) {
        return candidate(t, phase);
      }
    };
  }

  static RateModel stepAt(int at, double ratio) {
    return new RateModel() {
      public double candidate(int t, double phase) {
        return t >= at ? P0 * ratio : P0;
      }

      public double baseline(int t, double phase) {
        return P0;
      }
    };
  }

  /** From 1× at deployment, rising linearly to {@code top}× over {@code windows} windows, then holding. */
  static RateModel ramp(double top, int windows) {
    return new RateModel() {
      public double candidate(int t, double phase) {
        return P0 * (1 + (top - 1) * Math.min(1.0, t / (double) windows));
      }

      public double baseline(int t, double phase) {
        return P0;
      }
    };
  }

  /** A spike of {@code ratio}× for {@code length} windows from {@code at}, in the candidate only or in both arms. */
  static RateModel spike(int at, int length, double ratio, boolean shared) {
    return new RateModel() {
      public double candidate(int t, double phase) {
        return t >= at && t < at + length ? P0 * ratio : P0;
      }

      public double baseline(int t, double phase) {
        return shared ? candidate(t, phase) : P0;
      }
    };
  }
}
