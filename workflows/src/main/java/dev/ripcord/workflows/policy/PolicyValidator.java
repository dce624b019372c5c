package dev.ripcord.workflows.policy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a parsed policy and reports every problem with its JSON path and a hint, like a compiler. Pure and
 * deterministic, so the workflow can run it again on the policy it was started with.
 */
public final class PolicyValidator {
  public static final List<String> ACTIONS =
      List.of("rollback", "rollback-after-approval", "pause-and-investigate", "alert-only");
  public static final List<String> SIGNAL_KINDS = List.of("rate", "mean", "ratio", "quantile");
  public static final List<String> CATEGORIES =
      List.of("quality", "safety", "fairness", "user-experience", "operational");
  public static final List<String> DIRECTIONS = List.of("higher-is-worse", "lower-is-worse");
  public static final List<String> SEVERITIES = List.of("info", "warning", "critical");
  public static final List<String> SOURCES = List.of("pushed", "scripted", "prometheus");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");
  private static final Set<String> QUERY_PLACEHOLDERS = Set.of("version", "window", "model");
  /** Built-in router types; a worker may add its own, named {@code x-<name>} (see TrafficRouter). */
  public static final List<String> ROUTERS = List.of("http", "haproxy");
  private static final Pattern CUSTOM_ROUTER = Pattern.compile("x-[a-z0-9][a-z0-9-]{0,40}");
  public static final List<String> ON_TIMEOUT = List.of("rollback", "continue", "hold");
  public static final List<Integer> RATE_UNITS = List.of(1, 100, 1000, 10000);
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  private final List<PolicyProblem> problems = new ArrayList<>();

  private PolicyValidator() {}

  /** Every problem of the policy, with today's rules. */
  public static List<PolicyProblem> validate(ReleasePolicy policy) {
    return validate(policy, true);
  }

  /**
   * Every problem of the policy; {@code strict} adds the ranges of {@link PolicyBounds}, which releases started
   * before the workflow's {@code strict-policy} marker were not checked against.
   */
  public static List<PolicyProblem> validate(ReleasePolicy policy, boolean strict) {
    PolicyValidator v = new PolicyValidator();
    try {
      v.check(policy);
      if (strict) {
        PolicyBounds.check(policy, v.problems::add);
      }
    } catch (RuntimeException e) {
      // A check that trips over a shape nobody foresaw still answers with a problem, never with a crash.
      v.problem("$", INTERNAL + e, "fix the problems listed before this one and validate again");
    }
    return List.copyOf(v.problems);
  }

  /** Starts the message of the problem reported when a check itself failed (tests assert it never appears). */
  public static final String INTERNAL = "the validator could not check this policy further: ";

  private void problem(String path, String message, String hint) {
    problems.add(new PolicyProblem(path, message, hint));
  }

