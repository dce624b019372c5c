package dev.ripcord.bench.detection;

import dev.ripcord.workflows.decision.stats.SequentialTest;

/**
 * Ripcord's policy for a rare-event rate: any of a mixture SPRT (changes at deployment) and a CUSUM (changes later)
 * on the split of events between candidate and concurrent baseline, H0 ratio 1, sharing the false-rollback budget
 * (Bonferroni), each window's evidence capped at 1/m of the threshold (sustain m windows: no fewer than m windows can
 * make it cross), with the arithmetic of {@link SequentialTest.Rules} given. The same {@link SequentialTest} code the release workflow's engine runs.
 */
final class RipcordDetector implements Detector {
  private final String name;
  private final double budget;
  private final long horizon;
  private final int sustain;
  private final SequentialTest.Rules rules;
  private final SequentialTest msprt;
  private final SequentialTest cusum;
  private final double[] ms;
  private final double[] cs;

  RipcordDetector(String name, double budget, long horizon, int sustain, SequentialTest.Rules rules) {
    this.name = name;
    this.budget = budget;
    this.horizon = horizon;
    this.sustain = sustain;
    this.rules = rules;
    this.msprt = new SequentialTest(SequentialTest.Kind.MSPRT, true, 1.0, 2.0, budget / 2, horizon, sustain, sustain,
        rules);
    this.cusum = new SequentialTest(SequentialTest.Kind.CUSUM, true, 1.0, 2.0, budget / 2, horizon, sustain, sustain,
        rules);
    this.ms = new double[msprt.stateSize()];
    this.cs = new double[cusum.stateSize()];
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Detector fresh() {
    return new RipcordDetector(name, budget, horizon, sustain, rules);
  }

  @Override
  public boolean window(int t, long xc, long nc, long xb, long nb) {
    boolean a = msprt.update(ms, xc, nc, xb, nb) >= msprt.threshold();
    boolean b = cusum.update(cs, xc, nc, xb, nb) >= cusum.threshold();
    return a || b;
  }
}
