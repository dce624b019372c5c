package dev.ripcord.sandbox.observe;

import dev.ripcord.workflows.decision.Observation.Arm;
import java.util.SplittableRandom;

/**
 * One arm's fixed pool of users under sticky routing: each user keeps this arm for the stage, users differ in how
 * active they are (log-normal share of the arm's outputs, σ = 1) and in how often they trigger the signal (gamma
 * propensity with shape 0.25, mean 1: most users rarely, a few often). A window draws each user's outputs and events
 * and reports the arm's counts for the window with the pool's unit statistics since the stage began, as a service
 * that knows its users sends them. Used by the detection benchmark's sticky-users scenarios.
 */
public final class UserPool {
  private final double[] activity;
  private final double[] propensity;
  private final long[] events;
  private final long[] trials;

  private UserPool(double[] activity, double[] propensity) {
    this.activity = activity;
    this.propensity = propensity;
    this.events = new long[activity.length];
    this.trials = new long[activity.length];
  }

  /** A pool of {@code users} drawn from {@code rnd}. */
  public static UserPool draw(SplittableRandom rnd, int users) {
    double[] a = new double[users];
    double[] m = new double[users];
    double total = 0;
    for (int u = 0; u < users; u++) {
      a[u] = Math.exp(rnd.nextGaussian());
      total += a[u];
      m[u] = gamma(rnd, 0.25) / 0.25;
    }
    for (int u = 0; u < users; u++) {
      a[u] /= total;
    }
    return new UserPool(a, m);
  }

  /** One window of about {@code outputs} outputs at base rate {@code rate}: its counts and the units since the start. */
  public Arm window(SplittableRandom rnd, long outputs, double rate) {
    long e = 0;
    long t = 0;
    for (int u = 0; u < activity.length; u++) {
      long tu = poisson(rnd, outputs * activity[u]);
      long eu = Math.min(tu, poisson(rnd, tu * Math.min(1, rate * propensity[u])));
      trials[u] += tu;
      events[u] += eu;
      t += tu;
      e += eu;
    }
    long units = 0;
    double ee = 0;
    double tt = 0;
    double et = 0;
    for (int u = 0; u < activity.length; u++) {
      if (trials[u] > 0) {
        units++;
        ee += (double) events[u] * events[u];
        tt += (double) trials[u] * trials[u];
        et += (double) events[u] * trials[u];
      }
    }
    return Arm.counts(e, t).withUnits(units, ee, tt, et);
  }

  static long poisson(SplittableRandom rnd, double mean) {
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

  /** Gamma(shape, 1) for shape below 1 (Marsaglia and Tsang on shape + 1, scaled by U^(1/shape)). */
  static double gamma(SplittableRandom rnd, double shape) {
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
