package dev.ripcord.activities.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.activities.http.HttpTargets;
import dev.ripcord.workflows.activity.ObservationActivities;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.policy.GenAiPresets;
import dev.ripcord.workflows.policy.ObservationSpec.PrometheusSpec;
import dev.ripcord.workflows.policy.ObservationSpec.SignalQuery;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code prometheus} observation source: each signal's PromQL, once for the candidate and once for the baseline,
 * evaluated as an instant query at the window's end ({@code /api/v1/query?time=}). A query Prometheus rejects, a
 * result with no series or several, and a server that cannot be reached all fail the read with a message naming the
 * signal and the query, so the workflow audits the window as inconclusive, never as healthy.
 */
public class PrometheusObservationActivities implements ObservationActivities {
  /** Prometheus rejected the query (bad PromQL): retrying cannot help. */
  public static final String QUERY_REJECTED = "PromQLRejected";
  /** The query ran but gave no single number: no data for this version in this window. */
  public static final String NO_DATA = "PromQLNoData";
  /** Prometheus did not answer, or answered 5xx: retried. */
  public static final String UNAVAILABLE = "PrometheusUnavailable";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final Duration timeout;

  public PrometheusObservationActivities(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  @Override
  public Observation read(ObservationRequest request) {
    PrometheusSpec prom = request.spec().prometheus();
    Instant to = Instant.parse(request.to());
    long windowSeconds = request.from() == null ? 60
        : Math.max(1, Duration.between(Instant.parse(request.from()), to).toSeconds());
    Map<String, SignalReading> signals = new LinkedHashMap<>();
    for (String signal : request.signals()) {
      SignalQuery q = GenAiPresets.expand(prom.queries().get(signal));
      if (q.readsPairs()) {
        signals.put(signal, pairs(prom, request, signal, q, windowSeconds, to));
        continue;
      }
      Arm candidate = arm(prom, request, signal, q, request.candidate(), windowSeconds, to);
      Arm baseline = request.baseline() == null ? null
          : arm(prom, request, signal, q, request.baseline(), windowSeconds, to);
      signals.put(signal, new SignalReading(candidate, baseline, null));
    }
    return new Observation(request.to(), request.from(), request.stage(), signals, "prometheus",
        prom.url() + " at " + request.to() + " over " + windowSeconds + "s");
  }

  private Arm arm(PrometheusSpec prom, ObservationRequest r, String signal, SignalQuery q, String version,
      long windowSeconds, Instant at) {
    if (q.buckets() != null) {
      return Arm.buckets(buckets(prom.url(), signal + ".buckets", render(q.buckets(), r, version, windowSeconds), at,
          q.scale()));
    }
    if (q.readsSample()) {
      long n = Math.round(query(prom.url(), signal + ".count", render(q.count(), r, version, windowSeconds), at));
      double sum = query(prom.url(), signal + ".sum", render(q.sum(), r, version, windowSeconds), at);
      double squares;
      if (q.sumSquares() != null) {
        squares = query(prom.url(), signal + ".sumSquares", render(q.sumSquares(), r, version, windowSeconds), at);
      } else {
        double variance = query(prom.url(), signal + ".variance", render(q.variance(), r, version, windowSeconds), at);
        squares = variance * Math.max(n - 1, 0) + (n == 0 ? 0 : sum * sum / n);
      }
      // increase() extrapolates each series on its own, so the three can disagree slightly; no data can give a
      // sum of squares below sum²/n, so it is raised to that.
      squares = n == 0 ? squares : Math.max(squares, sum * sum / n);
      return new Arm(null, null, null, n, null, sum, squares, null);
    }
    if (q.value() != null) {
      return Arm.value(query(prom.url(), signal + ".value", render(q.value(), r, version, windowSeconds), at));
    }
    double events = query(prom.url(), signal + ".events", render(q.events(), r, version, windowSeconds), at);
    double trials = query(prom.url(), signal + ".trials", render(q.trials(), r, version, windowSeconds), at);
    // increase() extrapolates, so counts come back fractional; a count is a whole number no larger than its trials.
    long t = Math.round(trials);
    return Arm.counts(Math.min(Math.round(events), t), t);
  }

  /** A paired signal: the window's same-prompt pairs of each outcome, each a whole number. */
  private SignalReading pairs(PrometheusSpec prom, ObservationRequest r, String signal, SignalQuery q,
      long windowSeconds, Instant at) {
    long[] n = new long[3];
    String[][] queries = {{"candidateWorse", q.candidateWorse()}, {"baselineWorse", q.baselineWorse()},
        {"concordant", q.concordant()}};
    for (int i = 0; i < 3; i++) {
      String promql = render(queries[i][1], r, r.candidate(), windowSeconds)
          .replace("{candidate}", r.candidate()).replace("{baseline}", r.baseline() == null ? "" : r.baseline());
      n[i] = Math.max(0, Math.round(query(prom.url(), signal + "." + queries[i][0], promql, at)));
    }
    return SignalReading.paired(n[0], n[1], n[2]);
  }

  /**
   * A histogram's cumulative counts, one series per {@code le} label, rounded to whole requests and made
   * non-decreasing (increase() extrapolates each bucket's series on its own).
   */
  private Map<String, Long> buckets(String baseUrl, String what, String promql, Instant at, Double scale) {
    JsonNode result = vector(baseUrl, what, promql, at);
    java.util.TreeMap<Double, String> order = new java.util.TreeMap<>();
    Map<String, Double> counts = new LinkedHashMap<>();
    for (JsonNode series : result) {
      String le = series.path("metric").path("le").asText(null);
      if (le == null) {
        throw ApplicationFailure.newNonRetryableFailure("no histogram for " + what + ": a series has no 'le' label"
            + " (aggregate by le, e.g. sum by (le) (increase(..._bucket[{window}]))); query: " + promql, NO_DATA);
      }
      double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
      order.put(bound, le);
      counts.put(le, Double.parseDouble(series.path("value").path(1).asText("NaN")));
    }
    if (!order.containsKey(Double.POSITIVE_INFINITY)) {
      throw ApplicationFailure.newNonRetryableFailure("no histogram for " + what + ": no le=\"+Inf\" series; query: "
          + promql, NO_DATA);
    }
    Map<String, Long> out = new LinkedHashMap<>();
    long running = 0;
    for (String le : order.values()) {
      double v = counts.get(le);
      running = Math.max(running, Double.isFinite(v) ? Math.round(v) : 0);
      out.put(scaled(le, scale), running);
    }
    return out;
  }

  /** An upper bound in the signal's unit: {@code le} times {@code scale}, in exact decimal ("0.025" x 1000 = "25"). */
  static String scaled(String le, Double scale) {
    if (scale == null || "+Inf".equals(le)) {
      return le;
    }
    return new java.math.BigDecimal(le).multiply(java.math.BigDecimal.valueOf(scale)).stripTrailingZeros()
        .toPlainString();
  }

  static String render(String template, ObservationRequest r, String version, long windowSeconds) {
    return template.replace("{version}", version).replace("{window}", windowSeconds + "s")
        .replace("{model}", r.model() == null ? "" : r.model());
  }

  /** Runs one instant query; the answer's body, or the failure that names what was read and the fix. */
  private JsonNode send(String baseUrl, String what, String promql, Instant at) {
    String url = baseUrl.replaceAll("/+$", "") + "/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + at.getEpochSecond() + "."
        + String.format("%03d", at.getNano() / 1_000_000);
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw HttpTargets.unreachable("Prometheus at " + baseUrl, e, UNAVAILABLE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HttpTargets.unreachable("Prometheus at " + baseUrl, e, UNAVAILABLE);
    }
    JsonNode body = parse(response.body());
    if (response.statusCode() == 400 || response.statusCode() == 422) {
      throw ApplicationFailure.newNonRetryableFailure("Prometheus rejected the query for " + what + " ("
          + body.path("errorType").asText("HTTP " + response.statusCode()) + ": " + body.path("error").asText("")
          + "); query: " + promql + "; fix observations.prometheus.queries in the policy", QUERY_REJECTED);
    }
    if (response.statusCode() != 200) {
      throw HttpTargets.classify("Prometheus at " + baseUrl, response, QUERY_REJECTED, UNAVAILABLE);
    }
    return body;
  }

  /** An instant query's vector result, every series of it. */
  private JsonNode vector(String baseUrl, String what, String promql, Instant at) {
    JsonNode data = send(baseUrl, what, promql, at).path("data");
    if (!"vector".equals(data.path("resultType").asText()) || data.path("result").isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure("no series for " + what + " (nothing scraped for this version in"
          + " this window?); query: " + promql, NO_DATA);
    }
    return data.path("result");
  }

  /** One instant query that must give exactly one finite number. */
  double query(String baseUrl, String what, String promql, Instant at) {
    JsonNode data = send(baseUrl, what, promql, at).path("data");
    JsonNode value;
    switch (data.path("resultType").asText()) {
      case "scalar" -> value = data.path("result");
      case "vector" -> {
        JsonNode result = data.path("result");
        if (result.size() != 1) {
          throw ApplicationFailure.newNonRetryableFailure("no single number for " + what + ": the query gave "
              + result.size() + " series" + (result.size() == 0 ? " (nothing scraped for this version in this window?)"
              : " (aggregate it, e.g. sum(...))") + "; query: " + promql, NO_DATA);
        }
        value = result.get(0).path("value");
      }
      default -> throw ApplicationFailure.newNonRetryableFailure("no single number for " + what + ": the query gave a "
          + data.path("resultType").asText("?") + "; query: " + promql, QUERY_REJECTED);
    }
    double v;
    try {
      v = Double.parseDouble(value.path(1).asText());
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    if (!Double.isFinite(v)) {
      throw ApplicationFailure.newNonRetryableFailure("no number for " + what + ": the query gave "
          + value.path(1).asText("nothing") + " (no traffic for this version in this window?); query: " + promql,
          NO_DATA);
    }
    return v;
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
