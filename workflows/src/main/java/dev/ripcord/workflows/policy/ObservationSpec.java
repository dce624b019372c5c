package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Where observations come from. {@code pushed}: counts arrive through the {@code observe} signal
 * ({@code ripcord observe}); {@code scripted}: a scenario registered with the worker (demos, drills, tests);
 * {@code prometheus}: PromQL queries evaluated at the end of every window. Whatever the source, {@code alerts} maps
 * alerts pushed by Alertmanager (through the worker's ingress) to the action each one triggers. A source of a team's
 * own ({@code x-<name>}, one bean in the worker, like a router) reads its {@code settings}, which only it interprets.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObservationSpec(String source, String scenario, PrometheusSpec prometheus, List<AlertRule> alerts,
    HttpSpec http, Map<String, Object> settings) {

  public ObservationSpec(String source, String scenario, PrometheusSpec prometheus, List<AlertRule> alerts,
      HttpSpec http) {
    this(source, scenario, prometheus, alerts, http, null);
  }

  public ObservationSpec(String source, String scenario) {
    this(source, scenario, null, null, null);
  }

  public ObservationSpec(String source, String scenario, PrometheusSpec prometheus, List<AlertRule> alerts) {
    this(source, scenario, prometheus, alerts, null);
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

  /**
   * A signal's PromQL: {@code events} and {@code trials} for rates, {@code value} otherwise; or a {@code preset} of
   * {@link GenAiPresets} (OpenTelemetry GenAI metrics) with the label that carries the version ({@code by: request},
   * the default, for {@code gen_ai.request.model}; {@code response} for {@code gen_ai.response.model}). A
   * {@code paired} signal has {@code candidateWorse}, {@code baselineWorse} and {@code concordant} instead: each
   * counts the window's same-prompt pairs of that outcome, and may use {@code {candidate}} and {@code {baseline}}.
   * A mean or ratio to be tested reads its sample instead of a value: {@code count}, {@code sum} and
   * {@code sumSquares} (or {@code variance}) of the window's observations; a quantile to be tested reads its
   * histogram: {@code buckets}, one series per {@code le} label (e.g.
   * {@code sum by (le) (increase(latency_seconds_bucket{version="{version}"}[{window}]))}), and {@code scale}
   * multiplies each upper bound into the signal's unit ({@code 1000} reads a histogram in seconds as milliseconds).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SignalQuery(String events, String trials, String value, String preset, String by,
      String candidateWorse, String baselineWorse, String concordant, String count, String sum, String sumSquares,
      String variance, String buckets, Double scale) {
    public SignalQuery(String events, String trials, String value, String preset, String by, String candidateWorse,
        String baselineWorse, String concordant, String count, String sum, String sumSquares, String variance,
        String buckets) {
      this(events, trials, value, preset, by, candidateWorse, baselineWorse, concordant, count, sum, sumSquares,
          variance, buckets, null);
    }

    public SignalQuery(String events, String trials, String value, String preset, String by, String candidateWorse,
        String baselineWorse, String concordant) {
      this(events, trials, value, preset, by, candidateWorse, baselineWorse, concordant, null, null, null, null, null);
    }

    /** A mean's sample: the window's count, sum and sum of squares. */
    public static SignalQuery sample(String count, String sum, String sumSquares) {
      return new SignalQuery(null, null, null, null, null, null, null, null, count, sum, sumSquares, null, null);
    }

    /** A quantile's histogram: one series per {@code le}. */
    public static SignalQuery histogram(String buckets) {
      return new SignalQuery(null, null, null, null, null, null, null, null, null, null, null, null, buckets);
    }

    /** Whether this reads a mean's sample (count, sum, and sum of squares or variance). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean readsSample() {
      return count != null || sum != null || sumSquares != null || variance != null;
    }

    public SignalQuery(String events, String trials, String value) {
      this(events, trials, value, null, null);
    }

    public SignalQuery(String events, String trials, String value, String preset, String by) {
      this(events, trials, value, preset, by, null, null, null);
    }

    /** The three queries of a paired signal. */
    public static SignalQuery paired(String candidateWorse, String baselineWorse, String concordant) {
      return new SignalQuery(null, null, null, null, null, candidateWorse, baselineWorse, concordant);
    }

    /** Whether this reads a paired signal's pair counts. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean readsPairs() {
      return candidateWorse != null || baselineWorse != null || concordant != null;
    }
  }

  /**
   * An evaluation service that publishes each window's numbers as JSON over HTTP: one GET per window, then a
   * JSONPath per signal and arm picks the numbers out of the answer.
   *
   * @param url where to GET; may use {@code {model}}, {@code {candidate}}, {@code {baseline}}, {@code {stage}},
   *     {@code {from}} and {@code {to}} (the window's ISO instants, URL-encoded)
   * @param authHeader a header to send, e.g. {@code Authorization}; its value comes from the worker's environment
   *     variable {@code authFromEnv}, never from the policy (which is kept in the release's history)
   * @param signals per signal: the paths for the candidate and for the baseline
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HttpSpec(String url, String authHeader, String authFromEnv, Map<String, SignalPaths> signals) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SignalPaths(ArmPaths candidate, ArmPaths baseline) {}

  /**
   * JSONPath expressions, e.g. {@code $.candidate.hallucinations}: {@code events} and {@code trials}, or
   * {@code value}; for a mean to be tested its sample, {@code n} with {@code sd} (and {@code value}) or with
   * {@code sum} and {@code sumSquares}; for a quantile to be tested {@code buckets}, the path of an object of
   * cumulative counts by upper bound ({@code {"250": 180, "+Inf": 200}}); for a signal with a {@code unit},
   * {@code units}, the path of an object holding the arm's unit statistics since the stage began
   * ({@code {"units": 3100, "unitEventsSq": 1960, "unitTrialsSq": 1.1e6, "unitEventsTrials": 14200}}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ArmPaths(String events, String trials, String value, String n, String sd, String sum,
      String sumSquares, String buckets, String units) {
    public ArmPaths(String events, String trials, String value, String n, String sd, String sum, String sumSquares,
        String buckets) {
      this(events, trials, value, n, sd, sum, sumSquares, buckets, null);
    }

    public ArmPaths(String events, String trials, String value) {
      this(events, trials, value, null, null, null, null, null);
    }
  }

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
