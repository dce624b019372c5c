package dev.ripcord.bench.detection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Kayenta-style judge: every {@code every} windows, a one-sided Mann-Whitney test of the candidate's per-window
 * rates against the baseline's over all windows so far; the release fails at the first judgement whose normal-
 * approximation p-value is below {@code alphaPerJudgement} (the budget divided by the judgements in the horizon).
 */
final class KayentaDetector implements Detector {
  private final int every;
  private final double alphaPerJudgement;
  private final double zCrit;
  private final List<Double> cand = new ArrayList<>();
  private final List<Double> base = new ArrayList<>();

  KayentaDetector(int every, double alphaPerJudgement) {
    this.every = every;
    this.alphaPerJudgement = alphaPerJudgement;
    this.zCrit = dev.ripcord.workflows.decision.stats.Stats.normalQuantile(1 - alphaPerJudgement);
  }

  @Override
  public String name() {
    return "kayenta(judge every " + every + " windows, alpha/judgement=" + String.format("%.1e", alphaPerJudgement) + ")";
  }

  @Override
  public Detector fresh() {
    return new KayentaDetector(every, alphaPerJudgement);
  }

  @Override
  public boolean window(int t, long xc, long nc, long xb, long nb) {
    if (nc > 0 && nb > 0) {
      cand.add((double) xc / nc);
      base.add((double) xb / nb);
    }
    if ((t + 1) % every != 0 || cand.size() < 5) {
      return false;
    }
    return mannWhitneyZ(cand, base) > zCrit;
  }

  /** z of the Mann-Whitney U statistic (candidate greater), with the tie-corrected variance. */
  static double mannWhitneyZ(List<Double> a, List<Double> b) {
    int n1 = a.size();
    int n2 = b.size();
    double[][] all = new double[n1 + n2][2];
    for (int i = 0; i < n1; i++) {
      all[i] = new double[] {a.get(i), 0};
    }
    for (int i = 0; i < n2; i++) {
      all[n1 + i] = new double[] {b.get(i), 1};
    }
    Arrays.sort(all, (x, y) -> Double.compare(x[0], y[0]));
    double rankSumA = 0;
    double tieTerm = 0;
    int n = n1 + n2;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && all[j + 1][0] == all[i][0]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      int ties = j - i + 1;
      tieTerm += (double) ties * ties * ties - ties;
      for (int k = i; k <= j; k++) {
        if (all[k][1] == 0) {
          rankSumA += rank;
        }
      }
      i = j + 1;
    }
    double u = rankSumA - n1 * (n1 + 1) / 2.0;
    double mean = n1 * (double) n2 / 2;
    double var = n1 * (double) n2 / 12 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
    return var <= 0 ? 0 : (u - mean) / Math.sqrt(var);
  }
}
