package dev.ripcord.activities.evidence.view;

import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.stats.Stats;

/** The 95 % interval an arm's estimate is drawn with, where its window's counts give one. */
final class Bands {
  static final double Z95 = 1.959963984540054;

  private Bands() {}

  /**
   * A rate's Wilson interval from the arm's events and trials, in the signal's unit ({@code per}); null when the arm
   * has no counts or its rate is not {@code shown} (the estimate drawn belongs to something else, e.g. a slice).
   */
  static double[] wilson(Arm arm, int per, Double shown) {
    if (arm == null || arm.trials() == null || arm.trials() <= 0 || shown == null) {
      return null;
    }
    long events = arm.events() == null ? 0 : arm.events();
    double rate = (double) events / arm.trials() * per;
    if (Math.abs(rate - shown) > 1e-9 * Math.max(1, Math.abs(rate))) {
      return null;
    }
    return new double[] {Stats.wilson(events, arm.trials(), Z95, true) * per,
        Stats.wilson(events, arm.trials(), Z95, false) * per};
  }
}
