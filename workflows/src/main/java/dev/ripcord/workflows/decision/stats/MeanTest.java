package dev.ripcord.workflows.decision.stats;

/**
 * An always-valid test of "the candidate's mean is no worse than {@code margin} times the baseline's", for graded
 * scores and other means observed with their sample size and spread. The statistic is the Gaussian mixture
 * likelihood ratio of Robbins, as Johari, Pekelis and Walsh use it for A/B tests ("Always valid inference",
 * Operations Research 2022): for the estimate D of {@code mean(candidate) - margin * mean(baseline)}, relative to the
 * baseline's mean, with variance V and a normal mixing distribution of scale {@code tau} over the effect,
 * {@code Λ = sqrt(V / (V + τ²)) · exp(τ² D² / (2 V (V + τ²)))}. Under the margin Λ is a martingale, so by Ville's
 * inequality it ever reaches 1/α with probability at most α however often it is looked at; it rolls back only when D
 * lies on the worse side. V uses the variances estimated from the data so far, so the guarantee is asymptotic, as
 * for the asymptotic confidence sequences of Waudby-Smith et al. (Annals of Statistics 2024), whose boundary this is.
 * The same inequality gives the always-valid confidence bound each explanation quotes. Pure; the running sums are the
 * criterion's statistics.
 */
public final class MeanTest {
  /** The running sums one test keeps: n, sum and sum of squares for the candidate, then for the baseline. */
  public static final int STATE = 6;
  /** The mixing scale over the relative effect: tuned to find shifts of a few per cent of the baseline's mean. */
  public static final double TAU = 0.05;

  /** The mixing scale for rates compared over units: their effects worth finding are ratios of 1.25 to 5. */
  public static final double RATE_TAU = 0.5;

  private final double margin;
  private final boolean lowerIsWorse;
  private final double alpha;
  private final double tau;

  public MeanTest(double margin, boolean lowerIsWorse, double alpha) {
    this(margin, lowerIsWorse, alpha, TAU);
  }

  /** A test whose mixing distribution over the relative effect has scale {@code tau}. */
  public MeanTest(double margin, boolean lowerIsWorse, double alpha, double tau) {
    this.margin = margin;
    this.lowerIsWorse = lowerIsWorse;
    this.alpha = alpha;
    this.tau = tau;
  }

  /** A window's arm: {@code n} observations with their sum and sum of squares. */
  public record Sample(long n, double sum, double sumSquares) {
    public static Sample of(long n, double mean, double sd) {
      return new Sample(n, mean * n, sd * sd * Math.max(n - 1, 0) + n * mean * mean);
    }

    /**
     * A value known exactly, as the baseline side of a test against a fixed share (a quantile's 1 − q, a paired
     * split's r0/(1 + r0)): two observations of it, no spread, so it adds nothing to the variance.
     */
    public static Sample exactly(double value) {
      return new Sample(2, 2 * value, 2 * value * value);
    }

    public double mean() {
      return n == 0 ? Double.NaN : sum / n;
    }
  }

  /** What {@code candidate} says against a value known exactly: {@link #evaluate} with {@link Sample#exactly}. */
  public Result against(Sample candidate, double value) {
    Sample known = Sample.exactly(value);
    return evaluate(new double[] {candidate.n(), candidate.sum(), candidate.sumSquares(), known.n(), known.sum(),
        known.sumSquares()});
  }

  /** Adds one window's arms to the running sums. */
  public static void add(double[] state, Sample candidate, Sample baseline) {
    state[0] += candidate.n();
    state[1] += candidate.sum();
    state[2] += candidate.sumSquares();
    state[3] += baseline.n();
    state[4] += baseline.sum();
    state[5] += baseline.sumSquares();
  }

  /**
   * What the running sums say: the means, the ratio's always-valid bound on the worse side, the log of Λ, and
   * whether it crossed ln(1/α) on the worse side. Null when either arm has fewer than two observations or the
   * baseline's mean is not positive (a ratio to it says nothing).
   */
  public Result evaluate(double[] s) {
    double nc = s[0];
    double nb = s[3];
    if (nc < 2 || nb < 2) {
      return null;
    }
    double mc = s[1] / nc;
    double mb = s[4] / nb;
    if (!(mb > 0)) {
      return null;
    }
    double vc = Math.max(s[2] - nc * mc * mc, 0) / (nc - 1);
    double vb = Math.max(s[5] - nb * mb * mb, 0) / (nb - 1);
    double d = (mc - margin * mb) / mb;
    double v = (vc / nc + margin * margin * vb / nb) / (mb * mb);
    v = Math.max(v, 1e-12);
    double t2 = tau * tau;
    double logLambda = 0.5 * StrictMath.log(v / (v + t2)) + t2 * d * d / (2 * v * (v + t2));
    double threshold = StrictMath.log(1 / alpha);
    double radius = StrictMath.sqrt(2 * v * (v + t2) / t2 * (threshold + 0.5 * StrictMath.log((v + t2) / v)));
    boolean worse = lowerIsWorse ? d < 0 : d > 0;
    double bound = margin + (lowerIsWorse ? d + radius : d - radius);
    return new Result(mc, mb, (long) nc, (long) nb, mc / mb, bound, logLambda, threshold,
        worse && logLambda >= threshold);
  }

  /**
   * @param ratio the candidate's mean over the baseline's
   * @param bound the ratio's always-valid confidence bound at 1-α on the worse side (upper for lower-is-worse)
   */
  public record Result(double candidateMean, double baselineMean, long candidateN, long baselineN, double ratio,
      double bound, double logLambda, double threshold, boolean crossed) {}
}
