package dev.ripcord.workflows.decision.stats;

/**
 * The statistics the engine uses, deterministic: only {@link StrictMath} for logarithms, exponentials and roots,
 * so a replay on any JVM computes the same bits.
 */
public final class Stats {
  private Stats() {}

  /**
   * Log-likelihood ratio of {@code events} out of {@code trials} Bernoulli outcomes under rate {@code p1} versus
   * {@code p0}: the increment of a one-sample SPRT or CUSUM for "the rate is {@code p1}, not {@code p0}".
   */
  public static double bernoulliLlr(long events, long trials, double p0, double p1) {
    return events * StrictMath.log(p1 / p0) + (trials - events) * StrictMath.log((1 - p1) / (1 - p0));
  }

  /**
   * Log-likelihood ratio of how {@code xc + xb} events split between a candidate arm of {@code nc} trials and a
   * baseline arm of {@code nb} trials, when the candidate's rate is {@code r} times the baseline's, versus
   * {@code r0} times. Conditioning on the total cancels whatever both arms share (seasonality, traffic mix, a
   * spike in both): only the split carries information.
   */
  public static double splitLlr(long xc, long xb, long nc, long nb, double r0, double r) {
    if (nc <= 0 || nb <= 0 || xc + xb == 0) {
      return 0;
    }
    double theta0 = nc * r0 / (nc * r0 + nb);
    double theta = nc * r / (nc * r + nb);
    return xc * StrictMath.log(theta / theta0) + xb * StrictMath.log((1 - theta) / (1 - theta0));
  }

  /** log(Σ w_i · exp(l_i)) computed stably. */
  public static double logMixture(double[] weights, double[] logs) {
    double max = Double.NEGATIVE_INFINITY;
    for (double l : logs) {
      max = Math.max(max, l);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double sum = 0;
    for (int i = 0; i < logs.length; i++) {
      sum += weights[i] * StrictMath.exp(logs[i] - max);
    }
    return max + StrictMath.log(sum);
  }

  /** Wilson score bound for events/trials with normal quantile {@code z}; lower or upper. */
  public static double wilson(long events, long trials, double z, boolean lower) {
    if (trials <= 0) {
      return lower ? 0 : 1;
    }
    double n = trials;
    double p = events / n;
    double z2 = z * z;
    double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = z * StrictMath.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
    return lower ? Math.max(0, centre - half) : Math.min(1, centre + half);
  }

  /**
   * The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9 on (0, 1)).
   */
  public static double normalQuantile(double p) {
    if (p <= 0 || p >= 1) {
      throw new IllegalArgumentException("p must be in (0, 1): " + p);
    }
    final double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    final double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01};
    final double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    final double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    double x;
    if (p < 0.02425) {
      double q = StrictMath.sqrt(-2 * StrictMath.log(p));
      x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - 0.02425) {
      double q = p - 0.5;
      double r = q * q;
      x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
          / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
      double q = StrictMath.sqrt(-2 * StrictMath.log(1 - p));
      x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    return x;
  }

}
