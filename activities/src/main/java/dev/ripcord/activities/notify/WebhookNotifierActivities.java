package dev.ripcord.activities.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ripcord.activities.http.HttpTargets;
import dev.ripcord.workflows.activity.NotifierActivities;
import dev.ripcord.workflows.policy.NotificationSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts {@code {"text": ..., "channel": ...}} to a Slack-compatible incoming webhook. The text is the policy's
 * template for the event with {@code {placeholders}} filled from the release's facts; without a webhook the message
 * is logged only.
 */
public class WebhookNotifierActivities implements NotifierActivities {
  public static final String REJECTED = "NotifierRejected";
  public static final String UNAVAILABLE = "NotifierUnavailable";
  private static final Logger log = LoggerFactory.getLogger(WebhookNotifierActivities.class);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;

  public WebhookNotifierActivities() {
    this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build());
  }

  public WebhookNotifierActivities(HttpClient http) {
    this.http = http;
  }

  @Override
  public NotificationReceipt notify(Notification n) {
    NotificationSpec spec = n.spec();
    String template = spec == null || spec.templates() == null ? null : spec.templates().get(n.event());
    String rendered = template == null ? n.fallback() : render(template, n.facts());
    String page = n.facts() == null ? null : n.facts().get("page");
    // Every message links the release's page when the release knows where it is (a template may place it itself).
    String text = page == null || rendered.contains(page) ? rendered : rendered + " · " + page;
    if (spec == null || spec.webhook() == null) {
      log.info("[{}] {}", n.event(), text);
      return new NotificationReceipt(false, null, text);
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("text", text);
    if (spec.channel() != null) {
      body.put("channel", spec.channel());
    }
    body.put("event", n.event());
    body.put("release", n.releaseId());
    HttpRequest request = HttpRequest.newBuilder(URI.create(spec.webhook()))
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", n.idempotencyKey())
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw HttpTargets.unreachable("notification webhook " + spec.webhook(), e, UNAVAILABLE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HttpTargets.unreachable("notification webhook " + spec.webhook(), e, UNAVAILABLE);
    }
    if (response.statusCode() / 100 != 2) {
      throw HttpTargets.classify("notification webhook " + spec.webhook(), response, REJECTED, UNAVAILABLE);
    }
    String target = spec.channel() == null ? spec.webhook() : spec.channel();
    return new NotificationReceipt(true, target, text);
  }

  /** Fills {@code {name}} from {@code facts}; unknown names stay as written so a typo is visible in the message. */
  public static String render(String template, Map<String, String> facts) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String v = facts.get(m.group(1));
      m.appendReplacement(b, Matcher.quoteReplacement(v == null ? m.group() : v));
    }
    m.appendTail(b);
    return b.toString();
  }
}
