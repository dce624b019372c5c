package dev.ripcord.workflows.intake;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One alert as the {@code alert} signal carries it.
 *
 * @param status {@code firing} or {@code resolved}
 */
public record PushedAlert(String alertname, String status, String summary, String fingerprint, String startsAt) {

  /** The alert, or the problem with the payload ({@code alert} is null then). */
  public record Parsed(PushedAlert alert, String problem) {
    public boolean ok() {
      return alert != null;
    }
  }

  public static Parsed parse(JsonNode p) {
    if (p == null || !p.isObject()) {
      return new Parsed(null, "the payload must be a JSON object such as "
          + "{\"alertname\": \"ModelSafetySpike\", \"status\": \"firing\"}");
    }
    String name = text(p, "alertname");
    if (name == null || name.isBlank()) {
      return new Parsed(null, "alertname is required (the alert's alertname label)");
    }
    String status = text(p, "status");
    if (!"firing".equals(status) && !"resolved".equals(status)) {
      return new Parsed(null, "status must be \"firing\" or \"resolved\", not " + p.get("status"));
    }
    return new Parsed(new PushedAlert(name, status, text(p, "summary"), text(p, "fingerprint"), text(p, "startsAt")),
        null);
  }

  private static String text(JsonNode p, String field) {
    JsonNode v = p.get(field);
    return v == null || !v.isValueNode() || v.isNull() ? null : v.asText();
  }

  public String describe() {
    return "alert " + alertname + (summary == null || summary.isBlank() ? "" : " (" + summary + ")");
  }
}
