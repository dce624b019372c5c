package dev.ripcord.workflows.policy;

import java.util.List;
import java.util.Map;

/**
 * The kind of a criterion's leaf condition, derived once from the policy ({@link #of}) and switched on everywhere
 * else: the engine picks its classifier by it, the validator runs its rules, the schema lists its tests and the
 * criteria reference is written from its words. A new kind is a constant here (how it is recognised, what a valid one
 * is, its words), its fields in {@link ConditionSpec} and its classifier; the engine's switch on this enum does not
 * compile until it has one.
 */
public enum LeafKind {
  /** This window's value against a limit in the signal's unit. */
  LIMIT(new Form("per-window limit", "`{signal: latency_p99_ms, above: 2500}`",
      "this window's value (rates: events ÷ trials × `per`) against the limit")),

  /** A per-window Wilson bound that must clear the limit. */
  CONFIDENCE_LIMIT(new Form("limit with confidence",
      "`{signal: hallucination, above: 8, confidence: 0.999, minSamples: 2000}`",
      "the one-sided Wilson bound, not the point estimate, must clear the limit (\"above 8 per 10k at 99.9 %"
          + " confidence\")")),

  /** This window's candidate against the concurrent baseline, as a ratio. */
  BASELINE_RATIO(new Form("ratio to baseline, per window", "`{signal: utility_score, baselineRatioBelow: 0.95}`",
      "candidate ÷ concurrent baseline this window (rates with half an event added to each arm)")),

  /** Wald's SPRT against a limit, a mixture SPRT against the baseline, or a CUSUM of either. */
  SEQUENTIAL(new Form("sequential test against a limit", "`{signal: nsfw_escape, test: sprt, above: 2, detect: 2}`",
      "Wald's SPRT of \"rate = limit\" against \"rate = detect × limit\", summed over windows; fires at log-LR ≥"
          + " ln(1/α)"),
      new Form("sequential comparison with the baseline",
          "`{signal: hallucination, test: msprt, baselineRatioAbove: 1.0}`",
          "a mixture SPRT on how events split between candidate and concurrent baseline, H0 \"ratio ≤ 1.0\""
              + " against ratios 1.25–5× (weights 0.1, 0.2, 0.4, 0.2, 0.1); fires at ln(1/α)"),
      new Form("change detection", "`{signal: hallucination, test: cusum, baselineRatioAbove: 1.0, detect: 2}` (or"
          + " with `above`)", "CUSUM of the same log-likelihood ratios with a floor at 0, so a change late in a long"
          + " release is found as fast as one at deployment; fires at ln(T/α), T = horizon in windows")) {
    @Override
    void check(String path, ConditionSpec c, SignalSpec s, Problems out) {
      out.oneOf(path + ".test", c.test(), TESTS);
      if (!s.isRate()) {
        out.problem(path + ".test", "sequential tests need a rate signal; '" + s.name() + "' is a " + s.kind(),
            "use a per-window limit (above/below) for means and quantiles");
      } else if ("sprt".equals(c.test()) && c.above() == null) {
        out.problem(path + ".test", "sprt tests a rate against a limit", "give above: LIMIT (in the signal's unit)");
      } else if ("msprt".equals(c.test()) && c.baselineRatioAbove() == null) {
        out.problem(path + ".test", "msprt compares the candidate with the baseline",
            "give baselineRatioAbove: R (the tolerated ratio, e.g. 1.0)");
      } else if ("cusum".equals(c.test()) && c.above() == null && c.baselineRatioAbove() == null) {
        out.problem(path + ".test", "cusum needs above or baselineRatioAbove", "give the limit or the tolerated ratio");
      }
      if (c.below() != null || c.baselineRatioBelow() != null) {
        out.problem(path + ".test", "sequential tests watch for increases of a rate",
            "use above/baselineRatioAbove, or a per-window limit without test");
      }
      if (c.confidence() != null) {
        out.problem(path + ".confidence", "does not go with a sequential test", "its alpha comes from the budget");
      }
      unbudgeted(path, c, s, out);
    }
  },

