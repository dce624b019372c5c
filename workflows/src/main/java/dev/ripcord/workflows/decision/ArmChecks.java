package dev.ripcord.workflows.decision;

import dev.ripcord.workflows.decision.stats.Histogram;
import dev.ripcord.workflows.decision.stats.UnitRatio;
import dev.ripcord.workflows.decision.stats.UnitShare;
import dev.ripcord.workflows.policy.SignalKind;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.List;

/**
 * What one arm of a pushed window must hold for its signal's kind: counts for a rate; a value, or a sample (n with
 * sd, or n with sum and sumSquares) for a mean or ratio; a value or cumulative buckets for a quantile. Pure.
 */
final class ArmChecks {
  private ArmChecks() {}

  static void check(String path, SignalSpec s, Observation.Arm a, List<String> problems) {
    checkUnits(path, s, a, problems);
    if (s.isRate()) {
      if (a.events() == null || a.trials() == null) {
        problems.add(path + " needs whole-number 'events' and 'trials' (" + s.name() + " is a rate)");
      } else if (a.events() < 0 || a.trials() < 0 || a.events() > a.trials()) {
        problems.add(path + " must have 0 <= events <= trials, got " + a.events() + "/" + a.trials());
      }
      if (a.n() != null || a.sd() != null || a.sum() != null || a.sumSquares() != null || a.buckets() != null) {
        problems.add(path + ": n, sd, sum, sumSquares and buckets are for means and quantiles; a rate is 'events'"
            + " out of 'trials'");
      }
      return;
    }
    if (s.kindType() == SignalKind.QUANTILE && a.buckets() != null) {
      if (Histogram.read(a.buckets()) instanceof String problem) {
        problems.add(path + ".buckets " + problem);
      }
    } else if (a.buckets() != null) {
      problems.add(path + ".buckets are for quantile signals (" + s.name() + " is a " + s.kind() + ")");
    } else if (a.n() != null || a.sum() != null || a.sumSquares() != null || a.sd() != null) {
      checkSample(path, s, a, problems);
      return;
    }
    if ((a.buckets() == null && a.value() == null) || (a.value() != null && !Double.isFinite(a.value()))) {
      problems.add(path + " needs a numeric 'value' (" + s.name() + " is a " + s.kind() + ")");
    }
  }

  /**
   * A signal with a {@code unit}: its units' statistics since the stage began, all four together and sums some units
   * can give; on a signal without one, none.
   */
  private static void checkUnits(String path, SignalSpec s, Observation.Arm a, List<String> problems) {
    if (!a.hasUnits()) {
      return;
    }
    if (s.unit() == null) {
      problems.add(path + ": units, unitEventsSq, unitTrialsSq and unitEventsTrials are for signals that declare a"
          + " unit (" + s.name() + " declares none); add unit: user (or session, conversation) to the signal");
    } else if (s.kindType() == SignalKind.QUANTILE) {
      checkBucketUnits(path, a, problems);
    } else if (a.unitBucketsSq() != null || a.unitBucketsTrials() != null) {
      problems.add(path + ": unitBucketsSq and unitBucketsTrials go with a quantile's buckets (" + s.name() + " is a "
          + s.kind() + "); send units, unitEventsSq, unitTrialsSq and unitEventsTrials");
    } else if (a.units() == null || a.unitEventsSq() == null || a.unitTrialsSq() == null
        || a.unitEventsTrials() == null) {
      problems.add(path + " needs all four of units, unitEventsSq, unitTrialsSq and unitEventsTrials, each since the"
          + " stage began");
    } else {
      String problem = UnitRatio.problem(a.units(), a.unitEventsSq(), a.unitTrialsSq(), a.unitEventsTrials());
      if (problem != null) {
        problems.add(path + ": " + problem);
      }
    }
  }

