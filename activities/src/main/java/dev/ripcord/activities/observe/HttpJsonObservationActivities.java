package dev.ripcord.activities.observe;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.activities.http.HttpTargets;
import dev.ripcord.workflows.activity.ObservationActivities;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.policy.ObservationSpec.ArmPaths;
import dev.ripcord.workflows.policy.ObservationSpec.HttpSpec;
import dev.ripcord.workflows.policy.ObservationSpec.SignalPaths;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The {@code http} observation source: one GET per window to an evaluation service that publishes its scores as
 * JSON, then a JSONPath per signal and arm. As with Prometheus, a service that cannot be reached, an answer that is
 * not JSON, and a path with no number all fail the read with a message naming the signal and the path, so the
 * workflow audits the window as inconclusive, never as healthy. The auth header's value comes from the worker's
 * environment, never from the policy.
 */
public class HttpJsonObservationActivities implements ObservationActivities {
  /** The service answered 4xx (other than 429), or the answer is not JSON: retrying cannot help. */
  public static final String REJECTED = "HttpSourceRejected";
  /** A path found no number: no data for this version in this window. */
  public static final String NO_DATA = "HttpSourceNoData";
  /** The service did not answer, or answered 429/5xx: retried. */
  public static final String UNAVAILABLE = "HttpSourceUnavailable";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Configuration PATHS = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider(JSON)).mappingProvider(new JacksonMappingProvider(JSON))
      .options(Option.SUPPRESS_EXCEPTIONS).build();
  private final HttpClient http;
  private final Duration timeout;
  private final UnaryOperator<String> env;

  public HttpJsonObservationActivities(HttpClient http, Duration timeout) {
    this(http, timeout, System::getenv);
  }

  /** {@code env} reads the auth header's variable (the process environment in the worker). */
  public HttpJsonObservationActivities(HttpClient http, Duration timeout, UnaryOperator<String> env) {
    this.http = http;
    this.timeout = timeout;
    this.env = env;
  }

  @Override
  public Observation read(ObservationRequest request) {
    HttpSpec spec = request.spec().http();
    String url = render(spec.url(), request);
    JsonNode body = get(spec, url);
    Map<String, SignalReading> signals = new LinkedHashMap<>();
    for (String signal : request.signals()) {
      SignalPaths paths = spec.signals().get(signal);
      Arm candidate = arm(body, signal + ".candidate", paths.candidate(), url);
      Arm baseline = paths.baseline() == null || request.baseline() == null ? null
          : arm(body, signal + ".baseline", paths.baseline(), url);
      signals.put(signal, new SignalReading(candidate, baseline, null));
    }
    return new Observation(request.to(), request.from(), request.stage(), signals, "http", url);
  }

  static String render(String template, ObservationRequest r) {
    return template.replace("{model}", enc(r.model())).replace("{candidate}", enc(r.candidate()))
        .replace("{baseline}", enc(r.baseline())).replace("{stage}", enc(r.stage()))
        .replace("{from}", enc(r.from())).replace("{to}", enc(r.to()));
  }

  private static String enc(String s) {
    return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private JsonNode get(HttpSpec spec, String url) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET()
        .header("Accept", "application/json");
    if (spec.authHeader() != null) {
      String value = env.apply(spec.authFromEnv());
      if (value == null || value.isBlank()) {
        throw ApplicationFailure.newNonRetryableFailure("the worker has no environment variable "
            + spec.authFromEnv() + " for the " + spec.authHeader() + " header of " + url + "; set it where the worker"
            + " runs", REJECTED);
      }
      req.header(spec.authHeader(), value);
    }
    HttpResponse<String> response;
    try {
      response = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw HttpTargets.unreachable("the evaluation service at " + url, e, UNAVAILABLE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HttpTargets.unreachable("the evaluation service at " + url, e, UNAVAILABLE);
    }
    if (response.statusCode() / 100 != 2) {
      throw HttpTargets.classify("the evaluation service at " + url, response, REJECTED, UNAVAILABLE);
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure("the evaluation service at " + url + " answered no JSON: "
          + e.getMessage(), REJECTED);
    }
  }

  private static Arm arm(JsonNode body, String what, ArmPaths paths, String url) {
    Arm arm = counted(body, what, paths, url);
    if (paths.units() == null) {
      return arm;
    }
    String at = paths.units().replaceAll("\\.+$", "");
    double units = number(body, what + ".units", at + ".units", url);
    if (units < 1 || units != Math.rint(units)) {
      throw ApplicationFailure.newNonRetryableFailure(what + ".units: " + units + " is not a number of units in the"
          + " answer of " + url, NO_DATA);
    }
    if (paths.buckets() != null) { // a quantile's units come by bucket bound
      return arm.withUnitBuckets((long) units, sums(body, what + ".unitBucketsSq", at + ".unitBucketsSq", url),
          sums(body, what + ".unitBucketsTrials", at + ".unitBucketsTrials", url));
    }
    return arm.withUnits((long) units, number(body, what + ".unitEventsSq", at + ".unitEventsSq", url),
        number(body, what + ".unitTrialsSq", at + ".unitTrialsSq", url),
        number(body, what + ".unitEventsTrials", at + ".unitEventsTrials", url));
  }

  private static Arm counted(JsonNode body, String what, ArmPaths paths, String url) {
    if (paths.buckets() != null) {
      return Arm.buckets(buckets(body, what + ".buckets", paths.buckets(), url));
    }
    if (paths.n() != null) {
      double n = number(body, what + ".n", paths.n(), url);
      if (n < 0 || n != Math.rint(n)) {
        throw ApplicationFailure.newNonRetryableFailure(what + ".n: " + n + " is not a number of observations in the"
            + " answer of " + url, NO_DATA);
      }
      if (paths.sum() != null) {
        return new Arm(null, null, null, (long) n, null, number(body, what + ".sum", paths.sum(), url),
            number(body, what + ".sumSquares", paths.sumSquares(), url), null);
      }
      return Arm.mean(number(body, what + ".value", paths.value(), url), (long) n,
          number(body, what + ".sd", paths.sd(), url));
    }
    if (paths.value() != null) {
      return Arm.value(number(body, what + ".value", paths.value(), url));
    }
    double events = number(body, what + ".events", paths.events(), url);
    double trials = number(body, what + ".trials", paths.trials(), url);
    if (events < 0 || trials < 0 || events > trials || events != Math.rint(events) || trials != Math.rint(trials)) {
      throw ApplicationFailure.newNonRetryableFailure(what + ": " + events + " events of " + trials + " trials is"
          + " not a count (whole numbers, events no more than trials) in the answer of " + url, NO_DATA);
    }
    return Arm.counts((long) events, (long) trials);
  }

  /** The object at {@code path}: cumulative counts by upper bound; checked as a pushed window's are. */
  private static Map<String, Long> buckets(JsonNode body, String what, String path, String url) {
    JsonNode v = read(body, what, path);
    if (v == null || !v.isObject()) {
      throw ApplicationFailure.newNonRetryableFailure("no histogram for " + what + " at " + path + " in the answer of "
          + url + ": expected an object like {\"250\": 180, \"+Inf\": 200}", NO_DATA);
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (var it = v.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getValue().canConvertToLong() || e.getValue().asLong() < 0) {
        throw ApplicationFailure.newNonRetryableFailure(what + ": bucket " + e.getKey() + " of " + url + " is not a"
            + " whole count (found " + e.getValue() + ")", NO_DATA);
      }
      out.put(e.getKey(), e.getValue().asLong());
    }
    return out;
  }

  /** The object at {@code path}: a quantile's sums over units by bucket bound (checked as a pushed window's are). */
  private static Map<String, Double> sums(JsonNode body, String what, String path, String url) {
    JsonNode v = read(body, what, path);
    if (v == null || !v.isObject()) {
      throw ApplicationFailure.newNonRetryableFailure("no sums by bucket bound for " + what + " at " + path + " in the"
          + " answer of " + url + ": expected an object like {\"250\": 1800.0, \"+Inf\": 2000.0}", NO_DATA);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (var it = v.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getValue().isNumber() || !Double.isFinite(e.getValue().asDouble())) {
        throw ApplicationFailure.newNonRetryableFailure(what + ": bound " + e.getKey() + " of " + url + " is not a"
            + " number (found " + e.getValue() + ")", NO_DATA);
      }
      out.put(e.getKey(), e.getValue().asDouble());
    }
    return out;
  }

  private static JsonNode read(JsonNode body, String what, String path) {
    try {
      return JsonPath.using(PATHS).parse(body).read(path);
    } catch (InvalidPathException e) {
      throw ApplicationFailure.newNonRetryableFailure(what + ": '" + path + "' is not a JSONPath: " + e.getMessage(),
          REJECTED);
    }
  }

  private static double number(JsonNode body, String what, String path, String url) {
    JsonNode v;
    try {
      v = JsonPath.using(PATHS).parse(body).read(path);
    } catch (InvalidPathException e) {
      throw ApplicationFailure.newNonRetryableFailure(what + ": '" + path + "' is not a JSONPath: " + e.getMessage(),
          REJECTED);
    }
    if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw ApplicationFailure.newNonRetryableFailure("no number for " + what + " at " + path + " in the answer of "
          + url + (v == null || v.isMissingNode() ? " (nothing there)" : " (found " + v + ")"), NO_DATA);
    }
    return v.asDouble();
  }
}
