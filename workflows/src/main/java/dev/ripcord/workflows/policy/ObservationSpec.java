package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Where observations come from. {@code pushed}: counts arrive through the {@code observe} signal
 * ({@code ripcord observe}); {@code scripted}: a scenario registered with the worker (demos, drills, tests);
 * {@code prometheus}: PromQL queries evaluated at the end of every window. Whatever the source, {@code alerts} maps
 * alerts pushed by Alertmanager (through the worker's ingress) to the action each one triggers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObservationSpec(String source, String scenario, PrometheusSpec prometheus, List<AlertRule> alerts) {

  public ObservationSpec(String source, String scenario) {
    this(source, scenario, null, null);
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public Source sourceType() {
    return Source.of(source);
  }

  /** Whether observations are pushed with the {@code observe} signal (nothing is read). */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isPushed() {
    return sourceType() == Source.PUSHED;
  }

  /** The rule for an alert name, or null when the policy has none. */
  public AlertRule alert(String alertname) {
    if (alerts != null) {
      for (AlertRule r : alerts) {
        if (r != null && alertname.equals(r.alertname())) {
          return r;
        }
      }
    }
    return null;
  }

  /**
   * A Prometheus server and one query per signal. Queries may use {@code {version}} (the candidate's or the
   * baseline's version), {@code {window}} (the window's length, e.g. {@code 60s}) and {@code {model}}.
   *
   * @param url the server's base URL, e.g. {@code http://prometheus:9090}
   * @param queries per signal: {@code events} and {@code trials} for rates, {@code value} for the other kinds
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PrometheusSpec(String url, Map<String, SignalQuery> queries) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SignalQuery(String events, String trials, String value) {}

  /**
   * What an alert does to the release while it fires.
   *
   * @param alertname the alert's {@code alertname} label
   * @param action rollback, rollback-after-approval, pause-and-investigate or alert-only
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AlertRule(String alertname, String action, String description) {
    @com.fasterxml.jackson.annotation.JsonIgnore
    public Action actionType() {
      return Action.of(action);
    }
  }
}
