package dev.ripcord.workflows.policy;

import static dev.ripcord.workflows.policy.PolicyValidator.ACTIONS;
import static dev.ripcord.workflows.policy.PolicyValidator.PLACEHOLDER;
import static dev.ripcord.workflows.policy.PolicyValidator.QUERY_PLACEHOLDERS;
import static dev.ripcord.workflows.policy.PolicyValidator.SOURCES;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks observations section: the source and, for Prometheus, its queries. Reports into the one {@link Problems} collector; pure. */
final class ObservationChecks {
  private final Problems out;

  ObservationChecks(Problems out) {
    this.out = out;
  }

  void checkObservations(ObservationSpec o, List<SignalSpec> signals) {
    if (!out.required("$.observations", o, "add observations: {source: pushed}")) {
      return;
    }
    if (out.required("$.observations.source", o.source(), "write source: pushed")
        && !PolicyValidator.CUSTOM_NAME.matcher(o.source()).matches()) {
      out.oneOf("$.observations.source", o.source(), SOURCES); // x-<name>: a source a worker bean adds
    }
    if (o.settings() != null && (o.source() == null || !PolicyValidator.CUSTOM_NAME.matcher(o.source()).matches())) {
      out.problem("$.observations.settings", "is set but source is '" + o.source() + "': only a source of your own"
          + " (x-<name>) reads settings", "remove settings, or name the source x-<name> that a worker bean serves");
    }
    if (o.sourceType() == Source.PROMETHEUS) {
      checkPrometheus(o.prometheus(), signals);
    } else if (o.prometheus() != null) {
      out.problem("$.observations.prometheus", "is set but source is '" + o.source() + "'",
          "write source: prometheus, or remove the prometheus block");
    }
    if (o.sourceType() == Source.HTTP) {
      new HttpSourceChecks(out).check(o.http(), signals);
    } else if (o.http() != null) {
      out.problem("$.observations.http", "is set but source is '" + o.source() + "'",
          "write source: http, or remove the http block");
    }
    if (o.alerts() != null) {
      Set<String> names = new HashSet<>();
      for (int i = 0; i < o.alerts().size(); i++) {
        ObservationSpec.AlertRule r = o.alerts().get(i);
        String path = "$.observations.alerts[" + i + "]";
        if (r == null) {
          out.problem(path, "is empty", "write {alertname: ModelSafetySpike, action: rollback}");
          continue;
        }
        if (out.required(path + ".alertname", r.alertname(), "the alert's alertname label, e.g. ModelSafetySpike")
            && !names.add(r.alertname())) {
          out.problem(path + ".alertname", "'" + r.alertname() + "' is listed twice", "give each alert one action");
        }
        if (out.required(path + ".action", r.action(), "what the alert does: one of " + String.join(", ", ACTIONS))) {
          out.oneOf(path + ".action", r.action(), ACTIONS);
        }
      }
    }
  }