  /** A graded score or other mean against the baseline's, with a margin, by an always-valid test. */
  MEAN_TEST(new Form("always-valid comparison of means",
      "`{signal: utility_score, baselineRatioBelow: 0.97, test: msprt}` (windows carry `n` with `sd`, or `n`, `sum`,"
          + " `sumSquares`)",
      "rolls back once the candidate's mean is, with always-valid confidence 1−α, below 0.97 × the baseline's: a"
          + " Gaussian mixture likelihood ratio on the running means (Johari et al. 2022; Waudby-Smith et al. 2024);"
          + " `baselineRatioBelow: 1.0` means any degradation, `baselineRatioAbove` for a higher-is-worse mean")) {
    @Override
    void check(String path, ConditionSpec c, SignalSpec s, Problems out) {
      String hint = "write {signal: " + s.name() + ", baselineRatioBelow: 0.97, test: msprt}";
      if (!"msprt".equals(c.test())) {
        out.problem(path + ".test", "'" + c.test() + "' is not a test of means; means are compared by msprt", hint);
      }
      if (c.above() != null || c.below() != null) {
        out.problem(path, "a mean is tested against the concurrent baseline, not a fixed limit",
            hint + ", or leave out test for a per-window threshold");
      }
      for (var f : List.of(Map.entry("confidence", c.confidence() != null), Map.entry("sliceRatioAbove",
          c.sliceRatioAbove() != null), Map.entry("detect", c.detect() != null))) {
        if (f.getValue()) {
          out.problem(path + "." + f.getKey(), "does not apply to a test of means", "remove it: " + hint);
        }
      }
      ranges(path, c, out);
    }
  },

  /** A quantile read from each window's histogram: against a limit, or against the baseline's. */
  QUANTILE(new Form("quantile from histograms",
      "`{signal: latency_ms, quantile: 0.99, baselineRatioAbove: 1.2, test: msprt}`",
      "the candidate's p99 above 1.2 × the baseline's: a mixture SPRT on the share of the candidate's requests"
          + " beyond that point against 1 %, from cumulative `buckets` per window (interpolated within a bucket)"),
      new Form("quantile above a limit, with confidence", "`{signal: latency_ms, quantile: 0.99, above: 2500,"
          + " confidence: 0.99}`", "the Wilson lower bound of the share beyond 2500 must exceed 1 % this window;"
          + " without `confidence` the window's interpolated p99 against the limit")) {
    @Override
    void check(String path, ConditionSpec c, SignalSpec s, Problems out) {
      if (s.kindType() != SignalKind.QUANTILE) {
        out.problem(path + ".quantile", "'" + s.name() + "' is a " + s.kind() + "; quantiles are read from a"
            + " quantile signal's buckets", "declare the signal kind: quantile, or remove quantile");
      }
      if (!(c.quantile() > 0 && c.quantile() < 1)) {
        out.problem(path + ".quantile", c.quantile() + " is not a quantile in (0, 1)", "e.g. 0.99 for the p99");
      }
      if (c.below() != null || c.baselineRatioBelow() != null) {
        out.problem(path, "quantile criteria watch for increases", "use above or baselineRatioAbove");
      }
      if (c.test() != null) {
        out.oneOf(path + ".test", c.test(), List.of("msprt", "sprt"));
        if (c.baselineRatioAbove() == null) {
          out.problem(path + ".test", "a quantile's test compares it with the baseline's",
              "give baselineRatioAbove: R (e.g. 1.2), or use above with confidence for a fixed limit");
        }
      } else if (c.alpha() != null || c.detect() != null) {
        out.problem(path + (c.alpha() != null ? ".alpha" : ".detect"), "only a tested quantile has it",
            "add test: msprt with baselineRatioAbove");
      }
      if (c.confidence() != null) {
        if (c.above() == null) {
          out.problem(path + ".confidence", "a confidence bound applies to a quantile's above limit", "give above");
        }
        if (!(c.confidence() >= 0.5 && c.confidence() < 1)) {
          out.problem(path + ".confidence", c.confidence() + " must be in [0.5, 1)", "e.g. 0.99");
        }
      }
      if (c.sliceRatioAbove() != null || c.sliceVs() != null) {
        out.problem(path + ".sliceRatioAbove", "slice disparity is measured on rates", "remove it");
      }
      ranges(path, c, out);
    }
  },

