package dev.ripcord.workflows.testing;

import java.util.SplittableRandom;

/** Random draws the simulated-traffic tests share: counts and heavy-tailed propensities, from a seeded source. */
public final class Draws {
  private Draws() {}

  /** Poisson({@code mean}): by multiplication of uniforms, or its normal approximation above a mean of 30. */
  public static long poisson(SplittableRandom rnd, double mean) {
    if (mean > 30) {
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * rnd.nextGaussian()));
    }
    double l = Math.exp(-mean);
    long k = 0;
    double p = rnd.nextDouble();
    while (p > l) {
      k++;
      p *= rnd.nextDouble();
    }
    return k;
  }

  /** Gamma(shape, 1) for shape at most 1 (Marsaglia and Tsang on shape + 1, scaled by U^(1/shape)). */
  public static double gamma(SplittableRandom rnd, double shape) {
    double d = shape + 1 - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = rnd.nextGaussian();
      double v = Math.pow(1 + c * x, 3);
      if (v > 0 && Math.log(rnd.nextDouble()) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v * Math.pow(rnd.nextDouble(), 1 / shape);
      }
    }
  }
}