  void checkPrometheus(ObservationSpec.PrometheusSpec prom, List<SignalSpec> signals) {
    String base = "$.observations.prometheus";
    if (!out.required(base, prom, "add prometheus: {url: http://prometheus:9090, queries: {<signal>: {events, trials}}}")) {
      return;
    }
    if (out.required(base + ".url", prom.url(), "the server's base URL, e.g. http://prometheus:9090")) {
      out.url(base + ".url", prom.url());
    }
    Map<String, ObservationSpec.SignalQuery> queries = prom.queries() == null ? Map.of() : prom.queries();
    for (SignalSpec s : signals) {
      if (s == null || s.name() == null) {
        continue;
      }
      String path = base + ".queries." + s.name();
      ObservationSpec.SignalQuery q = queries.get(s.name());
      if (s.isPaired()) {
        pairedQueries(path, q, s);
        continue;
      }
      if (q == null) {
        out.problem(path, "is missing: every signal needs a query", s.isRate()
            ? "write " + s.name() + ": {events: 'sum(increase(..._total{version=\"{version}\"}[{window}]))', trials: ...}"
            : "write " + s.name() + ": {value: '<PromQL giving one number for {version}>'}");
        continue;
      }
      if (q.readsPairs()) {
        out.problem(path, "has pair queries, but " + s.name() + " is a " + s.kind() + " signal",
            "declare the signal with kind: paired, or use " + (s.isRate() ? "events and trials" : "value"));
        continue;
      }
      if (q.preset() != null) {
        preset(path, q, s);
        continue;
      }
      if (q.scale() != null && (q.buckets() == null || !(q.scale() > 0) || Double.isInfinite(q.scale()))) {
        out.problem(path + ".scale", q.buckets() == null ? "scales a histogram's bounds, but there is no buckets query"
            : q.scale() + " is not a positive factor", "e.g. scale: 1000 reads a histogram in seconds as ms");
      }
      if (s.isRate()) {
        if (out.required(path + ".events", q.events(), "a PromQL expression counting the signal's events in {window}")) {
          placeholders(path + ".events", q.events());
        }
        if (out.required(path + ".trials", q.trials(), "a PromQL expression counting all outputs in {window}")) {
          placeholders(path + ".trials", q.trials());
        }
        if (q.value() != null) {
          out.problem(path + ".value", "is set on a rate signal", "rates are read as events and trials; remove value");
        }
      } else if (q.readsSample() || q.buckets() != null) {
        sampleQueries(path, q, s);
      } else {
        if (out.required(path + ".value", q.value(), "a PromQL expression giving the " + s.kind() + " for {version}")) {
          placeholders(path + ".value", q.value());
        }
        if (q.events() != null || q.trials() != null) {
          out.problem(path, "has events/trials on a " + s.kind() + " signal", "use value: for means, ratios and quantiles");
        }
      }
    }
    for (String name : queries.keySet()) {
      if (signals.stream().noneMatch(s -> s != null && name.equals(s.name()))) {
        out.problem(base + ".queries." + name, "names no signal", "declare it under signals: or remove the query");
      }
    }
  }

  /** A mean's sample (count, sum, sumSquares or variance) or a quantile's histogram (buckets by le). */
  private void sampleQueries(String path, ObservationSpec.SignalQuery q, SignalSpec s) {
    if (q.buckets() != null) {
      if (s.kindType() != SignalKind.QUANTILE) {
        out.problem(path + ".buckets", "reads a histogram, but " + s.name() + " is a " + s.kind(),
            "declare the signal kind: quantile, or read its sample with count, sum and sumSquares");
      }
      placeholders(path + ".buckets", q.buckets());
      if (q.readsSample()) {
        out.problem(path, "reads both a histogram and a sample", "a quantile reads buckets; a mean count/sum/sumSquares");
      }
      return;
    }
    if (s.kindType() != SignalKind.MEAN && s.kindType() != SignalKind.RATIO) {
      out.problem(path + ".count", "reads a sample, but " + s.name() + " is a " + s.kind(), s.kindType()
          == SignalKind.QUANTILE ? "read its histogram: buckets: 'sum by (le) (increase(..._bucket[{window}]))'"
          : "rates are read as events and trials");
    }
    String example = "e.g. count: 'sum(increase(score_count{version=\"{version}\"}[{window}]))', and sum, sumSquares"
        + " alike";
    for (var f : java.util.Arrays.asList(new String[] {"count", q.count()}, new String[] {"sum", q.sum()})) {
      if (out.required(path + "." + f[0], f[1], example)) {
        placeholders(path + "." + f[0], f[1]);
      }
    }
    if ((q.sumSquares() == null) == (q.variance() == null)) {
      out.problem(path + ".sumSquares", q.sumSquares() == null ? "is required with count and sum (or variance)"
          : "and variance are both set", "give the sum of squared observations, or their variance, not both");
    } else {
      placeholders(path + (q.sumSquares() != null ? ".sumSquares" : ".variance"),
          q.sumSquares() != null ? q.sumSquares() : q.variance());
    }
    if (q.events() != null || q.trials() != null) {
      out.problem(path, "has events/trials on a " + s.kind() + " signal", "a sample is count, sum and sumSquares");
    }
  }

