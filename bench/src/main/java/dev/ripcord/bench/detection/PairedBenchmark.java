package dev.ripcord.bench.detection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ripcord.workflows.decision.stats.SequentialTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Paired against unpaired on the same prompts. Each window the candidate and the baseline answer the same prompts;
 * each prompt has its own difficulty (a failure probability shared by both answers, drawn from a beta distribution),
 * and a worse candidate additionally fails a share δ of the prompts it would have got right. Three designs, each
 * judged with the engine's own {@link SequentialTest} (mixture SPRT, tolerated ratio 1), the same number of prompts
 * per arm and window:
 * <ul>
 *   <li>{@code paired}: both arms answer the same prompts, tested on the discordant pairs only (the {@code paired}
 *       signal kind);</li>
 *   <li>{@code unpaired}: each arm answers its own prompts from the same population (a split-traffic canary), tested
 *       on how the arms' failures split (a {@code baselineRatioAbove} criterion): the baseline of the comparison;</li>
 *   <li>{@code samePromptsUnpaired}: the paired design's data judged as if unpaired, to show what pairing alone
 *       changes.</li>
 * </ul>
 * Each is calibrated to the same false-rollback rate on healthy releases, and the delay is reported in prompts.
 * Writes bench/results/paired.json and prints one line.
 */
public final class PairedBenchmark {
  /** How prompts differ in difficulty: a beta(a, b) failure probability, or one rate for all (a = 0). */
  record Difficulty(String name, double a, double b, String meaning) {}

  static final List<Difficulty> LEVELS = List.of(
      new Difficulty("homogeneous", 0, 0, "every prompt fails with probability 0.10"),
      new Difficulty("moderate", 4, 36, "beta(4, 36): most prompts fail 5-15 % of the time"),
      new Difficulty("strong", 0.4, 3.6, "beta(0.4, 3.6): many easy prompts, a tail of hard ones"),
      new Difficulty("extreme", 0.05, 0.45, "beta(0.05, 0.45): prompts nearly always or nearly never fail"),
      new Difficulty("near-deterministic", 0.02, 0.18, "beta(0.02, 0.18): each prompt's outcome is all but fixed"
          + " (greedy decoding)"));
  static final double MEAN = 0.10;
  static final double[] SHIFTS = {1.5, 2.0};
  static final int POOL = 1 << 20;
  static final List<String> DESIGNS = List.of("paired", "unpaired", "samePromptsUnpaired");

  private final long seed;
  private final int prompts;
  private final int horizon;
  private final int healthyRuns;
  private final int detectRuns;
  private final double target;

  PairedBenchmark(long seed, int prompts, int horizon, int healthyRuns, int detectRuns, double target) {
    this.seed = seed;
    this.prompts = prompts;
    this.horizon = horizon;
    this.healthyRuns = healthyRuns;
    this.detectRuns = detectRuns;
    this.target = target;
  }

