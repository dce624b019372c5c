package dev.ripcord.workflows.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.stats.Histogram;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.EvaluationSpec;
import dev.ripcord.workflows.policy.LeafKind;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether the candidate really receives the share of traffic the router confirmed: a sample-ratio-mismatch guard.
 * A gateway that sends 8 % instead of 10 %, an arm that drops requests in a crash loop or a sticky-session bug
 * biases every comparison of the arms, so each window's arm sizes are added up for the stage and tested against the
 * router's weight by an always-valid count test: the Dirichlet-multinomial Bayes factor of Lindon and Malek
 * ("Anytime-valid inference for multinomial count data", NeurIPS 2022), with a prior centred on the expected split.
 * It crosses 1/α on a stage whose split is right with probability at most α, however often it is looked at.
 *
 * <p>A window's arm size is, of the signals that observe both arms, the largest: trials for a rate, {@code n} for a
 * sample, the histogram's total for buckets (values alone have no size). Pure.
 */
public final class SampleRatio {
  /** The name an investigation of a mismatch goes by (in the audit log, and as the investigated "criterion"). */
  public static final String NAME = "sample-ratio";
  public static final double DEFAULT_ALPHA = 1e-3;
  /** The prior's concentration: tuned to find a share off by about a fifth (10 % served as 8 %). */
  public static final double CONCENTRATION = 250;
  /**
   * A router that hashes users onto a ring splits them by the ring's arcs, not exactly by the weights: HAProxy's
   * consistent hashing put 4.3, 10.3, 27.5 and 52.0 % of 2,000 users on the candidate at weights 5, 10, 25 and 50
   * (docs/contracts.md, "Sticky users"). Sticky routing therefore tolerates the smaller arm off by up to this share of itself.
   */
  public static final double STICKY_TOLERANCE = 0.15;

  private SampleRatio() {}

  /** The action a mismatch takes under {@code policy}: its own, or by default pause when criteria compare the arms. */
  public static String action(ReleasePolicy policy) {
    EvaluationSpec.SampleRatioSpec spec = policy.evaluation().sampleRatio();
    if (spec != null && spec.action() != null) {
      return spec.action();
    }
    return policy.criteria().stream().anyMatch(c -> compares(policy, c.when())) ? "pause-and-investigate" : "off";
  }

  /**
   * The share of the smaller arm by which a split may differ from the router's weight before it is a mismatch, under
   * {@code policy}: its own {@code tolerance}, or with {@code router.stickiness} {@link #STICKY_TOLERANCE}, otherwise 0.
   */
  public static double tolerance(ReleasePolicy policy) {
    EvaluationSpec.SampleRatioSpec spec = policy.evaluation().sampleRatio();
    if (spec != null && spec.tolerance() != null) {
      return spec.tolerance();
    }
    return policy.router() != null && policy.router().stickiness() != null ? STICKY_TOLERANCE : 0;
  }

  /** The chance a stage whose split is right is flagged, under {@code policy}. */
  public static double alpha(ReleasePolicy policy) {
    EvaluationSpec.SampleRatioSpec spec = policy.evaluation().sampleRatio();
    return spec == null || spec.alpha() == null ? DEFAULT_ALPHA : spec.alpha();
  }

  private static boolean compares(ReleasePolicy policy, ConditionSpec c) {
    return c != null && c.anyLeaf(x -> {
      SignalSpec s = policy.signal(x.signal());
      return s != null && LeafKind.comparesWithBaseline(x) && LeafKind.of(x, s) != LeafKind.PAIRED;
    });
  }

  /**
   * The running counts of one stage at one weight; a new stage or weight starts afresh.
   *
   * @param mismatch the reason, once the test found the split wrong; null while it has not
   * @param units true when the counts are units (users, sessions, conversations) since the stage began, as windows
   *     of signals with a {@code unit} carry them; null when they are outputs added up window by window
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record State(String stage, int weight, long candidate, long baseline, String mismatch, Boolean units) {
    public State(String stage, int weight, long candidate, long baseline, String mismatch) {
      this(stage, weight, candidate, baseline, mismatch, null);
    }
  }

  /**
   * {@code before} with window {@code o} added, at the router's confirmed {@code weight}; null when the stage's split
   * is not traffic (0 or 100 %, or mirrored requests) or the window has no arm sizes to add.
   */
  public static State observe(State before, String stage, int weight, boolean mirrored, Observation o, double alpha) {
    return observe(before, stage, weight, mirrored, o, alpha, 0);
  }

