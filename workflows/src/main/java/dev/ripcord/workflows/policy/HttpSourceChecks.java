package dev.ripcord.workflows.policy;

import static dev.ripcord.workflows.policy.PolicyValidator.PLACEHOLDER;

import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import dev.ripcord.workflows.policy.ObservationSpec.ArmPaths;
import dev.ripcord.workflows.policy.ObservationSpec.HttpSpec;
import dev.ripcord.workflows.policy.ObservationSpec.SignalPaths;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks the http source: its URL and placeholders, the auth header's variable, a JSONPath for every signal's arms. */
final class HttpSourceChecks {
  /** A list, not a set: problem texts are written in the workflow too, and must not depend on hash order. */
  static final List<String> URL_PLACEHOLDERS = List.of("model", "candidate", "baseline", "stage", "from", "to");
  private static final Pattern ENV = Pattern.compile("[A-Z_][A-Z0-9_]{0,100}");
  private final Problems out;

  HttpSourceChecks(Problems out) {
    this.out = out;
  }

  void check(HttpSpec http, List<SignalSpec> signals) {
    String base = "$.observations.http";
    if (!out.required(base, http, "add http: {url: https://evals.internal/windows?model={model}&to={to}, signals:"
        + " {<signal>: {candidate: {events: $.candidate.x, trials: $.candidate.n}, baseline: {...}}}}")) {
      return;
    }
    if (out.required(base + ".url", http.url(), "the evaluation service's URL, e.g. https://evals.internal/windows")) {
      out.url(base + ".url", PLACEHOLDER.matcher(http.url()).replaceAll("x"));
      Matcher m = PLACEHOLDER.matcher(http.url());
      while (m.find()) {
        if (!URL_PLACEHOLDERS.contains(m.group(1))) {
          out.problem(base + ".url", "unknown placeholder {" + m.group(1) + "}", "use one of " + URL_PLACEHOLDERS);
        }
      }
    }
    if ((http.authHeader() == null) != (http.authFromEnv() == null)) {
      out.problem(base + (http.authHeader() == null ? ".authHeader" : ".authFromEnv"), "is required with "
          + (http.authHeader() == null ? "authFromEnv" : "authHeader"), "name the header (e.g. Authorization) and the"
          + " worker's environment variable holding its value (e.g. EVALS_TOKEN); never the secret itself");
    } else if (http.authFromEnv() != null && !ENV.matcher(http.authFromEnv()).matches()) {
      out.problem(base + ".authFromEnv", "'" + PolicyBounds.cut(http.authFromEnv()) + "' is not an environment"
          + " variable name", "write the variable's name, e.g. EVALS_TOKEN; the value stays in the worker's environment");
    }
    for (SignalSpec s : signals) {
      if (s == null || s.name() == null) {
        continue;
      }
      String path = base + ".signals." + s.name();
      SignalPaths paths = http.signals() == null ? null : http.signals().get(s.name());
      if (paths == null) {
        out.problem(path, "is missing: every signal needs its paths", "write " + s.name() + ": {candidate: {"
            + (s.isRate() ? "events: $..., trials: $..." : "value: $...") + "}, baseline: {...}}");
        continue;
      }
      arm(path + ".candidate", paths.candidate(), s, true, true);
      // A quantile's share beyond its point is tested over the candidate's units only.
      arm(path + ".baseline", paths.baseline(), s, Boolean.TRUE.equals(s.baseline()),
          s.kindType() != SignalKind.QUANTILE);
    }
    if (http.signals() != null) {
      http.signals().keySet().stream().filter(k -> signals.stream().noneMatch(s -> s != null && k.equals(s.name())))
          .forEach(k -> out.problem(base + ".signals." + PolicyBounds.cut(k), "names no signal",
              "declare it under signals: or remove it"));
    }
  }

  private void arm(String path, ArmPaths a, SignalSpec s, boolean required, boolean unitsRequired) {
    if (a == null) {
      if (required) {
        out.problem(path, "is required", "the JSONPath of this arm's numbers in the service's answer");
      }
      return;
    }
    if (s.unit() != null && (unitsRequired || a.units() != null)) {
      if (out.required(path + ".units", a.units(), "the JSONPath of the object holding this arm's " + s.unit()
          + " statistics since the stage began (units, unitEventsSq, unitTrialsSq, unitEventsTrials; for a quantile:"
          + " units, unitBucketsSq, unitBucketsTrials)")) {
        jsonPath(path + ".units", a.units());
      }
    } else if (a.units() != null) {
      out.problem(path + ".units", "reads unit statistics, but " + s.name() + " declares no unit",
          "add unit: user (or session, conversation) to the signal, or remove units");
    }
    if (s.isRate()) {
      jsonPath(path + ".events", a.events());
      jsonPath(path + ".trials", a.trials());
    } else if (a.buckets() != null) {
      if (s.kindType() != SignalKind.QUANTILE) {
        out.problem(path + ".buckets", "reads a histogram, but " + s.name() + " is a " + s.kind(),
            "read a mean's sample with n and sd (or n, sum and sumSquares)");
      }
      jsonPath(path + ".buckets", a.buckets());
    } else if (a.n() != null || a.sd() != null || a.sum() != null || a.sumSquares() != null) {
      if (s.kindType() != SignalKind.MEAN && s.kindType() != SignalKind.RATIO) {
        out.problem(path + ".n", "reads a sample, but " + s.name() + " is a " + s.kind(),
            "a quantile reads buckets (the path of its cumulative counts by upper bound)");
      }
      jsonPath(path + ".n", a.n());
      if (a.sum() != null || a.sumSquares() != null) {
        jsonPath(path + ".sum", a.sum());
        jsonPath(path + ".sumSquares", a.sumSquares());
      } else {
        jsonPath(path + ".value", a.value());
        jsonPath(path + ".sd", a.sd());
      }
    } else {
      jsonPath(path + ".value", a.value());
    }
  }

  private void jsonPath(String path, String expression) {
    if (!out.required(path, expression, "a JSONPath such as $.candidate.hallucination.events")) {
      return;
    }
    try {
      JsonPath p = JsonPath.compile(expression);
      if (!p.isDefinite()) {
        out.problem(path, "'" + PolicyBounds.cut(expression) + "' can match several values",
            "use a path to one number (no wildcards, filters or deep scans)");
      }
    } catch (InvalidPathException | IllegalArgumentException e) {
      out.problem(path, "'" + PolicyBounds.cut(expression) + "' is not a JSONPath: " + e.getMessage(),
          "write e.g. $.candidate.hallucination.events");
    }
  }
}
