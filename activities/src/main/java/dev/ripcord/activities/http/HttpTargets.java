package dev.ripcord.activities.http;

import io.temporal.failure.ApplicationFailure;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * How an outside HTTP target's answer becomes a Temporal failure: 4xx (but 429) is the caller's mistake and is not
 * retried; 429 and 5xx are retried, honouring Retry-After as the next retry delay.
 */
public final class HttpTargets {
  private HttpTargets() {}

  public static ApplicationFailure classify(String what, HttpResponse<String> response, String rejectedType,
      String unavailableType) {
    int code = response.statusCode();
    String body = abbreviate(response.body());
    String message = what + " answered HTTP " + code + (body.isEmpty() ? "" : ": " + body);
    if (code >= 400 && code < 500 && code != 429) {
      return ApplicationFailure.newNonRetryableFailure(message + " (fix the target's configuration or the policy)",
          rejectedType);
    }
    Optional<Duration> retryAfter = response.headers().firstValue("Retry-After").flatMap(HttpTargets::seconds);
    return retryAfter
        .map(d -> ApplicationFailure.newFailureWithCauseAndDelay(message, unavailableType, null, d))
        .orElseGet(() -> ApplicationFailure.newFailure(message, unavailableType));
  }

  public static ApplicationFailure unreachable(String what, Exception e, String unavailableType) {
    String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return ApplicationFailure.newFailureWithCause(what + " is unreachable: " + cause, unavailableType, e);
  }

  private static Optional<Duration> seconds(String header) {
    try {
      long s = Long.parseLong(header.trim());
      return s >= 0 ? Optional.of(Duration.ofSeconds(Math.min(s, 300))) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty(); // an HTTP date: fall back to the policy's backoff
    }
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    String t = s.strip();
    return t.length() <= 200 ? t : t.substring(0, 197) + "...";
  }
}
