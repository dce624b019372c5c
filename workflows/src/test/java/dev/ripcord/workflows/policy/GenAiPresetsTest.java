package dev.ripcord.workflows.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.policy.ObservationSpec.SignalQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OpenTelemetry GenAI presets: the PromQL they stand for, and how the validator checks them. */
class GenAiPresetsTest {

  @Test
  void aLatencyPresetIsAQuantileOfTheOperationDurationHistogramInMilliseconds() {
    SignalQuery q = GenAiPresets.expand(new SignalQuery(null, null, null, "genai.latency.p99", null));
    assertEquals("1000 * histogram_quantile(0.99, sum by (le) (rate(gen_ai_client_operation_duration_seconds_bucket"
        + "{gen_ai_request_model=\"{version}\"}[{window}])))", q.value());
    assertNull(q.events());
    SignalQuery byResponse = GenAiPresets.expand(new SignalQuery(null, null, null, "genai.ttft.p95", "response"));
    assertTrue(byResponse.value().contains("gen_ai_server_time_to_first_token_seconds_bucket{gen_ai_response_model="),
        byResponse.value());
  }

  @Test
  void theHistogramPresetsReadEachVersionsBucketsInMilliseconds() {
    SignalQuery q = GenAiPresets.expand(new SignalQuery(null, null, null, "genai.latency", null));
    assertEquals("sum by (le) (increase(gen_ai_client_operation_duration_seconds_bucket"
        + "{gen_ai_request_model=\"{version}\"}[{window}]))", q.buckets());
    assertEquals(1000.0, q.scale());
    assertNull(q.value());
    SignalQuery ttft = GenAiPresets.expand(new SignalQuery(null, null, null, "genai.ttft", "response"));
    assertEquals("sum by (le) (increase(gen_ai_server_time_to_first_token_seconds_bucket"
        + "{gen_ai_response_model=\"{version}\"}[{window}]))", ttft.buckets());
  }

  @Test
  void aHistogramPresetNeedsAQuantileSignalAndAScaleNeedsAHistogram() throws Exception {
    String text = Files.readString(Path.of("../examples/summarizer-prometheus.yaml"));
    String onARate = text.replace("      error_rate:\n        events: 'sum(increase(genai_errors_total{model=\"{model}\","
        + "version=\"{version}\"}[{window}]))'\n        trials: 'sum(increase(genai_requests_total{model=\"{model}\","
        + "version=\"{version}\"}[{window}]))'\n", "      error_rate: {preset: genai.latency}\n");
    String all = problems(onARate);
    assertTrue(all.contains("$.observations.prometheus.queries.error_rate.preset: 'genai.latency' reads a histogram,"
        + " but error_rate is a rate signal (hint: declare the signal with kind: quantile"), all);
    String scaled = text.replace("      error_rate:\n        events:", "      error_rate:\n        scale: 1000\n"
        + "        events:");
    all = problems(scaled);
    assertTrue(all.contains("$.observations.prometheus.queries.error_rate.scale: scales a histogram's bounds, but"
        + " there is no buckets query"), all);
  }

  private static String problems(String yaml) {
    try {
      PolicyLoader.load("p.yaml", yaml);
      return "[]";
    } catch (InvalidPolicyException e) {
      return e.problems().toString();
    }
  }

  @Test
  void errorsAreARateWhereNoErrorSeriesMeansZeroNotNoData() {
    SignalQuery q = GenAiPresets.expand(new SignalQuery(null, null, null, "genai.errors", null));
    assertEquals("(sum(increase(gen_ai_client_operation_duration_seconds_count{gen_ai_request_model=\"{version}\","
        + "error_type!=\"\"}[{window}])) or vector(0))", q.events());
    assertEquals("sum(increase(gen_ai_client_operation_duration_seconds_count{gen_ai_request_model=\"{version}\"}"
        + "[{window}]))", q.trials());
    SignalQuery tokens = GenAiPresets.expand(new SignalQuery(null, null, null, "genai.tokens.output.mean", null));
    assertTrue(tokens.value().startsWith("sum(rate(gen_ai_client_token_usage_sum{gen_ai_request_model=\"{version}\","
        + "gen_ai_token_type=\"output\"}[{window}])) / "), tokens.value());
    SignalQuery own = new SignalQuery("a", "b", null);
    assertEquals(own, GenAiPresets.expand(own), "a hand-written query is left alone");
  }

  @Test
  void theValidatorNamesAMisspeltPresetAKindThatDoesNotFitAndAQueryBesideIt() throws Exception {
    String bad = Files.readString(Path.of("../examples/summarizer-prometheus.yaml")).replace(
        "      unsupported_claim:\n        events: 'sum(increase(genai_flagged_total{model=\"{model}\",version=\"{version}\","
            + "check=\"unsupported\"}[{window}]))'\n",
        "      unsupported_claim:\n        preset: genai.latency.p99\n        events: 'x'\n")
        .replace("      error_rate:\n        events: 'sum(increase(genai_errors_total{model=\"{model}\",version=\"{version}\"}"
            + "[{window}]))'\n        trials: 'sum(increase(genai_requests_total{model=\"{model}\",version=\"{version}\"}"
            + "[{window}]))'\n", "      error_rate: {preset: genai.erors, by: server}\n");
    List<PolicyProblem> problems = new java.util.ArrayList<>();
    try {
      PolicyLoader.load("p.yaml", bad);
    } catch (InvalidPolicyException e) {
      problems = e.problems();
    }
    String all = problems.toString();
    assertTrue(all.contains("$.observations.prometheus.queries.unsupported_claim.preset: 'genai.latency.p99' reads"
        + " one value, but unsupported_claim is a rate signal"), all);
    assertTrue(all.contains("$.observations.prometheus.queries.unsupported_claim: has both a preset and its own"
        + " query"), all);
    assertTrue(all.contains("unknown preset 'genai.erors' (hint: did you mean 'genai.errors'?)"), all);
    assertTrue(all.contains("$.observations.prometheus.queries.error_rate.by: 'server' is not one of [request,"
        + " response]"), all);
  }
}
