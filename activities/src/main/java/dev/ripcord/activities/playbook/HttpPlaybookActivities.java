package dev.ripcord.activities.playbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.activities.http.HttpTargets;
import dev.ripcord.workflows.activity.PlaybookActivities;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The evidence store and the data service over HTTP: each request is a JSON POST carrying the step's idempotency
 * key (header {@code Idempotency-Key}), so a retried step is stored or applied once. The evidence store answers
 * {@code {"reference": ...}} (or a Location header); the data service must answer {@code {"confirmation": ...}}: a
 * data rule without a confirmation is not done.
 */
public class HttpPlaybookActivities implements PlaybookActivities {
  public static final String UNAVAILABLE = "PlaybookTargetUnavailable";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final Duration timeout;

  public HttpPlaybookActivities(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  @Override
  public Receipt snapshotEvidence(EvidenceSnapshot snapshot) {
    HttpResponse<String> r = post("the evidence store at " + snapshot.url(), snapshot.url(), snapshot,
        snapshot.idempotencyKey());
    String reference = field(r, "reference");
    if (reference == null) {
      reference = r.headers().firstValue("Location").orElse(snapshot.url() + "#" + snapshot.idempotencyKey());
    }
    return new Receipt(reference);
  }

  @Override
  public Receipt applyDataRule(DataRule rule) {
    HttpResponse<String> r = post("the data service at " + rule.url(), rule.url(), rule, rule.idempotencyKey());
    String confirmation = field(r, "confirmation");
    if (confirmation == null || confirmation.isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure("the data service at " + rule.url() + " answered "
          + r.statusCode() + " without a confirmation; it must answer {\"confirmation\": \"...\"}", REJECTED);
    }
    return new Receipt(confirmation);
  }

  private HttpResponse<String> post(String what, String url, Object body, String key) {
    HttpResponse<String> r;
    try {
      r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
              .header("Content-Type", "application/json").header("Idempotency-Key", key)
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw HttpTargets.unreachable(what, e, UNAVAILABLE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HttpTargets.unreachable(what, e, UNAVAILABLE);
    }
    if (r.statusCode() / 100 != 2) {
      throw HttpTargets.classify(what, r, REJECTED, UNAVAILABLE);
    }
    return r;
  }

  private static String field(HttpResponse<String> r, String name) {
    try {
      JsonNode n = JSON.readTree(r.body() == null || r.body().isBlank() ? "{}" : r.body()).get(name);
      return n == null || n.isNull() ? null : n.asText();
    } catch (IOException e) {
      return null;
    }
  }
}
