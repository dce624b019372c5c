package dev.ripcord.workflows.policy;

import dev.ripcord.workflows.policy.ObservationSpec.SignalQuery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PromQL for the OpenTelemetry GenAI semantic conventions as an OpenTelemetry Prometheus exporter writes them
 * ({@code gen_ai.client.operation.duration} → {@code gen_ai_client_operation_duration_seconds_bucket|_sum|_count},
 * attributes as labels: {@code gen_ai.request.model} → {@code gen_ai_request_model}), so a policy reads latency, time
 * to first token, token usage and errors per version without hand-written queries. The version is matched on the
 * request's model (default) or the response's. {@code genai.latency} and {@code genai.ttft} read the histograms
 * themselves (in ms), for quantile criteria that test the candidate against the baseline; the {@code .pNN} presets
 * read one interpolated quantile per window, a threshold. Pure.
 */
public final class GenAiPresets {
  /**
   * A preset: whether it reads a rate (events, trials), one value, or a histogram ({@code buckets} by {@code le},
   * each bound times {@code scale}), and its PromQL with {@code LABEL}.
   */
  public record Preset(boolean rate, String events, String trials, String value, String buckets, Double scale,
      String describe) {
    Preset(boolean rate, String events, String trials, String value, String describe) {
      this(rate, events, trials, value, null, null, describe);
    }

    /** Whether it reads a histogram (for {@code quantile} criteria). */
    public boolean histogram() {
      return buckets != null;
    }
  }

  private static final String DURATION = "gen_ai_client_operation_duration_seconds";
  private static final String TTFT = "gen_ai_server_time_to_first_token_seconds";
  private static final String TOKENS = "gen_ai_client_token_usage";
  public static final List<String> BY = List.of("request", "response");
  public static final Map<String, Preset> PRESETS = presets();

  private GenAiPresets() {}

  private static Map<String, Preset> presets() {
    Map<String, Preset> m = new LinkedHashMap<>();
    // Histograms first: a quantile criterion tests them (quantile: 0.99 with test or confidence).
    m.put("genai.latency", histogram(DURATION, "operation duration"));
    m.put("genai.ttft", histogram(TTFT, "time to first token"));
    for (String q : List.of("50", "90", "95", "99")) {
      m.put("genai.latency.p" + q, quantile(DURATION, q, "operation duration"));
    }
    for (String q : List.of("50", "95", "99")) {
      m.put("genai.ttft.p" + q, quantile(TTFT, q, "time to first token"));
    }
    for (String type : List.of("input", "output")) {
      String sel = "{LABEL=\"{version}\",gen_ai_token_type=\"" + type + "\"}";
      m.put("genai.tokens." + type + ".mean", new Preset(false, null, null, "sum(rate(" + TOKENS + "_sum" + sel
          + "[{window}])) / sum(rate(" + TOKENS + "_count" + sel + "[{window}]))", "mean " + type + " tokens per"
          + " operation"));
    }
    // No error series in a window means no errors, not no data: "or vector(0)".
    m.put("genai.errors", new Preset(true, "(sum(increase(" + DURATION + "_count{LABEL=\"{version}\",error_type!=\"\"}"
        + "[{window}])) or vector(0))", "sum(increase(" + DURATION + "_count{LABEL=\"{version}\"}[{window}]))", null,
        "operations that ended in an error (error.type set) among all"));
    return java.util.Collections.unmodifiableMap(m);
  }

  private static Preset histogram(String histogram, String what) {
    return new Preset(false, null, null, null, "sum by (le) (increase(" + histogram + "_bucket{LABEL=\"{version}\"}"
        + "[{window}]))", 1000.0, what + " histogram in ms (cumulative counts by upper bound)");
  }

  private static Preset quantile(String histogram, String q, String what) {
    return new Preset(false, null, null, "1000 * histogram_quantile(0." + q + ", sum by (le) (rate(" + histogram
        + "_bucket{LABEL=\"{version}\"}[{window}])))", "p" + q + " " + what + " in ms");
  }

  /** The label that carries the version for {@code by} (request, the default, or response). */
  public static String label(String by) {
    return "response".equals(by) ? "gen_ai_response_model" : "gen_ai_request_model";
  }

  /** {@code q} with its preset's PromQL filled in; {@code q} itself when it names no preset. */
  public static SignalQuery expand(SignalQuery q) {
    if (q == null || q.preset() == null) {
      return q;
    }
    Preset p = PRESETS.get(q.preset());
    if (p == null) {
      throw new IllegalArgumentException("unknown GenAI preset '" + q.preset() + "'; use one of " + PRESETS.keySet());
    }
    String label = label(q.by());
    return new SignalQuery(fill(p.events(), label), fill(p.trials(), label), fill(p.value(), label), q.preset(),
        q.by(), null, null, null, null, null, null, null, fill(p.buckets(), label), p.scale());
  }

  private static String fill(String template, String label) {
    return template == null ? null : template.replace("LABEL", label);
  }
}
