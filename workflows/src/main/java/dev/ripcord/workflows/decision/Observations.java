package dev.ripcord.workflows.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.SignalKind;
import dev.ripcord.workflows.policy.SignalSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Validates a pushed observation (the {@code observe} signal, {@code ripcord observe}, backtest lines). Never throws. */
public final class Observations {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(com.fasterxml.jackson.databind.DeserializationFeature.ACCEPT_FLOAT_AS_INT).build();

  private Observations() {}

  /** Bounds on what one pushed window may hold. */
  public static final int MAX_SLICES = 200;
  public static final int MAX_NAME = 100;
  public static final int MAX_QUERY = 2000;
  /** How far ahead of the release's clock a window may end: senders' clocks drift a little, never minutes. */
  public static final long MAX_CLOCK_SKEW_MILLIS = 60_000;

  /** The version marker of the release workflow from which sizes, times and numbers out of bounds are refused. */
  public static final String STRICT_INPUTS = "strict-inputs";
  /**
   * The version marker from which a release takes arms with a sample ({@code n}, {@code sd}, {@code sum},
   * {@code sumSquares}) or {@code buckets}; releases before it refused them as unknown fields. Asked only when such a
   * window arrives.
   */
  public static final String SCORED_WINDOWS = "scored-windows";
  /** The version marker from which a negative value of a quantile or ratio signal is refused. */
  public static final String NON_NEGATIVE_VALUES = "non-negative-values";

  /**
   * The observation, or why it is refused. {@code refusedFrom} names the version marker of the release workflow from
   * which the problem is refused, when releases before it took the window ({@code observation} is then set even
   * though {@code problem} is); null when every release refuses it.
   */
  public record Parsed(Observation observation, String problem, String refusedFrom, String takenFrom) {
    Parsed(Observation observation, String problem) {
      this(problem == null ? observation : null, problem, null, null);
    }

    Parsed(Observation observation, String problem, String refusedFrom) {
      this(observation, problem, refusedFrom, null);
    }

    public boolean ok() {
      return problem == null;
    }
  }

  /**
   * Why a release refuses a parsed window, or null when it takes it: the parse's problem, else where the window lies
   * ({@link #placement}). A problem only a newer rule refuses counts only where {@code hasMarker} says the release
   * runs that rule ({@code non-negative-values}, {@code strict-inputs}); the marker is asked only then. The workflow
   * asks its version markers; a history reader asks what the history recorded.
   */
  public static String refusal(Parsed parsed, String stage, long stageStartedAt, long now,
      java.util.function.Predicate<String> hasMarker) {
    String problem = parsed.problem();
    String rule = parsed.refusedFrom();
    if (problem == null && parsed.takenFrom() != null && !hasMarker.test(parsed.takenFrom())) {
      return "an arm carries n, sd, sum, sumSquares or buckets, which this release does not read (it started before"
          + " Ripcord tested scores and histograms); send value alone, or start a new release";
    }
    if (NON_NEGATIVE_VALUES.equals(rule) && !hasMarker.test(rule)) {
      problem = null; // a release from before the rule took the value as it came
    }
    if (problem == null) {
      problem = placement(parsed.observation(), stage, stageStartedAt, now);
      rule = STRICT_INPUTS;
    }
    return problem != null && (rule == null || hasMarker.test(rule)) ? problem : null;
  }