  /** Fairness: the worst slice against the other slices, or against its own baseline. */
  SLICE_DISPARITY(new Form("slice disparity (fairness)",
      "`{signal: factual_error, sliceRatioAbove: 1.5, sliceVs: rest, minSamples: 2000}`",
      "the worst slice's rate against the other slices' (or, with `sliceVs: baseline`, its own baseline); usually"
          + " `pause-and-investigate`")),

  /** A signal of discordant pairs on the same prompts, judged by how they split. */
  PAIRED(new Form("paired comparison on the same prompts",
      "`{signal: judged_bad, baselineRatioAbove: 1.0, test: msprt}` (signal `kind: paired`)",
      "a mixture SPRT on the discordant pairs alone: candidate-worse against baseline-worse (see below)")) {
    @Override
    void check(String path, ConditionSpec c, SignalSpec s, Problems out) {
      String hint = "write {signal: " + s.name() + ", baselineRatioAbove: 1.0, test: msprt}";
      if (c.baselineRatioAbove() == null) {
        out.problem(path, "'" + s.name() + "' is paired: it is judged on how its discordant pairs split", hint);
      }
      if (c.test() == null || !List.of("msprt", "cusum").contains(c.test())) {
        out.problem(path + ".test", c.test() == null ? "is required for a paired signal"
            : "'" + c.test() + "' does not test how pairs split", "use msprt (or cusum): " + hint);
      }
      for (var f : List.of(Map.entry("confidence", c.confidence() != null), Map.entry("sliceRatioAbove",
          c.sliceRatioAbove() != null))) {
        if (f.getValue()) {
          out.problem(path + "." + f.getKey(), "does not apply to a paired signal", "remove it: " + hint);
        }
      }
      ranges(path, c, out);
    }
  };

  /** The sequential tests a leaf may name. */
  public static final List<String> TESTS = List.of("sprt", "msprt", "cusum");

  /** One row of the criteria reference: what the form is called, how it is written, what it decides. */
  public record Form(String name, String yaml, String decides) {}

  private final List<Form> forms;

  LeafKind(Form... forms) {
    this.forms = List.of(forms);
  }

  public List<Form> forms() {
    return forms;
  }

  /**
   * The kind of the leaf {@code c} on {@code s}. The first that applies wins, so a leaf that mixes kinds is judged
   * (and refused by the validator) as the first. A signal the policy does not declare ({@code s} null) is not paired.
   */
  public static LeafKind of(ConditionSpec c, SignalSpec s) {
    if (s != null && s.isPaired()) {
      return PAIRED;
    }
    if (c.quantile() != null) {
      return QUANTILE;
    }
    if (c.test() != null && s != null && (s.kindType() == SignalKind.MEAN || s.kindType() == SignalKind.RATIO)) {
      return MEAN_TEST;
    }
    if (c.test() != null) {
      return SEQUENTIAL;
    }
    if (c.sliceRatioAbove() != null) {
      return SLICE_DISPARITY;
    }
    if (c.confidence() != null) {
      return CONFIDENCE_LIMIT;
    }
    if (c.above() != null || c.below() != null) {
      return LIMIT;
    }
    return BASELINE_RATIO;
  }

