package dev.ripcord.bench.detection;

import java.util.ArrayList;
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
      insertSorted(cand, (double) xc / nc);
      insertSorted(base, (double) xb / nb);
    }
    if ((t + 1) % every != 0 || cand.size() < 5) {
      return false;
    }
    return mannWhitneyZ(cand, base) > zCrit;
  }

  private static void insertSorted(List<Double> xs, double x) {
    int i = java.util.Collections.binarySearch(xs, x);
    xs.add(i < 0 ? -i - 1 : i, x);
  }

  /**
   * z of the Mann-Whitney U statistic (first sample greater), with the tie-corrected variance; both lists sorted.
   * One merge ranks both samples.
   */
  static double mannWhitneyZ(List<Double> a, List<Double> b) {
    int n1 = a.size();
    int n2 = b.size();
    int n = n1 + n2;
    int i = 0;
    int j = 0;
    double rankSumA = 0;
    double tieTerm = 0;
    int position = 0;
    while (i < n1 || j < n2) {
      double v = i < n1 && (j >= n2 || a.get(i) <= b.get(j)) ? a.get(i) : b.get(j);
      int fromA = 0;
      int fromB = 0;
      while (i < n1 && a.get(i) == v) {
        i++;
        fromA++;
      }
      while (j < n2 && b.get(j) == v) {
        j++;
        fromB++;
      }
      int ties = fromA + fromB;
      double rank = position + (ties + 1) / 2.0;
      rankSumA += rank * fromA;
      tieTerm += (double) ties * ties * ties - ties;
      position += ties;
    }
    double u = rankSumA - n1 * (n1 + 1) / 2.0;
    double mean = n1 * (double) n2 / 2;
    double var = n1 * (double) n2 / 12 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
    return var <= 0 ? 0 : (u - mean) / Math.sqrt(var);
  }
}
