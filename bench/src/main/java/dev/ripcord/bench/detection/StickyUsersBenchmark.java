package dev.ripcord.bench.detection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ripcord.sandbox.observe.UserPool;
import dev.ripcord.workflows.decision.CriteriaEngine;
import dev.ripcord.workflows.decision.EngineState;
import dev.ripcord.workflows.decision.Evaluation;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.Verdict;
import dev.ripcord.workflows.decision.VerdictEngine;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.SignalSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sticky users: each arm serves a fixed pool of users for the stage ({@link UserPool}: heavy-tailed activity, users
 * who differ in how often they trigger the signal), half the outputs each, evaluated every minute for four hours by
 * the release workflow's own engine ({@link CriteriaEngine}). The same simulated releases are judged twice: by a
 * policy whose signal counts outputs (a mixture test against the baseline, output by output) and by the same policy
 * with {@code unit: user} (the comparison over users). Healthy releases (the candidate identical to the baseline) and
 * a candidate twice as likely to trigger the signal. Writes bench/results/sticky.json and prints one line.
 */
public final class StickyUsersBenchmark {
  static final double RATE = 0.005;
  static final int MINUTES = 240;
  /** Judged output by output, and over users. */
  private static final ReleasePolicy[] POLICIES = {policy(null), policy("user")};

  private StickyUsersBenchmark() {}

  public static void main(String[] args) throws Exception {
    int healthy = 400;
    int detect = 100;
    long seed = 20261207L;
    Path out = Path.of("bench/results/sticky.json");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> {
          healthy = 100;
          detect = 40;
        }
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.err.println("usage: StickyUsersBenchmark [--quick] [--seed N] [--out FILE]");
          System.exit(2);
        }
      }
    }
    long started = System.nanoTime();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("benchmark", "sticky-users");
    result.put("seed", seed);
    result.put("falseRollbackBudget", DetectionBenchmark.BUDGET);
    result.put("model", "each arm a fixed pool of users for the stage; activity log-normal (sigma 1), propensity"
        + " gamma (shape 0.25, mean 1) times base rate " + RATE + "; half the outputs each arm; a 1-minute window,"
        + " " + MINUTES + " minutes; {signal: hallucination, test: msprt, baselineRatioAbove: 1.0}, sustain "
        + DetectionBenchmark.SUSTAIN + " windows, through CriteriaEngine");
    List<Map<String, Object>> configs = new ArrayList<>();
    StringBuilder line = new StringBuilder("sticky users: healthy releases rolled back, outputs vs users:");
    for (long[] c : new long[][] {{2_000, 300}, {2_000, 2_000}, {10_000, 1_500}, {10_000, 5_000}}) {
      Map<String, Object> m = config(c[0], (int) c[1], healthy, detect, seed);
      configs.add(m);
      line.append(String.format(" %,d/min %,d users %s vs %s (2x found %s vs %s);", c[0], c[1],
          m.get("_outputsHealthy"), m.get("_usersHealthy"), m.get("_outputsDetect"), m.get("_usersDetect")));
      m.keySet().removeIf(k -> k.startsWith("_"));
      System.err.printf("  %,d/min, %,d users an arm done%n", c[0], c[1]);
    }
    result.put("configs", configs);
    result.put("summaryLine", line.toString());
    result.put("elapsedSeconds", (System.nanoTime() - started) / 1e9);
    Files.createDirectories(out.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
    System.out.println(line + " -> " + out);
  }

  private static Map<String, Object> config(long volume, int users, int healthy, int detect, long seed) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("outputsPerMinute", volume);
    m.put("usersPerArm", users);
    for (double factor : new double[] {1, 2}) {
      int runs = factor == 1 ? healthy : detect;
      int[] fired = new int[2];
      double[] delay = new double[2];
      for (int run = 0; run < runs; run++) {
        int[] at = release(volume, users, factor, seed + run * 7919L + (factor == 1 ? 0 : 1_000_003L));
        for (int p = 0; p < 2; p++) {
          fired[p] += at[p] >= 0 ? 1 : 0;
          delay[p] += at[p] >= 0 ? at[p] + 1 : MINUTES;
        }
      }
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("runs", runs);
      String[] names = {"outputs", "users"};
      for (int p = 0; p < 2; p++) {
        Map<String, Object> r = new LinkedHashMap<>();
        if (factor == 1) {
          r.put("falseRollbacks", fired[p]);
          r.put("upper95", Bounds.clopperPearson(fired[p], runs)[1]);
          m.put("_" + names[p] + "Healthy", fired[p] + "/" + runs);
        } else {
          r.put("detectedWithinHorizon", (double) fired[p] / runs);
          r.put("meanDelayMinutes", delay[p] / runs);
          m.put("_" + names[p] + "Detect", fired[p] + "/" + runs);
        }
        s.put(names[p], r);
      }
      m.put(factor == 1 ? "healthy" : "candidate2x", s);
    }
    return m;
  }

  /** The minute each policy (outputs, users) rolls the release back, or -1. */
  static int[] release(long volume, int users, double factor, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    UserPool candidate = UserPool.draw(rnd, users);
    UserPool baseline = UserPool.draw(rnd, users);
    ReleasePolicy[] policies = POLICIES;
    VerdictEngine engine = new CriteriaEngine();
    EngineState[] states = {engine.start(policies[0]), engine.start(policies[1])};
    int[] at = {-1, -1};
    for (int t = 0; t < MINUTES && (at[0] < 0 || at[1] < 0); t++) {
      Arm c = candidate.window(rnd, volume / 2, RATE * factor);
      Arm b = baseline.window(rnd, volume / 2, RATE);
      Arm[][] arms = {{Arm.counts(c.events(), c.trials()), Arm.counts(b.events(), b.trials())}, {c, b}};
      for (int p = 0; p < 2; p++) {
        if (at[p] >= 0) {
          continue;
        }
        Evaluation e = engine.evaluate(policies[p], states[p], new Observation(null, null, "canary",
            Map.of("hallucination", new SignalReading(arms[p][0], arms[p][1], null)), "bench", null));
        states[p] = e.state();
        if (e.verdict().verdict() == Verdict.ROLLBACK) {
          at[p] = t;
        }
      }
    }
    return at;
  }

  /** The mixture test against the baseline on a rate counted by output ({@code unit} null) or by user. */
  static ReleasePolicy policy(String unit) {
    return EngineCrossCheck.policy("60s", MINUTES, 50,
        new SignalSpec("hallucination", "rate", "quality", null, 10000, true, null, null, unit),
        new ConditionSpec("hallucination", null, null, 1.0, null, null, null, null, null, null, "msprt", null, null,
            null, null, null));
  }
}
