package dev.ripcord.bench.detection;

import static dev.ripcord.bench.detection.Bounds.clopperPearson;
import static dev.ripcord.bench.detection.Bounds.twoSampleBound;

import dev.ripcord.workflows.decision.stats.SequentialTest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Three criteria sharing the false-rollback budget: a policy watching three independent signals, each criterion
 * Ripcord's detector at a third of the budget, rolling back when any fires. Measures the false rollbacks of the whole
 * policy on healthy releases, and what sharing costs when one signal shifts 2x at deployment: its delay against the
 * same signal watched alone at the whole budget, in the same simulated runs, and against the two-sample bound at a
 * third of the budget.
 */
final class SeveralSignals {
  static final int SIGNALS = 3;

  private SeveralSignals() {}

  static Map<String, Object> run(long volume, double share, int healthyRuns, int detectRuns, int maxHorizon,
      long seed) {
    double p0 = Scenario.P0;
    int spm = DetectionBenchmark.slicesPerMinute(volume);
    int horizon = Configuration.horizonMinutes(volume, share, p0, maxHorizon) * spm;
    long nc = Math.round(volume * share / spm);
    long nb = volume / spm - nc;
    long base = seed ^ volume * 7919 ^ (long) (share * 1000) << 24;
    long healthyFalse = IntStream.range(0, healthyRuns).parallel()
        .filter(r -> firstFiring(new SplittableRandom(base + r), 1.0, horizon, nc, nb, true)[0] >= 0).count();
    double[][] delays = IntStream.range(0, detectRuns).parallel()
        .mapToObj(r -> firstFiring(new SplittableRandom(base ^ 0xd37ec7L + r), 2.0, horizon, nc, nb, false))
        .map(f -> new double[] {Bounds.delay(f[0], flat(horizon, spm)), Bounds.delay(f[1], flat(horizon, spm))})
        .toArray(double[][]::new);
    double shared = Arrays.stream(delays).mapToDouble(d -> d[0]).average().orElse(Double.NaN);
    double alone = Arrays.stream(delays).mapToDouble(d -> d[1]).average().orElse(Double.NaN);
    double perMinute = volume * share;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("outputsPerMinute", volume);
    m.put("candidateShare", share);
    m.put("signals", SIGNALS);
    m.put("healthyRuns", healthyRuns);
    m.put("falseRollbacks", healthyFalse);
    m.put("falseRollbackUpper95", clopperPearson(healthyFalse, healthyRuns)[1]);
    m.put("delayMinutes2xOneOfThree", shared);
    m.put("delayMinutes2xWatchedAlone", alone);
    m.put("slowdownFromSharing", shared / alone);
    double boundShared = twoSampleBound(2, share, p0, DetectionBenchmark.BUDGET / SIGNALS);
    m.put("boundSlowdownFromSharing", boundShared / twoSampleBound(2, share, p0));
    m.put("efficiencyAtAThirdOfTheBudget", boundShared / perMinute / shared);
    return m;
  }

  private static Scenario flat(int horizon, int spm) {
    return new Scenario("", "detect", 0, 0, horizon, 0, Scenario.flat(1), 0, spm, 0, Scenario.P0);
  }

  /**
   * One release: three signals, the first at {@code ratio} times the base rate in the candidate. Returns the window
   * the three-criterion policy fired in and, for a shift, the window the first signal's detector at the whole budget
   * fired in (-1: never).
   */
  private static int[] firstFiring(SplittableRandom rnd, double ratio, int horizon, long nc, long nb,
      boolean healthy) {
    RipcordDetector[] policy = new RipcordDetector[SIGNALS];
    for (int k = 0; k < SIGNALS; k++) {
      policy[k] = new RipcordDetector("ripcord", DetectionBenchmark.BUDGET / SIGNALS, horizon,
          DetectionBenchmark.SUSTAIN, SequentialTest.Rules.CURRENT);
    }
    RipcordDetector alone = new RipcordDetector("ripcord", DetectionBenchmark.BUDGET, horizon,
        DetectionBenchmark.SUSTAIN, SequentialTest.Rules.CURRENT);
    int[] fired = {-1, healthy ? 0 : -1};
    for (int t = 0; t < horizon && (fired[0] < 0 || fired[1] < 0); t++) {
      for (int k = 0; k < SIGNALS; k++) {
        long xc = Simulator.binomial(rnd, nc, Scenario.P0 * (k == 0 ? ratio : 1));
        long xb = Simulator.binomial(rnd, nb, Scenario.P0);
        if (fired[0] < 0 && policy[k].window(t, xc, nc, xb, nb)) {
          fired[0] = t;
        }
        if (k == 0 && fired[1] < 0 && alone.window(t, xc, nc, xb, nb)) {
          fired[1] = t;
        }
      }
    }
    return fired;
  }
}