  /**
   * As {@link #observe(State, String, int, boolean, Observation, double)}, a split within {@code tolerance} of the
   * smaller arm's share of the weight being as right as the weight itself.
   */
  public static State observe(State before, String stage, int weight, boolean mirrored, Observation o, double alpha,
      double tolerance) {
    if (weight <= 0 || weight >= 100 || mirrored) {
      return null;
    }
    State s = before != null && before.stage().equals(stage) && before.weight() == weight ? before
        : new State(stage, weight, 0, 0, null);
    // Sticky routing assigns units, not outputs, to arms: where windows carry units (since the stage began), the
    // split is tested on them, whose counts replace the last ones; outputs, clustered in units, are not multinomial.
    long[] units = units(o);
    long[] sizes = units != null ? units : sizes(o);
    if (sizes == null) {
      return s;
    }
    State next = units != null ? new State(stage, weight, units[0], units[1], s.mismatch(), true)
        : new State(stage, weight, s.candidate() + sizes[0], s.baseline() + sizes[1], s.mismatch());
    if (next.mismatch() == null && logBayesFactor(next.candidate(), next.baseline(), weight / 100.0, tolerance)
        >= StrictMath.log(1 / alpha)) {
      double share = 100.0 * next.candidate() / (next.candidate() + next.baseline());
      next = new State(stage, weight, next.candidate(), next.baseline(), String.format(Locale.ROOT,
          "sample ratio mismatch: candidate %.1f %% of %,d %s this stage, router weight %s %% (always-valid"
              + " count test, Bayes factor above %.0f): comparisons of the arms are not evidence until it is"
              + " explained", share, next.candidate() + next.baseline(), units != null ? "units" : "outputs",
          tolerance == 0 ? weight : weight + " ± " + band(weight, tolerance), 1 / alpha), next.units());
    }
    return next;
  }

  /** The candidate's and the baseline's size this window, or null when no signal observes both with a size. */
  static long[] sizes(Observation o) {
    return largest(o, SampleRatio::size);
  }

  /** The most units any signal counts on both arms since the stage began, or null when no window carries them. */
  static long[] units(Observation o) {
    return largest(o, Arm::units);
  }

  /** Of the signals that observe both arms with a {@code size}, the arms of the largest; null when there is none. */
  private static long[] largest(Observation o, java.util.function.Function<Arm, Long> size) {
    if (o.signals() == null) {
      return null;
    }
    long[] best = null;
    for (Map.Entry<String, SignalReading> e : new TreeMap<>(o.signals()).entrySet()) {
      SignalReading r = e.getValue();
      if (r == null || r.candidate() == null || r.baseline() == null) {
        continue;
      }
      Long c = size.apply(r.candidate());
      Long b = size.apply(r.baseline());
      if (c != null && b != null && (best == null || c + b > best[0] + best[1])) {
        best = new long[] {c, b};
      }
    }
    return best;
  }

  private static Long size(Arm a) {
    if (a.trials() != null) {
      return a.trials();
    }
    if (a.n() != null) {
      return a.n();
    }
    return a.buckets() != null && Histogram.read(a.buckets()) instanceof Histogram h ? h.total() : null;
  }

  /** How far from the weight, in percentage points, a split is tolerated: {@code tolerance} of the smaller arm. */
  static String band(int weight, double tolerance) {
    return String.format(Locale.ROOT, "%.1f", tolerance * Math.min(weight, 100 - weight));
  }

  /**
   * The log of the Dirichlet-multinomial Bayes factor for counts {@code xc}, {@code xb} against the split
   * {@code p : 1-p}, the prior centred on it with concentration {@link #CONCENTRATION}.
   */
  public static double logBayesFactor(long xc, long xb, double p) {
    return logBayesFactor(xc, xb, p, 0);
  }

  /**
   * As {@link #logBayesFactor(long, long, double)} against every split whose candidate share lies within
   * {@code tolerance × min(p, 1-p)} of {@code p}: the mixture's marginal likelihood over the largest likelihood in that
   * band. For any true share in the band it is at most the Bayes factor against that share, a martingale under it, so
   * it crosses 1/α with probability at most α however often it is looked at; with no tolerance it is the plain one.
   */
  public static double logBayesFactor(long xc, long xb, double p, double tolerance) {
    return logBayesFactor(xc, xb, p, tolerance, CONCENTRATION);
  }

  /** As {@link #logBayesFactor(long, long, double, double)} with the prior's concentration {@code k}. */
  public static double logBayesFactor(long xc, long xb, double p, double tolerance, double k) {
    double a = k * p;
    double b = k * (1 - p);
    double q = p;
    if (tolerance > 0 && xc + xb > 0) {
      double half = tolerance * Math.min(p, 1 - p);
      q = Math.max(p - half, Math.min(p + half, (double) xc / (xc + xb)));
    }
    return logGamma(k) - logGamma(k + xc + xb) + logGamma(a + xc) - logGamma(a) + logGamma(b + xb) - logGamma(b)
        - xc * StrictMath.log(q) - xb * StrictMath.log(1 - q);
  }

  /** ln Γ(x) for x > 0 (Lanczos, g = 7, nine terms: about 15 significant digits). */
  static double logGamma(double x) {
    if (x < 0.5) {
      return StrictMath.log(Math.PI / StrictMath.sin(Math.PI * x)) - logGamma(1 - x);
    }
    double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};
    x -= 1;
    double sum = c[0];
    double t = x + 7.5;
    for (int i = 1; i < 9; i++) {
      sum += c[i] / (x + i);
    }
    return 0.5 * StrictMath.log(2 * Math.PI) + (x + 0.5) * StrictMath.log(t) - t + StrictMath.log(sum);
  }
}
