package dev.ripcord.bench.detection;

import dev.ripcord.workflows.decision.SampleRatio;

/**
 * The peer: Lindon and Malek's anytime-valid count test for canary releases ("Anytime-valid inference for multinomial
 * count data", NeurIPS 2022), as PyPI {@code savvi} 0.3.1's {@code InhomogeneousPoissonProcess} computes it. Events of
 * both arms are multinomial with the assignment probabilities {@code ρ} when the candidate is no worse; the statistic
 * is the Dirichlet-multinomial Bayes factor of the events so far against {@code ρ}, the prior {@code k·ρ} with
 * savvi's default {@code k = 100}. It rolls back when the Bayes factor reaches 1/α and the candidate holds more than
 * its share of the events (the package's test is two-sided; a candidate with fewer events is no reason to roll back).
 * No sustain rule, no dispersion correction: the published test as a team would use it. {@code PeerCountTestTest} checks the
 * statistic against the package's own numbers.
 */
final class PeerCountTestDetector implements Detector {
  /** savvi's default concentration of the Dirichlet prior. */
  static final double K = 100;
  static final String NAME = "peer count test (savvi)";
  private final double rho;
  private final double logThreshold;
  private long xc;
  private long xb;

  PeerCountTestDetector(double rho, double alpha) {
    this.rho = rho;
    this.logThreshold = Math.log(1 / alpha);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Detector fresh() {
    return new PeerCountTestDetector(rho, Math.exp(-logThreshold));
  }

  /** The log Bayes factor of the events so far, as savvi's {@code log(odds)}. */
  double logOdds() {
    return logOdds(xc, xb, rho);
  }

  static double logOdds(long xc, long xb, double rho) {
    return SampleRatio.logBayesFactor(xc, xb, rho, 0, K);
  }

  @Override
  public boolean window(int t, long xc, long nc, long xb, long nb) {
    this.xc += xc;
    this.xb += xb;
    long n = this.xc + this.xb;
    return n > 0 && this.xc > rho * n && logOdds() >= logThreshold;
  }
}
