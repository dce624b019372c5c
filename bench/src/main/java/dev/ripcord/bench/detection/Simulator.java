package dev.ripcord.bench.detection;

import dev.ripcord.sandbox.observe.SimulatedModel;
import dev.ripcord.workflows.decision.stats.Stats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Simulated releases, window by window, seeded: each arm's events drawn from its rate, fed to every detector. */
final class Simulator {
  private final long seed;

  Simulator(long seed) {
    this.seed = seed;
  }

  static long binomial(SplittableRandom rnd, long n, double p) {
    return SimulatedModel.binomial(rnd, n, p);
  }

  /** Per run and detector: the window it rolled back in (-1: never), and candidate events served until then. */
  record RunResult(int[] firedAt, long[] badOutputs, int promotedAt) {}

  RunResult simulate(Scenario s, List<Detector> prototypes, long runSeed) {
    SplittableRandom rnd = new SplittableRandom(runSeed);
    double phase = rnd.nextDouble();
    List<Detector> ds = new ArrayList<>();
    prototypes.forEach(d -> ds.add(d.fresh()));
    int[] fired = new int[ds.size()];
    long[] bad = new long[ds.size()];
    Arrays.fill(fired, -1);
    long nc = Math.round(s.outputsPerMinute() * s.share() / s.slicesPerMinute());
    long nb = s.outputsPerMinute() / s.slicesPerMinute() - nc;
    int alive = ds.size();
    // The test that would promote: the 2x split SPRT accepting H0 at beta.
    double accept = Math.log(DetectionBenchmark.BETA / (1 - DetectionBenchmark.BUDGET));
    double promoteLlr = 0;
    int promotedAt = -1;
    for (int t = 0; t < s.horizon() && (alive > 0 || (s.healthy() && promotedAt < 0)); t++) {
      double minute = t / (double) s.slicesPerMinute();
      long xc = binomial(rnd, nc, rate(rnd, s, s.candidate(minute, phase)));
      long xb = binomial(rnd, nb, rate(rnd, s, s.baseline(minute, phase)));
      for (int i = 0; i < ds.size(); i++) {
        if (fired[i] >= 0) {
          continue;
        }
        if (s.changeAt() >= 0 && t >= s.changeAt()) {
          bad[i] += xc;
        }
        if (ds.get(i).window(t, xc, nc, xb, nb)) {
          fired[i] = t;
          alive--;
        }
      }
      if (promotedAt < 0) {
        promoteLlr += Stats.splitLlr(xc, xb, nc, nb, 1.0, 2.0);
        if (promoteLlr <= accept) {
          promotedAt = t;
        }
      }
    }
    return new RunResult(fired, bad, promotedAt);
  }

  /** The rate of one arm in one window: with candidate-only overdispersion, times its own gamma(k, 1/k) draw. */
  static double rate(SplittableRandom rnd, Scenario s, double p) {
    if (s.dispersionShape() <= 0) {
      return p;
    }
    return Math.min(1, p * PairedBenchmark.gamma(rnd, s.dispersionShape()) / s.dispersionShape());
  }

  List<RunResult> runAll(Scenario s, List<Detector> detectors) {
    long base = seed ^ ((long) s.name().hashCode() << 20) ^ s.outputsPerMinute() * 31 ^ (long) (s.share() * 1000);
    return IntStream.range(0, s.runs()).parallel()
        .mapToObj(r -> simulate(s, detectors, base * 6364136223846793005L + r))
        .toList();
  }
}