  /**
   * The criteria reference's table of condition forms, from each kind's words (docs/criteria.md holds it; a test
   * fails when it is stale; {@code ripcord policy forms} prints it).
   */
  public static String referenceTable() {
    StringBuilder b = new StringBuilder("| form | YAML | decides |\n|---|---|---|\n");
    for (LeafKind k : values()) {
      for (Form f : k.forms) {
        b.append("| ").append(f.name()).append(" | ").append(f.yaml()).append(" | ").append(f.decides()).append(" |\n");
      }
    }
    return b.append("| composites | `allOf`, `anyOf`, `atLeast: k` + `of` | multi-factor triggers, nestable |\n")
        .toString();
  }

  /** Whether the leaf {@code c} of this kind runs a sequential test, so takes a share of the false-rollback budget. */
  public boolean spendsBudget(ConditionSpec c) {
    return switch (this) {
      case PAIRED, SEQUENTIAL, MEAN_TEST -> true;
      case QUANTILE -> c.test() != null;
      default -> false;
    };
  }

  /** Whether a leaf compares the candidate with the concurrent baseline (so needs baseline traffic). */
  public static boolean comparesWithBaseline(ConditionSpec c) {
    return c.baselineRatioAbove() != null || c.baselineRatioBelow() != null || "baseline".equals(c.sliceVs());
  }

  /** What a valid leaf of this kind is, beyond the rules every leaf shares (a known signal, one limit, direction). */
  void check(String path, ConditionSpec c, SignalSpec s, Problems out) {
    unbudgeted(path, c, s, out);
  }

  /** The statistics' fields of a leaf that runs no sequential test. */
  private static void unbudgeted(String path, ConditionSpec c, SignalSpec s, Problems out) {
    if (c.test() == null) {
      if (c.alpha() != null) {
        out.problem(path + ".alpha", "only sequential tests spend the false-rollback budget", "add test: sprt|msprt|cusum");
      }
      if (c.detect() != null) {
        out.problem(path + ".detect", "only sequential tests have an alternative to detect", "add test: sprt|msprt|cusum");
      }
    }
    ranges(path, c, out);
    boolean rate = s.isRate();
    if (c.confidence() != null) {
      if (!(c.confidence() >= 0.5 && c.confidence() < 1)) {
        out.problem(path + ".confidence", c.confidence() + " must be in [0.5, 1)", "e.g. 0.999 for 99.9 %");
      }
      if (!rate || (c.above() == null && c.below() == null)) {
        out.problem(path + ".confidence", "a confidence bound applies to a rate's above/below limit",
            "use it with a rate signal and above or below");
      }
    }
    if (c.sliceRatioAbove() != null) {
      if (!rate) {
        out.problem(path + ".sliceRatioAbove", "slice disparity is measured on rates", "use a rate signal");
      }
      if (c.sliceRatioAbove() <= 1) {
        out.problem(path + ".sliceRatioAbove", "must be above 1", "e.g. 1.5: the worst slice 50 % worse than the rest");
      }
      out.oneOf(path + ".sliceVs", c.sliceVs(), List.of("rest", "baseline"));
      if ("baseline".equals(c.sliceVs()) && !Boolean.TRUE.equals(s.baseline())) {
        out.problem(path + ".sliceVs", "compares with the baseline, but '" + s.name() + "' does not observe it",
            "set baseline: true on the signal, or use sliceVs: rest");
      }
    } else if (c.sliceVs() != null) {
      out.problem(path + ".sliceVs", "only goes with sliceRatioAbove", "remove it or add sliceRatioAbove");
    }
  }

  private static void ranges(String path, ConditionSpec c, Problems out) {
    if (c.alpha() != null && !(c.alpha() > 0 && c.alpha() < 0.5)) {
      out.problem(path + ".alpha", c.alpha() + " is not a probability in (0, 0.5)", "e.g. 0.0003");
    }
    if (c.detect() != null && !(c.detect() > 1 && c.detect() <= 100)) {
      out.problem(path + ".detect", c.detect() + " must be a ratio above 1 (at most 100)", "e.g. 2 to detect a doubling");
    }
  }
}
