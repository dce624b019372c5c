package dev.ripcord.activities.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ripcord.activities.http.HttpTargets;
import dev.ripcord.workflows.activity.RouterActivities;
import dev.ripcord.workflows.activity.RouterFailures;
import dev.ripcord.workflows.policy.RouterSpec;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives an HTTP gateway: {@code PUT <url>/routes/<route>} with the absolute weights of candidate and baseline and an
 * {@code Idempotency-Key} header (and, with {@code router.stickiness}, {@code "stickiness": {"header": ...}} or
 * {@code {"cookie": ...}}: keep each user on one version); {@code GET <url>/routes/<route>} to read them back. The
 * gateway answers {@code {"applied": false}} when it has already applied that key.
 */
public class HttpRouterActivities implements TrafficRouter {
  private static final Logger log = LoggerFactory.getLogger(HttpRouterActivities.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final Duration timeout;

  public HttpRouterActivities() {
    this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), Duration.ofSeconds(10));
  }

  public HttpRouterActivities(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  @Override
  public String type() {
    return "http";
  }

  @Override
  public WeightChange setWeight(WeightCommand c) {
    ObjectNode body = JSON.createObjectNode();
    body.put("candidate", c.candidate());
    body.put("baseline", c.baseline());
    ObjectNode weights = body.putObject("weights");
    weights.put(c.candidate(), c.to());
    weights.put(c.baseline(), 100 - c.to());
    body.put("release", c.releaseId());
    body.put("reason", c.reason());
    if (c.mirror() != null) {
      body.put("mirror", c.mirror()); // router.mirror: copy every request to the candidate (a shadow stage), or stop
    }
    if (c.router().stickiness() != null) {
      // router.stickiness: hash on this header or cookie, so a user stays on one version while the weights stand
      body.set("stickiness", JSON.valueToTree(c.router().stickiness()));
    }
    if (c.bundles() != null) {
      // release.bundle: the whole of what each side serves, so a rollback restores the baseline's bundle, not weights
      ObjectNode bundles = body.putObject("bundles");
      bundles.put(c.candidate(), c.bundles().candidate());
      if (c.bundles().baseline() != null) {
        bundles.put(c.baseline(), c.bundles().baseline());
      }
    }
    HttpRequest.Builder put = HttpRequest.newBuilder(routeUri(c.router()))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", c.idempotencyKey())
        .PUT(HttpRequest.BodyPublishers.ofString(body.toString()));
    // The release's trace (the activity's span, when the worker traces) goes on to the router: W3C traceparent.
    W3CTraceContextPropagator.getInstance().inject(Context.current(), put, HttpRequest.Builder::header);
    HttpRequest request = put.build();
    HttpResponse<String> response = send(request, c.router());
    boolean applied = true;
    try {
      JsonNode answer = response.body() == null || response.body().isBlank() ? null : JSON.readTree(response.body());
      if (answer != null && answer.has("applied")) {
        applied = answer.get("applied").asBoolean(true);
      }
    } catch (IOException e) {
      log.debug("router answer is not JSON, taking it as applied: {}", response.body());
    }
    log.info("{}: candidate {} {} -> {} % (key {}, {})", c.releaseId(), c.candidate(), c.from(), c.to(),
        c.idempotencyKey(), applied ? "applied" : "already applied");
    return new WeightChange(c.from(), c.to(), c.idempotencyKey(), applied, c.reason());
  }

  @Override
  public int readWeight(RouterSpec router, String candidate) {
    HttpRequest request = HttpRequest.newBuilder(routeUri(router)).timeout(timeout).GET().build();
    HttpResponse<String> response = send(request, router);
    try {
      JsonNode w = JSON.readTree(response.body()).path("weights").path(candidate);
      if (w.isMissingNode() || w.isNull()) {
        return 0; // a route that does not mention the candidate sends it nothing
      }
      if (!w.canConvertToInt()) {
        throw ApplicationFailure.newNonRetryableFailure("router " + routeUri(router) + " reported a non-numeric weight "
            + w + " for " + candidate, RouterFailures.REJECTED);
      }
      return w.asInt();
    } catch (IOException e) {
      throw ApplicationFailure.newFailure("router " + routeUri(router) + " answered with something that is not JSON: "
          + e.getMessage(), RouterFailures.UNAVAILABLE);
    }
  }

  private HttpResponse<String> send(HttpRequest request, RouterSpec router) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw HttpTargets.unreachable("router " + routeUri(router), e, RouterFailures.UNAVAILABLE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HttpTargets.unreachable("router " + routeUri(router), e, RouterFailures.UNAVAILABLE);
    }
    if (response.statusCode() / 100 != 2) {
      throw HttpTargets.classify(request.method() + " " + request.uri(), response, RouterFailures.REJECTED,
          RouterFailures.UNAVAILABLE);
    }
    return response;
  }

  /**
   * {@code <url>/routes/<route>}, the route encoded as one path segment: a route such as {@code ../admin?x=1} (refused
   * by the policy validator too) can never reach another path or add a query.
   */
  static URI routeUri(RouterSpec router) {
    String route = router.route();
    if (route == null || route.isEmpty() || route.equals(".") || route.equals("..")) {
      throw ApplicationFailure.newNonRetryableFailure("router.route '" + route + "' is not a route name; use letters,"
          + " digits, '.', '_', '~' and '-'", RouterFailures.REJECTED);
    }
    String base = router.url().endsWith("/") ? router.url().substring(0, router.url().length() - 1) : router.url();
    String segment = java.net.URLEncoder.encode(route, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    return URI.create(base + "/routes/" + segment);
  }
}