  /** A paired signal: three queries, one per pair outcome, and nothing else. */
  private void pairedQueries(String path, ObservationSpec.SignalQuery q, SignalSpec s) {
    String example = "write " + s.name() + ": {candidateWorse: 'sum(increase(judge_pairs_total{candidate=\"{candidate}\","
        + " outcome=\"candidate_worse\"}[{window}]))', baselineWorse: ..., concordant: ...}";
    if (q == null) {
      out.problem(path, "is missing: every signal needs a query", example);
      return;
    }
    for (var f : List.of(java.util.Map.entry("candidateWorse", String.valueOf(q.candidateWorse())),
        java.util.Map.entry("baselineWorse", String.valueOf(q.baselineWorse())),
        java.util.Map.entry("concordant", String.valueOf(q.concordant())))) {
      if ("null".equals(f.getValue())) {
        out.problem(path + "." + f.getKey(), "is required (" + s.name() + " is paired)", "a PromQL expression"
            + " counting the window's same-prompt pairs of that outcome; " + example);
      } else {
        var m = PLACEHOLDER.matcher(f.getValue());
        while (m.find()) {
          if (!List.of("candidate", "baseline", "window", "model").contains(m.group(1))) {
            out.problem(path + "." + f.getKey(), "unknown placeholder {" + m.group(1) + "}",
                "use {candidate}, {baseline}, {window} or {model}");
          }
        }
      }
    }
    if (q.events() != null || q.trials() != null || q.value() != null || q.preset() != null) {
      out.problem(path, "has events/trials/value/preset on a paired signal",
          "a paired signal reads candidateWorse, baselineWorse and concordant only");
    }
  }

  /** A GenAI preset: known, fitting the signal's kind, alone (no hand-written query beside it). */
  private void preset(String path, ObservationSpec.SignalQuery q, SignalSpec s) {
    if (q.by() != null && !GenAiPresets.BY.contains(q.by())) {
      out.problem(path + ".by", "'" + PolicyBounds.cut(q.by()) + "' is not one of " + GenAiPresets.BY,
          "request matches the version on gen_ai.request.model, response on gen_ai.response.model");
    }
    GenAiPresets.Preset p = GenAiPresets.PRESETS.get(q.preset());
    if (p == null) {
      String near = Suggestions.nearest(q.preset(), GenAiPresets.PRESETS.keySet());
      out.problem(path + ".preset", "unknown preset '" + PolicyBounds.cut(q.preset()) + "'", near != null
          ? "did you mean '" + near + "'?" : "use one of " + String.join(", ", GenAiPresets.PRESETS.keySet()));
      return;
    }
    if (p.histogram() && s.kindType() != SignalKind.QUANTILE) {
      out.problem(path + ".preset", "'" + q.preset() + "' reads a histogram, but " + s.name() + " is a " + s.kind()
          + " signal", "declare the signal with kind: quantile (criteria then give quantile: 0.99)");
    } else if (p.rate() != s.isRate()) {
      out.problem(path + ".preset", "'" + q.preset() + "' reads " + (p.rate() ? "a rate" : "one value") + ", but "
          + s.name() + " is a " + s.kind() + " signal", p.rate() ? "declare the signal with kind: rate"
          : "declare the signal as a mean or quantile (kind: mean|quantile)");
    }
    if (q.events() != null || q.trials() != null || q.value() != null || q.buckets() != null || q.scale() != null) {
      out.problem(path, "has both a preset and its own query", "keep one: the preset, or events/trials/value");
    }
  }

  private void placeholders(String path, String query) {
    var m = PLACEHOLDER.matcher(query);
    while (m.find()) {
      if (!QUERY_PLACEHOLDERS.contains(m.group(1))) {
        out.problem(path, "unknown placeholder {" + m.group(1) + "}", "use {version}, {window} or {model}");
      }
    }
  }
}