  private boolean required(String path, Object value, String hint) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      problem(path, "is required", hint);
      return false;
    }
    return true;
  }

  private void oneOf(String path, String value, List<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      problem(path, "'" + value + "' is not one of " + allowed, "use one of " + String.join(", ", allowed));
    }
  }

  private Duration duration(String path, String value, boolean required, Duration min) {
    if (value == null) {
      if (required) {
        problem(path, "is required", "write a duration such as 30s, 10m, 2h or 1d");
      }
      return null;
    }
    Duration d = Durations.parseOrNull(value);
    if (d == null) {
      problem(path, "'" + value + "' is not a duration", "write e.g. 30s, 10m, 2h, 1d or PT10M");
    } else if (d.compareTo(min) < 0) {
      problem(path, "'" + value + "' is shorter than " + Durations.format(min), "use at least " + Durations.format(min));
    }
    return d;
  }

  private void url(String path, String value) {
    try {
      URI u = URI.create(value);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        problem(path, "'" + value + "' is not an http(s) URL", "write e.g. https://gateway.internal:8443");
      }
    } catch (IllegalArgumentException e) {
      problem(path, "'" + value + "' is not a URL: " + e.getMessage(), "write e.g. https://gateway.internal:8443");
    }
  }

  private void check(ReleasePolicy p) {
    if (!ReleasePolicy.API_VERSION.equals(p.apiVersion())) {
      problem("$.apiVersion", p.apiVersion() == null ? "is required" : "'" + p.apiVersion() + "' is not supported",
          "write apiVersion: " + ReleasePolicy.API_VERSION);
    }
    checkRelease(p.release());
    checkRouter(p.router());
    checkEvaluation(p.evaluation());
    checkStages(p.stages());
    Set<String> signals = checkSignals(p.signals());
    checkObservations(p.observations(), p.signals() == null ? List.of() : p.signals());
    Set<String> roles = checkRoles(p.governance());
    checkCriteria(p, signals);
    checkDecisions(p, roles);
    checkRollback(p.rollback());
    checkNotifications(p.notifications());
    checkPlaybook(p.playbook(), roles);
  }

  private void checkRelease(ReleaseSpec r) {
    if (!required("$.release", r, "add release: {model, candidate, baseline}")) {
      return;
    }
    for (var f : List.of(Map.entry("model", nullToEmpty(r.model())), Map.entry("candidate", nullToEmpty(r.candidate())),
        Map.entry("baseline", nullToEmpty(r.baseline())))) {
      String path = "$.release." + f.getKey();
      if (f.getValue().isEmpty()) {
        problem(path, "is required", "name the " + f.getKey() + " version, e.g. chat-v2");
      } else if (!NAME.matcher(f.getValue()).matches()) {
        problem(path, "'" + f.getValue() + "' is not a valid name (it becomes part of the workflow id)",
            "use lower-case letters, digits, '.', '_' and '-', at most 63 characters");
      }
    }
    if (r.candidate() != null && r.candidate().equals(r.baseline())) {
      problem("$.release.candidate", "is the same as the baseline", "the candidate must be a different version");
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private void checkRouter(RouterSpec r) {
    if (!required("$.router", r, "add router: {type: http, url: ..., route: ...}")) {
      return;
    }
    if (required("$.router.type", r.type(), "write type: http") && !CUSTOM_ROUTER.matcher(r.type()).matches()) {
      if (!ROUTERS.contains(r.type())) {
        problem("$.router.type", "'" + r.type() + "' is not one of " + ROUTERS, "use one of " + String.join(", ",
            ROUTERS) + ", or x-<name> for a router your workers add");
      }
    }
    if ("haproxy".equals(r.type())) {
      if (required("$.router.url", r.url(), "HAProxy's Runtime API: tcp://127.0.0.1:9999 or unix:///run/haproxy/admin.sock")
          && !r.url().matches("tcp://[^/:]+:\\d{1,5}|unix:///\\S+")) {
        problem("$.router.url", "'" + r.url() + "' is not a Runtime API address",
            "write tcp://host:port or unix:///run/haproxy/admin.sock (a 'stats socket ... level admin')");
      }
      required("$.router.route", r.route(), "the HAProxy backend whose servers are named after the candidate and"
          + " baseline versions");
      return;
    }
    if (required("$.router.url", r.url(), "the gateway's base URL, e.g. http://gateway:8080")
        && !CUSTOM_ROUTER.matcher(String.valueOf(r.type())).matches()) {
      url("$.router.url", r.url());
    }
    required("$.router.route", r.route(), "the route (traffic split) the gateway knows this model by");
  }

  private void checkObservations(ObservationSpec o, List<SignalSpec> signals) {
    if (!required("$.observations", o, "add observations: {source: pushed}")) {
      return;
    }
    if (required("$.observations.source", o.source(), "write source: pushed")) {
      oneOf("$.observations.source", o.source(), SOURCES);
    }
    if ("prometheus".equals(o.source())) {
      checkPrometheus(o.prometheus(), signals);
    } else if (o.prometheus() != null) {
      problem("$.observations.prometheus", "is set but source is '" + o.source() + "'",
          "write source: prometheus, or remove the prometheus block");
    }
    if (o.alerts() != null) {
      Set<String> names = new HashSet<>();
      for (int i = 0; i < o.alerts().size(); i++) {
        ObservationSpec.AlertRule r = o.alerts().get(i);
        String path = "$.observations.alerts[" + i + "]";
        if (r == null) {
          problem(path, "is empty", "write {alertname: ModelSafetySpike, action: rollback}");
          continue;
        }
        if (required(path + ".alertname", r.alertname(), "the alert's alertname label, e.g. ModelSafetySpike")
            && !names.add(r.alertname())) {
          problem(path + ".alertname", "'" + r.alertname() + "' is listed twice", "give each alert one action");
        }
        if (required(path + ".action", r.action(), "what the alert does: one of " + String.join(", ", ACTIONS))) {
          oneOf(path + ".action", r.action(), ACTIONS);
        }
      }
    }
  }

  private void checkPrometheus(ObservationSpec.PrometheusSpec prom, List<SignalSpec> signals) {
    String base = "$.observations.prometheus";
    if (!required(base, prom, "add prometheus: {url: http://prometheus:9090, queries: {<signal>: {events, trials}}}")) {
      return;
    }
    if (required(base + ".url", prom.url(), "the server's base URL, e.g. http://prometheus:9090")) {
      url(base + ".url", prom.url());
    }
    Map<String, ObservationSpec.SignalQuery> queries = prom.queries() == null ? Map.of() : prom.queries();
    for (SignalSpec s : signals) {
      if (s == null || s.name() == null) {
        continue;
      }
      String path = base + ".queries." + s.name();
      ObservationSpec.SignalQuery q = queries.get(s.name());
      if (q == null) {
        problem(path, "is missing: every signal needs a query", s.isRate()
            ? "write " + s.name() + ": {events: 'sum(increase(..._total{version=\"{version}\"}[{window}]))', trials: ...}"
            : "write " + s.name() + ": {value: '<PromQL giving one number for {version}>'}");
        continue;
      }
      if (s.isRate()) {
        if (required(path + ".events", q.events(), "a PromQL expression counting the signal's events in {window}")) {
          placeholders(path + ".events", q.events());
        }
        if (required(path + ".trials", q.trials(), "a PromQL expression counting all outputs in {window}")) {
          placeholders(path + ".trials", q.trials());
        }
        if (q.value() != null) {
          problem(path + ".value", "is set on a rate signal", "rates are read as events and trials; remove value");
        }
      } else {
        if (required(path + ".value", q.value(), "a PromQL expression giving the " + s.kind() + " for {version}")) {
          placeholders(path + ".value", q.value());
        }
        if (q.events() != null || q.trials() != null) {
          problem(path, "has events/trials on a " + s.kind() + " signal", "use value: for means, ratios and quantiles");
        }
      }
    }
    for (String name : queries.keySet()) {
      if (signals.stream().noneMatch(s -> s != null && name.equals(s.name()))) {
        problem(base + ".queries." + name, "names no signal", "declare it under signals: or remove the query");
      }
    }
  }

  private void placeholders(String path, String query) {
    var m = PLACEHOLDER.matcher(query);
    while (m.find()) {
      if (!QUERY_PLACEHOLDERS.contains(m.group(1))) {
        problem(path, "unknown placeholder {" + m.group(1) + "}", "use {version}, {window} or {model}");
      }
    }
  }

  private void checkEvaluation(EvaluationSpec e) {
    if (!required("$.evaluation", e, "add evaluation: {interval: 1m}")) {
      return;
    }
    duration("$.evaluation.interval", e.interval(), true, Duration.ofSeconds(1));
    if (e.maxInconclusive() != null && e.maxInconclusive() < 1) {
      problem("$.evaluation.maxInconclusive", "must be at least 1", "e.g. 5 windows");
    }
    oneOf("$.evaluation.onInconclusive", e.onInconclusive(), ACTIONS);
    if (e.falseRollbackBudget() != null && !(e.falseRollbackBudget() > 0 && e.falseRollbackBudget() < 0.5)) {
      problem("$.evaluation.falseRollbackBudget", e.falseRollbackBudget() + " is not a probability in (0, 0.5)",
          "e.g. 0.001: at most one false rollback in a thousand healthy releases");
    }
    duration("$.evaluation.horizon", e.horizon(), false, Duration.ofMinutes(1));
    if (e.windowsPerRun() != null && e.windowsPerRun() < 10) {
      problem("$.evaluation.windowsPerRun", "must be at least 10", "leave it out for the default (500)");
    }
  }

  private void checkStages(List<StageSpec> stages) {
    if (stages == null || stages.isEmpty()) {
      problem("$.stages", "needs at least one stage", "add e.g. - {name: canary, weight: 5, bake: 30m}");
      return;
    }
    Set<String> names = new HashSet<>();
    Integer previous = null;
    for (int i = 0; i < stages.size(); i++) {
      StageSpec s = stages.get(i);
      String path = "$.stages[" + i + "]";
      if (s == null) {
        problem(path, "is empty", "write {name, weight, bake}");
        continue;
      }
      if (required(path + ".name", s.name(), "name the stage, e.g. canary") && !names.add(s.name())) {
        problem(path + ".name", "'" + s.name() + "' is used by an earlier stage", "stage names must be unique");
      }
      if (required(path + ".weight", s.weight(), "percent of traffic on the candidate, 0..100")) {
        if (s.weight() < 0 || s.weight() > 100) {
          problem(path + ".weight", s.weight() + " is outside 0..100", "a percentage of traffic");
        } else if (previous != null && s.weight() <= previous) {
          problem(path + ".weight", "weights not increasing: " + s.weight() + " after " + previous,
              "each stage must expose more traffic than the one before");
        }
        previous = s.weight();
      }
      duration(path + ".bake", s.bake(), true, Duration.ZERO);
      if (s.minSamples() != null && s.minSamples() < 0) {
        problem(path + ".minSamples", "must not be negative", "candidate trials needed before promotion");
      }
    }
    StageSpec last = stages.get(stages.size() - 1);
    if (last != null && last.weight() != null && last.weight() == 0) {
      problem("$.stages[" + (stages.size() - 1) + "].weight", "the last stage exposes no traffic",
          "end with an exposed stage, usually weight: 100");
    }
  }

  private Set<String> checkSignals(List<SignalSpec> signals) {
    Set<String> names = new LinkedHashSet<>();
    if (signals == null || signals.isEmpty()) {
      problem("$.signals", "needs at least one signal", "add e.g. - {name: error_rate, kind: rate, category: operational}");
      return names;
    }
    for (int i = 0; i < signals.size(); i++) {
      SignalSpec s = signals.get(i);
      String path = "$.signals[" + i + "]";
      if (s == null) {
        problem(path, "is empty", "write {name, kind, category}");
        continue;
      }
      if (required(path + ".name", s.name(), "e.g. hallucination") && !names.add(s.name())) {
        problem(path + ".name", "'" + s.name() + "' is declared twice", "signal names must be unique");
      }
      if (required(path + ".kind", s.kind(), "one of " + SIGNAL_KINDS)) {
        oneOf(path + ".kind", s.kind(), SIGNAL_KINDS);
      }
      if (required(path + ".category", s.category(), "one of " + CATEGORIES)) {
        oneOf(path + ".category", s.category(), CATEGORIES);
      }
      oneOf(path + ".direction", s.direction(), DIRECTIONS);
      if (s.per() != null) {
        if (!s.isRate()) {
          problem(path + ".per", "only rates have a unit", "remove per, or make the signal kind: rate");
        } else if (!RATE_UNITS.contains(s.per())) {
          problem(path + ".per", s.per() + " is not a supported unit", "use one of " + RATE_UNITS);
        }
      }
    }
    return names;
  }

  private Set<String> checkRoles(GovernanceSpec g) {
    Set<String> roles = new LinkedHashSet<>();
    if (!required("$.governance", g, "add governance: {roles: {...}, decisions: {...}}")) {
      return roles;
    }
    if (g.roles() == null || g.roles().isEmpty()) {
      problem("$.governance.roles", "needs at least one role", "e.g. safety-lead: [alice@example.com]");
      return roles;
    }
    g.roles().forEach((role, principals) -> {
      roles.add(role);
      if (principals == null || principals.isEmpty()) {
        problem("$.governance.roles." + role, "has no principals", "list who holds the role, e.g. [alice@example.com]");
      }
    });
    return roles;
  }

  private void checkCriteria(ReleasePolicy p, Set<String> signals) {
    List<CriterionSpec> criteria = p.criteria();
    if (criteria == null || criteria.isEmpty()) {
      problem("$.criteria", "needs at least one criterion", "add a rollback trigger, e.g. error_rate above 2 per 100");
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < criteria.size(); i++) {
      CriterionSpec c = criteria.get(i);
      String path = "$.criteria[" + i + "]";
      if (c == null) {
        problem(path, "is empty", "write {name, when, action}");
        continue;
      }
      if (required(path + ".name", c.name(), "e.g. hallucination-limit") && !names.add(c.name())) {
        problem(path + ".name", "'" + c.name() + "' is used twice", "criterion names must be unique");
      }
      if (required(path + ".action", c.action(), "one of " + ACTIONS)) {
        oneOf(path + ".action", c.action(), ACTIONS);
      }
      oneOf(path + ".severity", c.severity(), SEVERITIES);
      if (c.investigate() != null) {
        CriterionSpec.Investigation inv = c.investigate();
        if (!"pause-and-investigate".equals(c.action())) {
          problem(path + ".investigate", "only goes with action pause-and-investigate", "remove it or change the action");
        }
        if (inv.weight() != null && (inv.weight() < 0 || inv.weight() > 99)) {
          problem(path + ".investigate.weight", inv.weight() + " is not between 0 and 99",
              "the reduced exposure while investigating, e.g. 5; leave it out to freeze where it is");
        }
        Map<String, List<String>> known = p.governance() == null || p.governance().roles() == null ? Map.of()
            : p.governance().roles();
        if (inv.investigators() == null || inv.investigators().isEmpty()) {
          problem(path + ".investigate.investigators", "names no role", "the roles told to investigate, e.g. [safety-lead]");
        } else {
          for (int j = 0; j < inv.investigators().size(); j++) {
            if (!known.containsKey(inv.investigators().get(j))) {
              problem(path + ".investigate.investigators[" + j + "]", "missing role '" + inv.investigators().get(j)
                  + "'", "declare it under governance.roles, or use one of " + known.keySet());
            }
          }
        }
      }
      if (required(path + ".when", c.when(), "a condition, e.g. {signal: error_rate, above: 2}")) {
        checkCondition(path + ".when", c.when(), p, signals);
      }
      if (c.sustain() != null && c.sustain().duration() != null) {
        if (c.sustain().windows() != null || c.sustain().of() != null) {
          problem(path + ".sustain", "mixes a duration with a window count", "use either {for: 5m} or {windows: 3, of: 5}");
        }
        duration(path + ".sustain.for", c.sustain().duration(), true, Duration.ofSeconds(1));
      } else if (c.sustain() != null) {
        Integer m = c.sustain().windows();
        Integer n = c.sustain().of();
        if (m == null || m < 1) {
          problem(path + ".sustain.windows", "must be at least 1", "e.g. windows: 3, or for: 5m");
        } else if (n != null && (n < m || n > 100)) {
          problem(path + ".sustain.of", n + " must be between windows (" + m + ") and 100", "e.g. {windows: 3, of: 5}");
        }
      }
    }
  }

  private void checkCondition(String path, ConditionSpec c, ReleasePolicy p, Set<String> signals) {
    int forms = (c.signal() != null ? 1 : 0) + (c.allOf() != null ? 1 : 0) + (c.anyOf() != null ? 1 : 0)
        + (c.atLeast() != null || c.of() != null ? 1 : 0);
    if (forms != 1) {
      problem(path, forms == 0 ? "has no condition" : "mixes condition forms",
          "use exactly one of: signal (with above/below/baselineRatioAbove/baselineRatioBelow), allOf, anyOf, atLeast+of");
      return;
    }
    if (c.signal() != null) {
      if (!signals.contains(c.signal())) {
        problem(path + ".signal", "unknown signal '" + c.signal() + "'",
            "declare it under signals, or use one of " + signals);
        return;
      }
      int limits = (c.above() != null ? 1 : 0) + (c.below() != null ? 1 : 0)
          + (c.baselineRatioAbove() != null ? 1 : 0) + (c.baselineRatioBelow() != null ? 1 : 0)
          + (c.sliceRatioAbove() != null ? 1 : 0);
      if (limits != 1) {
        problem(path, limits == 0 ? "has no limit" : "has more than one limit",
            "give exactly one of above, below, baselineRatioAbove, baselineRatioBelow, sliceRatioAbove");
      }
      SignalSpec s = p.signal(c.signal());
      checkStatistics(path, c, s);
      boolean upward = c.above() != null || c.baselineRatioAbove() != null || c.sliceRatioAbove() != null;
      boolean downward = c.below() != null || c.baselineRatioBelow() != null;
      if (upward && !s.higherIsWorse()) {
        problem(path, "'" + s.name() + "' is lower-is-worse, so a limit above it fires when it improves",
            "use below or baselineRatioBelow, or declare the signal higher-is-worse");
      } else if (downward && s.higherIsWorse()) {
        problem(path, "'" + s.name() + "' is higher-is-worse, so a limit below it fires when it improves",
            "use above or baselineRatioAbove, or declare the signal direction: lower-is-worse");
      }
      if ((c.baselineRatioAbove() != null || c.baselineRatioBelow() != null) && !Boolean.TRUE.equals(s.baseline())) {
        problem(path + ".signal", "'" + c.signal() + "' is compared with the baseline but does not observe it",
            "set baseline: true on the signal");
      }
      for (var r : List.of(Map.entry("baselineRatioAbove", c.baselineRatioAbove() == null ? 1.0 : c.baselineRatioAbove()),
          Map.entry("baselineRatioBelow", c.baselineRatioBelow() == null ? 1.0 : c.baselineRatioBelow()))) {
        if (r.getValue() <= 0) {
          problem(path + "." + r.getKey(), "must be positive", "a ratio such as 1.5 (candidate 50 % worse)");
        }
      }
      if (c.minSamples() != null && c.minSamples() < 0) {
        problem(path + ".minSamples", "must not be negative", "trials per window below which it is inconclusive");
      }
      return;
    }
    List<ConditionSpec> children = c.allOf() != null ? c.allOf() : c.anyOf() != null ? c.anyOf() : c.of();
    String key = c.allOf() != null ? "allOf" : c.anyOf() != null ? "anyOf" : "of";
    if (children == null || children.isEmpty()) {
      problem(path + "." + key, "is empty", "list at least one condition");
      return;
    }
    if (key.equals("of")) {
      if (c.atLeast() == null || c.atLeast() < 1 || c.atLeast() > children.size()) {
        problem(path + ".atLeast", "must be between 1 and " + children.size(), "how many of the listed conditions must hold");
      }
    }
    for (int i = 0; i < children.size(); i++) {
      if (children.get(i) == null) {
        problem(path + "." + key + "[" + i + "]", "is empty", "write a condition");
      } else {
        checkCondition(path + "." + key + "[" + i + "]", children.get(i), p, signals);
      }
    }
  }

  public static final List<String> TESTS = List.of("sprt", "msprt", "cusum");

  private void checkStatistics(String path, ConditionSpec c, SignalSpec s) {
    boolean rate = s.isRate();
    if (c.test() != null) {
      oneOf(path + ".test", c.test(), TESTS);
      if (!rate) {
        problem(path + ".test", "sequential tests need a rate signal; '" + s.name() + "' is a " + s.kind(),
            "use a per-window limit (above/below) for means and quantiles");
      } else if ("sprt".equals(c.test()) && c.above() == null) {
        problem(path + ".test", "sprt tests a rate against a limit", "give above: LIMIT (in the signal's unit)");
      } else if ("msprt".equals(c.test()) && c.baselineRatioAbove() == null) {
        problem(path + ".test", "msprt compares the candidate with the baseline",
            "give baselineRatioAbove: R (the tolerated ratio, e.g. 1.0)");
      } else if ("cusum".equals(c.test()) && c.above() == null && c.baselineRatioAbove() == null) {
        problem(path + ".test", "cusum needs above or baselineRatioAbove", "give the limit or the tolerated ratio");
      }
      if (c.below() != null || c.baselineRatioBelow() != null) {
        problem(path + ".test", "sequential tests watch for increases of a rate",
            "use above/baselineRatioAbove, or a per-window limit without test");
      }
      if (c.confidence() != null) {
        problem(path + ".confidence", "does not go with a sequential test", "its alpha comes from the budget");
      }
    } else {
      if (c.alpha() != null) {
        problem(path + ".alpha", "only sequential tests spend the false-rollback budget", "add test: sprt|msprt|cusum");
      }
      if (c.detect() != null) {
        problem(path + ".detect", "only sequential tests have an alternative to detect", "add test: sprt|msprt|cusum");
      }
    }
    if (c.alpha() != null && !(c.alpha() > 0 && c.alpha() < 0.5)) {
      problem(path + ".alpha", c.alpha() + " is not a probability in (0, 0.5)", "e.g. 0.0003");
    }
    if (c.detect() != null && !(c.detect() > 1 && c.detect() <= 100)) {
      problem(path + ".detect", c.detect() + " must be a ratio above 1 (at most 100)", "e.g. 2 to detect a doubling");
    }
    if (c.confidence() != null) {
      if (!(c.confidence() >= 0.5 && c.confidence() < 1)) {
        problem(path + ".confidence", c.confidence() + " must be in [0.5, 1)", "e.g. 0.999 for 99.9 %");
      }
      if (!rate || (c.above() == null && c.below() == null)) {
        problem(path + ".confidence", "a confidence bound applies to a rate's above/below limit",
            "use it with a rate signal and above or below");
      }
    }
    if (c.sliceRatioAbove() != null) {
      if (!rate) {
        problem(path + ".sliceRatioAbove", "slice disparity is measured on rates", "use a rate signal");
      }
      if (c.sliceRatioAbove() <= 1) {
        problem(path + ".sliceRatioAbove", "must be above 1", "e.g. 1.5: the worst slice 50 % worse than the rest");
      }
      oneOf(path + ".sliceVs", c.sliceVs(), List.of("rest", "baseline"));
      if ("baseline".equals(c.sliceVs()) && !Boolean.TRUE.equals(s.baseline())) {
        problem(path + ".sliceVs", "compares with the baseline, but '" + s.name() + "' does not observe it",
            "set baseline: true on the signal, or use sliceVs: rest");
      }
    } else if (c.sliceVs() != null) {
      problem(path + ".sliceVs", "only goes with sliceRatioAbove", "remove it or add sliceRatioAbove");
    }
  }

  private void checkDecisions(ReleasePolicy p, Set<String> roles) {
    GovernanceSpec g = p.governance();
    if (g == null) {
      return;
    }
    Map<String, List<String>> held = g.roles() == null ? Map.of() : g.roles();
    Map<String, GovernanceSpec.DecisionRight> decisions = g.decisions() == null ? Map.of() : g.decisions();
    decisions.forEach((kind, right) -> {
      String path = "$.governance.decisions." + kind;
      if (!GovernanceSpec.DECISION_KINDS.contains(kind)) {
        problem(path, "unknown decision '" + kind + "'", "use one of " + GovernanceSpec.DECISION_KINDS);
        return;
      }
      if (right == null || right.roles() == null || right.roles().isEmpty()) {
        problem(path + ".roles", "names no role", "list the roles that may take this decision");
        return;
      }
      for (int i = 0; i < right.roles().size(); i++) {
        if (!roles.contains(right.roles().get(i))) {
          problem(path + ".roles[" + i + "]", "missing role '" + right.roles().get(i) + "'",
              "declare it under governance.roles, or use one of " + roles);
        }
      }
      duration(path + ".deadline", right.deadline(), false, Duration.ofSeconds(1));
      if (kind.equals("rerelease")) {
        // The deadline is how long a rolled-back release stays open for a re-release; nothing else applies.
        for (String[] unused : new String[][] {{"onTimeout", right.onTimeout()},
            {"quorum", right.quorum() == null ? null : "x"}, {"escalation", right.escalation() == null ? null : "x"},
            {"requireRoles", right.requireRoles() == null ? null : "x"}}) {
          if (unused[1] != null) {
            problem(path + "." + unused[0], "does not apply to rerelease (one person with the right re-releases; at"
                + " the deadline the release closes rolled back)", "remove it");
          }
        }
        return;
      }
      if (right.quorum() != null) {
        long people = right.roles().stream().filter(held::containsKey)
            .flatMap(r -> held.get(r) == null ? java.util.stream.Stream.empty() : held.get(r).stream())
            .distinct().count();
        if (right.quorum() < 1 || right.quorum() > people) {
          problem(path + ".quorum", right.quorum() + " is not between 1 and the " + people + " people holding "
              + right.roles(), "lower the quorum or give the roles more principals");
        }
      }
      if (right.requireRoles() != null) {
        List<String> may = new ArrayList<>(right.roles());
        if (right.escalation() != null) {
          right.escalation().stream().filter(e -> e != null && e.roles() != null).forEach(e -> may.addAll(e.roles()));
        }
        for (int i = 0; i < right.requireRoles().size(); i++) {
          String r = right.requireRoles().get(i);
          if (!may.contains(r)) {
            problem(path + ".requireRoles[" + i + "]", "role '" + r + "' may not take this decision, so its approval"
                + " can never arrive", "add it to " + path + ".roles, or remove it here");
          } else if (held.get(r) == null || held.get(r).isEmpty()) {
            problem(path + ".requireRoles[" + i + "]", "role '" + r + "' has no principals",
                "list who holds it under governance.roles." + r);
          }
        }
        if (new java.util.HashSet<>(right.requireRoles()).size() != right.requireRoles().size()) {
          problem(path + ".requireRoles", "names a role twice", "list each role once; use quorum for more people");
        }
        long people = right.requireRoles().stream().filter(held::containsKey)
            .flatMap(r -> held.get(r) == null ? java.util.stream.Stream.empty() : held.get(r).stream())
            .distinct().count();
        if (people < right.requireRoles().size()) {
          problem(path + ".requireRoles", "needs " + right.requireRoles().size() + " different people but only "
              + people + " hold " + right.requireRoles(), "give the roles more principals");
        }
        if (right.quorum() != null && right.quorum() < right.requireRoles().size()) {
          problem(path + ".quorum", right.quorum() + " is less than the " + right.requireRoles().size()
              + " roles that must each approve", "remove quorum or set it to at least " + right.requireRoles().size());
        }
      }
      if (right.escalation() != null) {
        for (int i = 0; i < right.escalation().size(); i++) {
          GovernanceSpec.Escalation e = right.escalation().get(i);
          String ep = path + ".escalation[" + i + "]";
          if (e == null) {
            problem(ep, "is empty", "write {after: 10m, roles: [on-call-manager]}");
            continue;
          }
          duration(ep + ".after", e.after(), true, Duration.ofSeconds(1));
          if (e.roles() == null || e.roles().isEmpty()) {
            problem(ep + ".roles", "names no role", "the roles told (and allowed to decide) at this step");
          } else {
            for (int j = 0; j < e.roles().size(); j++) {
              if (!roles.contains(e.roles().get(j))) {
                problem(ep + ".roles[" + j + "]", "missing role '" + e.roles().get(j) + "'",
                    "declare it under governance.roles, or use one of " + roles);
              }
            }
          }
        }
      }
      oneOf(path + ".onTimeout", right.onTimeout(), ON_TIMEOUT);
      if (right.deadline() != null && right.onTimeout() == null) {
        problem(path + ".onTimeout", "is required with a deadline", "say what happens then: " + ON_TIMEOUT);
      }
    });
    boolean needsRollbackRight = p.criteria() != null && p.criteria().stream()
        .anyMatch(c -> c != null && "rollback-after-approval".equals(c.action()));
    if (needsRollbackRight && !decisions.containsKey("rollback")) {
      problem("$.governance.decisions.rollback", "is required: a criterion's action is rollback-after-approval",
          "name the roles that approve rollbacks, with a deadline and onTimeout");
    }
    boolean needsPromote = p.stages() != null && p.stages().stream().anyMatch(s -> s != null && s.needsApproval());
    if (needsPromote && !decisions.containsKey("promote")) {
      problem("$.governance.decisions.promote", "is required: a stage has approval: true",
          "name the roles that approve promotion");
    }
    boolean needsResume = p.criteria() != null && p.criteria().stream()
        .anyMatch(c -> c != null && "pause-and-investigate".equals(c.action()));
    if (needsResume && !decisions.containsKey("resume")) {
      problem("$.governance.decisions.resume", "is required: a criterion's action is pause-and-investigate",
          "name the roles that may resume after an investigation");
    }
  }

  private void checkRollback(RollbackSpec r) {
    if (r == null || r.steps() == null || r.steps().isEmpty()) {
      problem("$.rollback.steps", "needs at least one step", "e.g. - {weight: 0}");
      return;
    }
    Integer previous = null;
    for (int i = 0; i < r.steps().size(); i++) {
      RollbackSpec.Step s = r.steps().get(i);
      String path = "$.rollback.steps[" + i + "]";
      if (s == null || s.weight() == null) {
        problem(path + ".weight", "is required", "the candidate's weight after this step");
        continue;
      }
      if (s.weight() < 0 || s.weight() > 100) {
        problem(path + ".weight", s.weight() + " is outside 0..100", "a percentage of traffic");
      } else if (previous != null && s.weight() >= previous) {
        problem(path + ".weight", "weights not decreasing: " + s.weight() + " after " + previous,
            "each rollback step must expose less traffic than the one before");
      }
      previous = s.weight();
      duration(path + ".hold", s.hold(), false, Duration.ZERO);
    }
    if (previous != null && previous != 0) {
      problem("$.rollback.steps[" + (r.steps().size() - 1) + "].weight", "the last step leaves " + previous + " % on the candidate",
          "end the rollback with weight: 0");
    }
  }

  private void checkNotifications(NotificationSpec n) {
    if (n == null) {
      return;
    }
    if (n.webhook() != null) {
      url("$.notifications.webhook", n.webhook());
    }
    if (n.templates() != null) {
      n.templates().keySet().forEach(k -> oneOf("$.notifications.templates." + k, k, NotificationSpec.EVENTS));
    }
  }

  private void checkPlaybook(PlaybookSpec pb, Set<String> roles) {
    if (pb == null) {
      return;
    }
    if (pb.temporalUi() != null) {
      url("$.playbook.temporalUi", pb.temporalUi());
    }
    if (pb.steps() == null || pb.steps().isEmpty()) {
      problem("$.playbook.steps", "needs at least one step", "e.g. - {name: page, kind: notify, template: '...'}");
      return;
    }
    List<String> kinds = new ArrayList<>(PlaybookSpec.AUTOMATIC);
    kinds.addAll(PlaybookSpec.HUMAN);
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < pb.steps().size(); i++) {
      PlaybookSpec.Step s = pb.steps().get(i);
      String path = "$.playbook.steps[" + i + "]";
      if (s == null) {
        problem(path, "is empty", "write {name, kind, ...}");
        continue;
      }
      if (required(path + ".name", s.name(), "name the step, e.g. legal-review")) {
        if (!NAME.matcher(s.name()).matches()) {
          problem(path + ".name", "'" + s.name() + "' is not a valid name", "lower-case letters, digits, '.', '_', '-'");
        } else if (!names.add(s.name())) {
          problem(path + ".name", "'" + s.name() + "' is used by an earlier step", "step names must be unique");
        }
      }
      if (required(path + ".kind", s.kind(), "one of " + String.join(", ", kinds))) {
        oneOf(path + ".kind", s.kind(), kinds);
      }
      if (s.after() != null) {
        for (String a : s.after()) {
          if (!names.contains(a) || a.equals(s.name())) {
            problem(path + ".after", "'" + a + "' is not an earlier step", "a step can only wait for steps listed above it");
          }
        }
      }
      for (var list : List.of(Map.entry("owners", s.owners() == null ? List.<String>of() : s.owners()),
          Map.entry("escalate", s.escalate() == null ? List.<String>of() : s.escalate()))) {
        for (int j = 0; j < list.getValue().size(); j++) {
          if (!roles.contains(list.getValue().get(j))) {
            problem(path + "." + list.getKey() + "[" + j + "]", "missing role '" + list.getValue().get(j) + "'",
                "declare it under governance.roles");
          }
        }
      }
      if (s.isHuman()) {
        if (s.owners() == null || s.owners().isEmpty()) {
          problem(path + ".owners", "a human step needs owners", "the roles who close it with the acknowledge signal");
        }
        duration(path + ".deadline", s.deadline(), true, Duration.ofMinutes(1));
        duration(path + ".remind", s.remind(), false, Duration.ofMinutes(1));
      } else if (s.deadline() != null || s.remind() != null) {
        problem(path, "deadline/remind are for human steps", "remove them from this " + s.kind() + " step");
      }
      switch (s.kind() == null ? "" : s.kind()) {
        case "notify" -> required(path + ".template", s.template(), "the message, e.g. '{model} rolled back: {link}'");
        case "snapshot-evidence" -> {
          if (required(path + ".url", s.url(), "the evidence store's URL")) {
            url(path + ".url", s.url());
          }
        }
        case "data-rule" -> {
          if (required(path + ".url", s.url(), "the data service that retains or purges outputs")) {
            url(path + ".url", s.url());
          }
          if (required(path + ".rule", s.rule(), "retain (legal hold) or purge")) {
            oneOf(path + ".rule", s.rule(), List.of("retain", "purge"));
          }
        }
        case "verify-recovery" -> duration(path + ".within", s.within(), false, Duration.ofSeconds(1));
        default -> { }
      }
    }
  }
}