  public static Parsed parse(JsonNode node, ReleasePolicy policy) {
    if (node == null || !node.isObject()) {
      return new Parsed(null, "an observation must be a JSON object like {\"signals\": {\"error_rate\": "
          + "{\"candidate\": {\"events\": 3, \"trials\": 1000}}}}");
    }
    Observation o;
    try {
      o = JSON.treeToValue(node, Observation.class);
    } catch (Exception e) {
      return new Parsed(null, "cannot read observation: " + e.getMessage().lines().findFirst().orElse(""));
    }
    List<String> problems = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!List.of("t", "from", "stage", "signals", "source", "query", "judges").contains(f)) {
        problems.add("unknown field '" + cap(f, MAX_NAME) + "'");
      }
    }
    if (o.signals() == null || o.signals().isEmpty()) {
      problems.add("'signals' is required and must name at least one signal");
    } else {
      for (Map.Entry<String, Observation.SignalReading> e : o.signals().entrySet()) {
        SignalSpec s = policy.signal(e.getKey());
        if (s == null) {
          problems.add("unknown signal '" + cap(e.getKey(), MAX_NAME) + "' (the policy declares "
              + policy.signals().stream().map(SignalSpec::name).toList() + ")");
          continue;
        }
        checkReading("signals." + e.getKey(), s, e.getValue(), problems);
      }
    }
    checkJudges(o, policy, problems);
    if (!problems.isEmpty()) {
      return new Parsed(null, cap(String.join("; ", problems), 1000));
    }
    List<String> strict = new ArrayList<>();
    checkBounds(o, strict);
    if (!strict.isEmpty()) {
      return new Parsed(o, cap(String.join("; ", strict), 1000), STRICT_INPUTS);
    }
    List<String> negative = new ArrayList<>();
    o.signals().forEach((name, r) -> checkNonNegative("signals." + name, policy.signal(name), r, negative));
    if (!negative.isEmpty()) {
      return new Parsed(o, cap(String.join("; ", negative), 1000), NON_NEGATIVE_VALUES);
    }
    return new Parsed(o, null, null, scored(o) ? SCORED_WINDOWS : null);
  }

  /**
   * Quantiles (latencies, durations, token counts) and ratios (of counts) cannot be negative; a mean (a score) can.
   */
  private static void checkNonNegative(String path, SignalSpec s, Observation.SignalReading r,
      List<String> problems) {
    SignalKind kind = s.kindType();
    if (r == null || (kind != SignalKind.QUANTILE && kind != SignalKind.RATIO)) {
      return;
    }
    for (var arm : java.util.Arrays.asList(new Object[] {"candidate", r.candidate()},
        new Object[] {"baseline", r.baseline()})) {
      if (arm[1] instanceof Observation.Arm a && a.value() != null && a.value() < 0) {
        problems.add(path + "." + arm[0] + ".value is " + a.value() + ", but " + s.name() + " is a " + s.kind()
            + ", which cannot be negative; send the measured value (0 or more)");
      }
    }
    if (r.slices() != null) {
      r.slices().forEach((k, v) -> checkNonNegative(path + ".slices." + k, s, v, problems));
    }
  }

  private static boolean scored(Observation o) {
    for (Observation.SignalReading r : o.signals().values()) {
      if (scored(r)) {
        return true;
      }
    }
    return false;
  }

  private static boolean scored(Observation.SignalReading r) {
    if (r == null) {
      return false;
    }
    if ((r.candidate() != null && r.candidate().isScored()) || (r.baseline() != null && r.baseline().isScored())) {
      return true;
    }
    return r.slices() != null && r.slices().values().stream().anyMatch(Observations::scored);
  }

  /** Sizes, times and numbers that releases before {@code strict-inputs} took as they came. */
  private static void checkBounds(Observation o, List<String> problems) {
    Instant t = instant("t", o.t(), problems);
    Instant from = instant("from", o.from(), problems);
    if (t != null && from != null && from.isAfter(t)) {
      problems.add("'from' (" + o.from() + ") is after 't' (" + o.t() + "); a window ends after it starts");
    }
    for (var f : List.of(new String[] {"stage", o.stage()}, new String[] {"source", o.source()})) {
      if (f[1] != null && (f[1].isBlank() || f[1].length() > MAX_NAME)) {
        problems.add("'" + f[0] + "' must be a name of 1 to " + MAX_NAME + " characters");
      }
    }
    if (o.query() != null && o.query().length() > MAX_QUERY) {
      problems.add("'query' is longer than " + MAX_QUERY + " characters");
    }
    o.signals().forEach((name, r) -> checkSlices("signals." + name, r, problems));
  }

  private static void checkSlices(String path, Observation.SignalReading r, List<String> problems) {
    if (r == null || r.slices() == null) {
      return;
    }
    if (r.slices().size() > MAX_SLICES) {
      problems.add(path + ".slices has " + r.slices().size() + " slices; at most " + MAX_SLICES + " a window");
      return;
    }
    r.slices().forEach((k, v) -> {
      if (k.isBlank() || k.length() > MAX_NAME) {
        problems.add(path + ".slices: slice names are 1 to " + MAX_NAME + " characters");
      } else if (v != null && v.slices() != null) {
        problems.add(path + ".slices." + k + " has slices of its own; slices are one level deep");
      }
    });
  }

  private static Instant instant(String field, String text, List<String> problems) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (RuntimeException e) {
      problems.add("'" + field + "' must be an ISO-8601 instant such as 2026-01-01T00:05:00Z, got '" + cap(text, 60)
          + "'");
      return null;
    }
  }

  /**
   * Whether a well-formed window belongs where a release is now: in its current stage, ending no earlier than the
   * stage began and no later than the release's clock (plus {@link #MAX_CLOCK_SKEW_MILLIS}). Null when it does.
   */
  public static String placement(Observation o, String currentStage, long stageStartedAt, long now) {
    if (o.stage() != null && !o.stage().equals(currentStage)) {
      return "stage '" + cap(o.stage(), MAX_NAME) + "' is not the release's current stage '" + currentStage
          + "'; push windows for the stage the release is in, or leave 'stage' out";
    }
    if (o.t() != null) {
      long t = Instant.parse(o.t()).toEpochMilli();
      if (t > now + MAX_CLOCK_SKEW_MILLIS) {
        return "'t' " + o.t() + " is ahead of the release's clock (" + Instant.ofEpochMilli(now) + "); push a window"
            + " once it has ended, or leave 't' out to use the arrival time";
      }
      if (t < stageStartedAt) {
        return "'t' " + o.t() + " is before the current stage '" + currentStage + "' began ("
            + Instant.ofEpochMilli(stageStartedAt) + "); that window belongs to an earlier stage";
      }
    }
    return null;
  }

  private static String cap(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  private static void checkReading(String path, SignalSpec s, Observation.SignalReading r, List<String> problems) {
    if (s.isPaired()) {
      checkPairs(path, s, r, problems);
      return;
    }
    if (r != null && r.pairs() != null) {
      problems.add(path + ".pairs only goes with a paired signal (" + s.name() + " is a " + s.kind() + "); send"
          + " candidate (and baseline)");
      return;
    }
    if (r == null || r.candidate() == null) {
      problems.add(path + ".candidate is required");
      return;
    }
    ArmChecks.check(path + ".candidate", s, r.candidate(), problems);
    if (r.baseline() != null) {
      ArmChecks.check(path + ".baseline", s, r.baseline(), problems);
    }
    if (r.slices() != null) {
      r.slices().forEach((k, v) -> checkReading(path + ".slices." + k, s, v, problems));
    }
  }

  private static void checkJudges(Observation o, ReleasePolicy policy, List<String> problems) {
    if (o.judges() == null) {
      return;
    }
    var known = JudgeHealth.judges(policy).keySet();
    o.judges().forEach((name, j) -> {
      String path = "judges." + cap(name, MAX_NAME);
      if (!known.contains(name)) {
        problems.add("unknown judge '" + cap(name, MAX_NAME) + "' (the policy's signals name " + known + ")");
      } else if (j == null) {
        problems.add(path + " is empty; send {version, calls, errors, labelled, agreed}");
      } else {
        if (j.version() != null && (j.version().isBlank() || j.version().length() > MAX_NAME)) {
          problems.add(path + ".version must be 1 to " + MAX_NAME + " characters");
        }
        for (var f : List.of(new Object[] {"calls", j.calls()}, new Object[] {"errors", j.errors()},
            new Object[] {"labelled", j.labelled()}, new Object[] {"agreed", j.agreed()})) {
          if (f[1] != null && (Long) f[1] < 0) {
            problems.add(path + "." + f[0] + " must be at least 0");
          }
        }
        if (j.errors() != null && (j.calls() == null || j.errors() > j.calls())) {
          problems.add(path + ".errors must come with calls and be at most calls");
        }
        if (j.agreed() != null && (j.labelled() == null || j.agreed() > j.labelled())) {
          problems.add(path + ".agreed must come with labelled and be at most labelled");
        }
      }
    });
  }

  private static void checkPairs(String path, SignalSpec s, Observation.SignalReading r, List<String> problems) {
    String example = "{\"pairs\": {\"candidateWorse\": 12, \"baselineWorse\": 4, \"concordant\": 984}}";
    if (r == null || r.pairs() == null) {
      problems.add(path + ".pairs is required (" + s.name() + " is paired), e.g. " + example);
      return;
    }
    if (r.candidate() != null || r.baseline() != null || r.slices() != null) {
      problems.add(path + " of a paired signal has only 'pairs', e.g. " + example);
    }
    Observation.Pairs p = r.pairs();
    for (var f : List.of(Map.entry("candidateWorse", java.util.Optional.ofNullable(p.candidateWorse())),
        Map.entry("baselineWorse", java.util.Optional.ofNullable(p.baselineWorse())),
        Map.entry("concordant", java.util.Optional.ofNullable(p.concordant())))) {
      if (f.getValue().isEmpty() || f.getValue().get() < 0) {
        problems.add(path + ".pairs." + f.getKey() + " must be a whole number of prompts, at least 0");
      }
    }
    ArmChecks.checkPairUnits(path + ".pairs", s, p, problems);
  }
}