  /**
   * A quantile's arm with units: {@code units} and, for every bucket bound, the sums over units of the unit's
   * requests up to it squared and times its requests, since the stage began ({@link UnitShare}).
   */
  private static void checkBucketUnits(String path, Observation.Arm a, List<String> problems) {
    String forms = "send units, unitBucketsSq and unitBucketsTrials (by bucket bound, as buckets), each since the stage"
        + " began";
    if (a.unitEventsSq() != null || a.unitTrialsSq() != null || a.unitEventsTrials() != null) {
      problems.add(path + ": a quantile's units come by bucket bound, not as unitEventsSq, unitTrialsSq or"
          + " unitEventsTrials: " + forms);
    } else if (a.units() == null || a.unitBucketsSq() == null || a.unitBucketsTrials() == null) {
      problems.add(path + " needs all three of units, unitBucketsSq and unitBucketsTrials: " + forms);
    } else if (a.units() < 1) {
      problems.add(path + ".units is " + a.units() + ", but it counts the users, sessions or conversations seen since"
          + " the stage began");
    } else if (a.buckets() == null) {
      problems.add(path + ": unitBucketsSq and unitBucketsTrials go with buckets (the window's cumulative counts by"
          + " upper bound)");
    } else if (Histogram.read(a.buckets()) instanceof Histogram h) {
      String problem = UnitShare.problem(h, a.unitBucketsSq(), a.unitBucketsTrials());
      if (problem != null) {
        problems.add(path + ": " + problem);
      }
    }
  }

  /** A paired signal's units: none without a {@code unit}; with one, all four together and sums units can give. */
  static void checkPairUnits(String path, SignalSpec s, Observation.Pairs p, List<String> problems) {
    if (!p.hasUnits()) {
      return;
    }
    if (s.unit() == null) {
      problems.add(path + ": units, unitWorseSq, unitDiscordantSq and unitWorseDiscordant are for paired signals"
          + " that declare a unit (" + s.name() + " declares none); add unit: user (or session, conversation)");
    } else if (p.units() == null || p.unitWorseSq() == null || p.unitDiscordantSq() == null
        || p.unitWorseDiscordant() == null) {
      problems.add(path + " needs all four of units, unitWorseSq, unitDiscordantSq and unitWorseDiscordant, each"
          + " since the stage began");
    } else {
      String problem = UnitRatio.problem(p.units(), p.unitWorseSq(), p.unitDiscordantSq(), p.unitWorseDiscordant(),
          "unitWorseSq", "unitDiscordantSq", "unitWorseDiscordant");
      if (problem != null) {
        problems.add(path + ": " + problem);
      } else if (p.unitWorseSq() > p.unitWorseDiscordant() * (1 + 1e-9) + 1e-9) {
        problems.add(path + ": unitWorseSq exceeds unitWorseDiscordant, which no units can give (a unit's"
            + " candidate-worse pairs are some of its discordant pairs)");
      }
    }
  }

  /** A mean's sample: {n, value, sd} or {n, sum, sumSquares} (a value may come with the sums). */
  private static void checkSample(String path, SignalSpec s, Observation.Arm a, List<String> problems) {
    String forms = "send {\"value\": 0.79, \"n\": 200, \"sd\": 0.25} or {\"n\": 200, \"sum\": 158.0, \"sumSquares\":"
        + " 137.3}";
    if (s.kindType() == SignalKind.QUANTILE) {
      problems.add(path + ": a quantile's sample is its 'buckets' (cumulative counts by upper bound), not n/sd");
      return;
    }
    if (a.n() == null || a.n() < 1) {
      problems.add(path + ".n must be the number of observations, at least 1: " + forms);
      return;
    }
    boolean sums = a.sum() != null || a.sumSquares() != null;
    if (sums) {
      if (a.sum() == null || a.sumSquares() == null || !Double.isFinite(a.sum()) || !Double.isFinite(a.sumSquares())) {
        problems.add(path + " needs both 'sum' and 'sumSquares' as finite numbers: " + forms);
      } else if (a.sumSquares() < a.sum() * a.sum() / a.n() * (1 - 1e-9) - 1e-9) {
        problems.add(path + ".sumSquares " + a.sumSquares() + " is below sum²/n = " + a.sum() * a.sum() / a.n()
            + ", which no data can give; send the sum of the squared observations");
      }
      if (a.sd() != null) {
        problems.add(path + " gives both sd and sums: " + forms);
      }
    } else if (a.value() == null || !Double.isFinite(a.value()) || a.sd() == null || !Double.isFinite(a.sd())
        || a.sd() < 0) {
      problems.add(path + " needs a finite 'value' and an 'sd' of 0 or more with its 'n': " + forms);
    }
    if (a.value() != null && sums && a.sum() != null && Double.isFinite(a.sum())
        && Math.abs(a.value() - a.sum() / a.n()) > 1e-6 * Math.max(1, Math.abs(a.value()))) {
      problems.add(path + ".value " + a.value() + " is not sum/n (" + a.sum() / a.n() + "); leave 'value' out");
    }
  }
}