  public static void main(String[] args) throws Exception {
    long seed = 20261202L;
    int prompts = 20;
    int horizon = 2_000;
    int healthy = 4_000;
    int detect = 1_000;
    double target = 0.01;
    Path out = Path.of("bench/results/paired.json");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--prompts" -> prompts = Integer.parseInt(args[++i]);
        case "--horizon" -> horizon = Integer.parseInt(args[++i]);
        case "--healthy-runs" -> healthy = Integer.parseInt(args[++i]);
        case "--detect-runs" -> detect = Integer.parseInt(args[++i]);
        case "--false-rollback-rate" -> target = Double.parseDouble(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--quick" -> {
          healthy = 1_000;
          detect = 200;
        }
        default -> {
          System.err.println("usage: paired [--quick] [--seed N] [--prompts PER_WINDOW] [--horizon WINDOWS]"
              + " [--healthy-runs N] [--detect-runs N] [--false-rollback-rate R] [--out FILE]");
          System.exit(2);
        }
      }
    }
    long started = System.nanoTime();
    Map<String, Object> result = new PairedBenchmark(seed, prompts, horizon, healthy, detect, target).run();
    result.put("elapsedSeconds", (System.nanoTime() - started) / 1e9);
    Files.createDirectories(out.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
    System.out.println(result.get("summaryLine") + " -> " + out);
  }

  Map<String, Object> run() {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("benchmark", "paired");
    result.put("seed", seed);
    result.put("promptsPerWindow", prompts);
    result.put("horizonWindows", horizon);
    result.put("healthyRuns", healthyRuns);
    result.put("detectRuns", detectRuns);
    result.put("meanFailureRate", MEAN);
    result.put("calibratedFalseRollbackRate", target);
    result.put("nominalAlpha", 1e-3);
    List<Map<String, Object>> levels = new ArrayList<>();
    List<String> summary = new ArrayList<>();
    List<String> calibrated = new ArrayList<>();
    for (int l = 0; l < LEVELS.size(); l++) {
      Difficulty d = LEVELS.get(l);
      double[] pool = pool(d, new SplittableRandom(seed + 1000L * l));
      Map<String, Object> level = new LinkedHashMap<>();
      level.put("difficulty", d.name());
      level.put("meaning", d.meaning());
      double[][] healthyMax = new double[DESIGNS.size()][healthyRuns];
      for (int r = 0; r < healthyRuns; r++) {
        double[] m = maxStatistics(pool, 0, new SplittableRandom(seed * 31 + 7919L * r + l));
        for (int k = 0; k < m.length; k++) {
          healthyMax[k][r] = m[k];
        }
      }
      double nominal = Math.log(1 / 1e-3);
      double[] threshold = new double[DESIGNS.size()];
      Map<String, Object> atNominal = new LinkedHashMap<>();
      Map<String, Object> thresholds = new LinkedHashMap<>();
      for (int k = 0; k < threshold.length; k++) {
        threshold[k] = quantile(healthyMax[k], 1 - target);
        atNominal.put(DESIGNS.get(k), count(healthyMax[k], nominal));
        thresholds.put(DESIGNS.get(k), threshold[k]);
      }
      thresholds.put("nominal", nominal);
      level.put("healthyFalseRollbacksAtNominalAlpha", atNominal);
      level.put("calibratedThresholds", thresholds);
      List<Map<String, Object>> shifts = new ArrayList<>();
      for (double shift : SHIFTS) {
        double delta = (shift - 1) * MEAN / (1 - MEAN);
        int[][] delay = new int[DESIGNS.size()][detectRuns];
        int[][] nominalDelay = new int[DESIGNS.size()][detectRuns];
        double[] nominals = new double[DESIGNS.size()];
        Arrays.fill(nominals, nominal);
        for (int r = 0; r < detectRuns; r++) {
          long runSeed = seed * 17 + 104729L * r + l + (long) (shift * 1e6);
          int[] at = firstCrossings(pool, delta, threshold, new SplittableRandom(runSeed));
          int[] crossedNominal = firstCrossings(pool, delta, nominals, new SplittableRandom(runSeed)); // the same data
          for (int k = 0; k < at.length; k++) {
            delay[k][r] = at[k];
            nominalDelay[k][r] = crossedNominal[k];
          }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("shift", shift);
        s.put("delta", delta);
        Map<String, Object> uncalibrated = new LinkedHashMap<>();
        for (int k = 0; k < DESIGNS.size(); k++) {
          s.put(DESIGNS.get(k), delays(delay[k]));
          uncalibrated.put(DESIGNS.get(k), delays(nominalDelay[k]));
        }
        s.put("atNominalAlpha", uncalibrated);
        s.put("atNominalAlphaUnpairedOverPaired", medianPrompts(nominalDelay[1]) / medianPrompts(nominalDelay[0]));
        double ratio = medianPrompts(delay[1]) / medianPrompts(delay[0]);
        s.put("unpairedOverPairedMedianPrompts", ratio);
        s.put("samePromptsUnpairedOverPairedMedianPrompts", medianPrompts(delay[2]) / medianPrompts(delay[0]));
        shifts.add(s);
        if (shift == 1.5) {
          summary.add(String.format(Locale.ROOT, "%s %.1fx", d.name(), medianPrompts(nominalDelay[1])
              / medianPrompts(nominalDelay[0])));
          calibrated.add(String.format(Locale.ROOT, "%.1fx", ratio));
        }
      }
      level.put("shifts", shifts);
      levels.add(level);
    }
    result.put("levels", levels);
    result.put("summaryLine", "paired (same prompts) vs unpaired split test (own prompts), 1.5x worse candidate:"
        + " at alpha 1e-3 the unpaired test needs " + String.join(", ", summary) + " the prompts (median) of the"
        + " paired test; calibrated to an equal " + (target * 100) + " % false-rollback rate " + String.join(", ",
        calibrated));
    return result;
  }

  /** Failure probabilities of prompts at this level of difficulty spread, mean {@link #MEAN}. */
  static double[] pool(Difficulty d, SplittableRandom rnd) {
    double[] pool = new double[POOL];
    for (int i = 0; i < POOL; i++) {
      pool[i] = d.a() == 0 ? MEAN : beta(rnd, d.a(), d.b());
    }
    return pool;
  }

  private SequentialTest test() {
    return new SequentialTest(SequentialTest.Kind.MSPRT, true, 1.0, 2.0, 1e-3, horizon, 1);
  }

  /**
   * One window: {candidate worse, baseline worse} on shared prompts, the two arms' failures on prompts of their own,
   * and the two arms' failures on the shared prompts.
   */
  private long[] window(double[] pool, double delta, SplittableRandom rnd) {
    long worse = 0;
    long better = 0;
    long cand = 0;
    long base = 0;
    long ownCand = 0;
    long ownBase = 0;
    for (int i = 0; i < prompts; i++) {
      double p = pool[rnd.nextInt(POOL)];
      boolean c = rnd.nextDouble() < p + delta * (1 - p);
      boolean b = rnd.nextDouble() < p;
      cand += c ? 1 : 0;
      base += b ? 1 : 0;
      worse += c && !b ? 1 : 0;
      better += b && !c ? 1 : 0;
      double pc = pool[rnd.nextInt(POOL)];
      double pb = pool[rnd.nextInt(POOL)];
      ownCand += rnd.nextDouble() < pc + delta * (1 - pc) ? 1 : 0;
      ownBase += rnd.nextDouble() < pb ? 1 : 0;
    }
    return new long[] {worse, better, ownCand, ownBase, cand, base};
  }

  /** Each design's statistic after this window (state updated in place). */
  private double[] update(SequentialTest t, double[][] state, long[] x) {
    return new double[] {
        t.update(state[0], x[0], prompts, x[1], prompts),
        t.update(state[1], x[2], prompts, x[3], prompts),
        t.update(state[2], x[4], prompts, x[5], prompts)};
  }

  /** The largest statistic of each design over the horizon of one release. */
  private double[] maxStatistics(double[] pool, double delta, SplittableRandom rnd) {
    SequentialTest t = test();
    double[][] state = new double[DESIGNS.size()][t.stateSize()];
    double[] max = new double[DESIGNS.size()];
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (int w = 0; w < horizon; w++) {
      double[] s = update(t, state, window(pool, delta, rnd));
      for (int k = 0; k < s.length; k++) {
        max[k] = Math.max(max[k], s[k]);
      }
    }
    return max;
  }

  /** The window (1-based) each design's test first crosses its threshold in, or -1 within the horizon. */
  private int[] firstCrossings(double[] pool, double delta, double[] threshold, SplittableRandom rnd) {
    SequentialTest t = test();
    double[][] state = new double[DESIGNS.size()][t.stateSize()];
    int[] at = new int[DESIGNS.size()];
    Arrays.fill(at, -1);
    for (int w = 1; w <= horizon && Arrays.stream(at).anyMatch(a -> a < 0); w++) {
      double[] s = update(t, state, window(pool, delta, rnd));
      for (int k = 0; k < s.length; k++) {
        if (at[k] < 0 && s[k] >= threshold[k]) {
          at[k] = w;
        }
      }
    }
    return at;
  }

  private Map<String, Object> delays(int[] windows) {
    Map<String, Object> m = new LinkedHashMap<>();
    long detected = Arrays.stream(windows).filter(w -> w > 0).count();
    m.put("detectedShare", (double) detected / windows.length);
    m.put("medianPrompts", medianPrompts(windows));
    m.put("p90Prompts", percentilePrompts(windows, 0.9));
    return m;
  }

  /** Undetected runs count as the horizon (so a median past it means most were not caught). */
  private double medianPrompts(int[] windows) {
    return percentilePrompts(windows, 0.5);
  }

  private double percentilePrompts(int[] windows, double q) {
    double[] p = Arrays.stream(windows).mapToDouble(w -> (w < 0 ? horizon + 1 : w) * (double) prompts).toArray();
    return quantile(p, q);
  }

  static double quantile(double[] values, double q) {
    double[] s = values.clone();
    Arrays.sort(s);
    int i = (int) Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
    return s[i];
  }

  static long count(double[] values, double atLeast) {
    return Arrays.stream(values).filter(v -> v >= atLeast).count();
  }

  /** A beta(a, b) draw from two gamma draws (Marsaglia–Tsang, with the shape < 1 boost). */
  static double beta(SplittableRandom rnd, double a, double b) {
    double x = gamma(rnd, a);
    double y = gamma(rnd, b);
    return x + y == 0 ? (rnd.nextDouble() < a / (a + b) ? 1 : 0) : x / (x + y);
  }

  static double gamma(SplittableRandom rnd, double shape) {
    if (shape < 1) {
      return gamma(rnd, shape + 1) * Math.pow(rnd.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double u1 = rnd.nextDouble();
      double u2 = rnd.nextDouble();
      double z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
      double v = Math.pow(1 + c * z, 3);
      if (v > 0 && Math.log(rnd.nextDouble()) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }
}
