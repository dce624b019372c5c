package dev.ripcord.workflows.decision.classify;

import dev.ripcord.workflows.decision.Allocation;
import dev.ripcord.workflows.decision.stats.SequentialTest;
import dev.ripcord.workflows.decision.stats.SustainClock;
import java.util.TreeMap;

/**
 * What a classifier needs besides its condition: the criterion and where the leaf sits in it (its statistics are
 * kept under that path), the criterion's running statistics, the false-rollback budget's split, and the criterion's
 * sustain rule (a sequential test takes it as a cap on each window's evidence).
 *
 * @param stats the criterion's running statistics; sequential classifiers read and update them
 * @param rules the arithmetic of sequential tests this release judges by (a version marker chooses it)
 * @param stages how many stages the release has (a test that restarts at each stage takes a union bound over them)
 * @param moment when the window was observed, for sustain in time ({@link SustainClock}); null when not known
 */
public record Leaf(String criterion, String path, TreeMap<String, Double> stats, Allocation allocation,
    int sustainWindows, int sustainOf, SequentialTest.Rules rules, int stages, SustainClock.Moment moment) {

  /** A leaf of a window whose time is not known: under sustain in time, a window of its own. */
  public Leaf(String criterion, String path, TreeMap<String, Double> stats, Allocation allocation,
      int sustainWindows, int sustainOf, SequentialTest.Rules rules, int stages) {
    this(criterion, path, stats, allocation, sustainWindows, sustainOf, rules, stages, null);
  }

  /** A leaf of a one-stage release. */
  public Leaf(String criterion, String path, TreeMap<String, Double> stats, Allocation allocation,
      int sustainWindows, int sustainOf, SequentialTest.Rules rules) {
    this(criterion, path, stats, allocation, sustainWindows, sustainOf, rules, 1);
  }

  /** A leaf judged by today's arithmetic. */
  public Leaf(String criterion, String path, TreeMap<String, Double> stats, Allocation allocation,
      int sustainWindows, int sustainOf) {
    this(criterion, path, stats, allocation, sustainWindows, sustainOf, SequentialTest.Rules.CURRENT);
  }

  /** The running state kept under {@code key}0, {@code key}1, …: zeros the first time. */
  public double[] state(String key, int size) {
    double[] state = new double[size];
    for (int k = 0; k < size; k++) {
      state[k] = stats.getOrDefault(key + k, 0.0);
    }
    return state;
  }

  /** Keeps {@code state} under {@code key}0, {@code key}1, … for the next window. */
  public void keep(String key, double[] state) {
    for (int k = 0; k < state.length; k++) {
      stats.put(key + k, state[k]);
    }
  }

  /**
   * The keys of a test that restarts at each stage: {@code whole} (since the release began) and one per stage seen so
   * far and {@code stage}, each {@code whole@STAGE/} ({@link #stageOf} reads the stage back).
   */
  public java.util.List<String> sinceEachStage(String whole, String stage) {
    java.util.List<String> keys = new java.util.ArrayList<>();
    keys.add(whole);
    String prefix = whole + "@";
    java.util.Set<String> stages = new java.util.TreeSet<>();
    for (String key : stats.subMap(prefix, prefix + Character.MAX_VALUE).keySet()) {
      stages.add(key.substring(prefix.length(), key.lastIndexOf('/')));
    }
    stages.add(stage == null ? "" : stage);
    stages.forEach(st -> keys.add(prefix + st + "/"));
    return keys;
  }

  /** The stage a key of {@link #sinceEachStage} counts from; null for the whole release's. */
  public static String stageOf(String key) {
    int at = key.lastIndexOf('@');
    return key.endsWith("/") && at >= 0 ? key.substring(at + 1, key.length() - 1) : null;
  }

  /** This leaf's share of the false-rollback budget. */
  public double alpha() {
    return allocation.alpha(criterion, path);
  }
}
