package dev.ripcord.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Alertmanager's webhook receiver ({@code POST /ingress/alertmanager}): each alert in the notification goes to the
 * release its {@code ripcord_release} label names, as an {@code alert} signal. The release decides what the alert
 * means (its policy's {@code observations.alerts}) and audits it, including when it refuses it.
 *
 * <p>Answers 200 once every alert is delivered or can never be (no release label, no such release): Alertmanager
 * would only resend those. Answers 503 when Temporal could not take a signal, so Alertmanager retries.
 */
@RestController
public class AlertIngress {
  private static final Logger log = LoggerFactory.getLogger(AlertIngress.class);
  private final WorkflowClient client;
  private final RipcordProperties.Ingress config;
  private final MeterRegistry meters;
  private static final int MAX_LABEL = 200;
  private final ObjectMapper json = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  public AlertIngress(WorkflowClient client, RipcordProperties props, MeterRegistry meters) {
    this.client = client;
    this.config = props.ingress();
    this.meters = meters;
    if (!config.hasToken()) {
      log.warn(config.allowUnauthenticated()
          ? "Alertmanager ingress takes alerts WITHOUT a token (ripcord.ingress.allow-unauthenticated=true): anyone"
              + " who reaches this port can trigger rollbacks"
          : "Alertmanager ingress refuses every request: set ripcord.ingress.token (and the same bearer token in"
              + " Alertmanager's receiver), or ripcord.ingress.allow-unauthenticated=true");
    }
  }

  @PostMapping(path = "/ingress/alertmanager", produces = "application/json")
  public ResponseEntity<JsonNode> alertmanager(java.io.InputStream request,
      @RequestHeader(name = "Authorization", required = false) String authorization,
      @RequestHeader(name = "Content-Type", required = false) String contentType) throws java.io.IOException {
    if (!config.hasToken() && !config.allowUnauthenticated()) {
      meters.counter("ripcord_ingress_alerts", "outcome", "disabled").increment();
      return ResponseEntity.status(HttpStatus.FORBIDDEN).body(error("the ingress takes no alerts until the worker"
          + " has ripcord.ingress.token (the bearer token Alertmanager sends), or"
          + " ripcord.ingress.allow-unauthenticated=true where only Alertmanager can reach it"));
    }
    if (config.hasToken() && !config.acceptsBearer(authorization)) {
      meters.counter("ripcord_ingress_alerts", "outcome", "unauthorised").increment();
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(error("missing or wrong bearer token: set "
          + "http_config.authorization.credentials in the Alertmanager receiver to ripcord.ingress.token"));
    }
    if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).body(error("send application/json"
          + " (Alertmanager's webhook notification)"));
    }
    long limit = config.maxRequestSize().toBytes();
    byte[] bytes = request.readNBytes((int) Math.min(Integer.MAX_VALUE - 1, limit + 1));
    if (bytes.length > limit) {
      meters.counter("ripcord_ingress_alerts", "outcome", "too-large").increment();
      return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(error("notification larger than "
          + limit + " bytes (ripcord.ingress.max-request-size); lower group_by/max_alerts in the Alertmanager route"));
    }
    JsonNode notification;
    try {
      notification = json.readTree(bytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return ResponseEntity.badRequest().body(error("not JSON (or a key given twice): "
          + String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("")));
    }
    JsonNode alerts = notification == null ? null : notification.path("alerts");
    if (alerts == null || !alerts.isArray()) {
      return ResponseEntity.badRequest().body(error("not an Alertmanager webhook notification: 'alerts' must be an"
          + " array (configure a webhook_configs receiver with url http://<worker>/ingress/alertmanager)"));
    }
    List<JsonNode> results = new ArrayList<>();
    boolean retry = false;
    for (JsonNode a : alerts) {
      Map<String, Object> r = new LinkedHashMap<>();
      String alertname = a.path("labels").path("alertname").asText(null);
      String release = a.path("labels").path(config.releaseLabel()).asText(null);
      r.put("alertname", cap(alertname));
      r.put("release", cap(release));
      String outcome;
      if (release == null || release.isBlank()) {
        outcome = "unrouted: no '" + config.releaseLabel() + "' label";
      } else {
        try {
          client.newUntypedWorkflowStub(release).signal("alert", payload(a, alertname));
          outcome = "signalled";
        } catch (WorkflowNotFoundException e) {
          outcome = "no running release with this id";
        } catch (StatusRuntimeException | io.temporal.client.WorkflowServiceException e) {
          if (isNotFound(e)) {
            outcome = "no running release with this id";
          } else {
            outcome = "Temporal unavailable: " + e.getMessage();
            retry = true;
          }
        }
      }
      r.put("outcome", outcome);
      meters.counter("ripcord_ingress_alerts", "outcome", outcome.split(":")[0]).increment();
      if (!outcome.equals("signalled")) {
        log.warn("alert {} for release {}: {}", cap(alertname), cap(release), outcome);
      }
      results.add(json.valueToTree(r));
    }
    ObjectNode body = json.createObjectNode();
    body.set("alerts", json.valueToTree(results));
    return ResponseEntity.status(retry ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK).body(body);
  }

  private ObjectNode payload(JsonNode a, String alertname) {
    ObjectNode p = json.createObjectNode();
    p.put("alertname", alertname);
    p.put("status", a.path("status").asText("firing"));
    String summary = a.path("annotations").path("summary").asText(null);
    if (summary != null) {
      p.put("summary", summary);
    }
    if (a.hasNonNull("fingerprint")) {
      p.put("fingerprint", a.get("fingerprint").asText());
    }
    if (a.hasNonNull("startsAt")) {
      p.put("startsAt", a.get("startsAt").asText());
    }
    return p;
  }

  private static String cap(String s) {
    return s == null || s.length() <= MAX_LABEL ? s : s.substring(0, MAX_LABEL) + "…";
  }

  private static boolean isNotFound(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return true;
      }
      if (t instanceof WorkflowNotFoundException) {
        return true;
      }
    }
    return false;
  }

  private ObjectNode error(String message) {
    return json.createObjectNode().put("error", message);
  }
}
