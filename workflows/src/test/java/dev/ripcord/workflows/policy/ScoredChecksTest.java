package dev.ripcord.workflows.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.workflows.decision.Observations;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Graded scores and histograms: the criteria the validator accepts on them, the windows a release takes, and the
 * path and fix named otherwise.
 */
class ScoredChecksTest {
  private static final String SIGNALS = "{\"name\": \"utility\", \"kind\": \"mean\", \"category\": \"quality\","
      + " \"direction\": \"lower-is-worse\", \"baseline\": true}, {\"name\": \"latency_ms\", \"kind\": \"quantile\","
      + " \"category\": \"operational\", \"baseline\": true}";

  private static String policy(String when) {
    String text = PolicyLoader.toJson(PolicyBuilder.chat().pushed().build());
    return text.replace("\"signals\" : [", "\"signals\" : [ " + SIGNALS + ",")
        .replace("\"criteria\" : [", "\"criteria\" : [ {\"name\": \"scored\", \"severity\": \"critical\", \"action\":"
            + " \"rollback\", \"when\": " + when + "},");
  }

  private static List<String> problems(String when) {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyLoader.load("p.json", policy(when)));
    return e.problems().stream().map(p -> p.toString().replaceFirst("^line \\d+, column \\d+: ", "")).toList();
  }

  private static boolean has(List<String> problems, String start) {
    return problems.stream().anyMatch(p -> p.startsWith(start));
  }

  @Test
  void theNewFormsAreAccepted() {
    for (String when : List.of("{\"signal\": \"utility\", \"baselineRatioBelow\": 0.97, \"test\": \"msprt\"}",
        "{\"signal\": \"latency_ms\", \"quantile\": 0.99, \"baselineRatioAbove\": 1.2, \"test\": \"msprt\"}",
        "{\"signal\": \"latency_ms\", \"quantile\": 0.99, \"above\": 2500, \"confidence\": 0.99}")) {
      assertEquals("scored", PolicyLoader.load("p.json", policy(when)).policy().criteria().get(0).name(), when);
    }
  }

  @Test
  void aTestOfMeansSaysWhatItNeeds() {
    List<String> p = problems("{\"signal\": \"utility\", \"below\": 0.7, \"test\": \"cusum\"}");
    assertTrue(has(p, "$.criteria[0].when.test: 'cusum' is not a test of means"), p.toString());
    assertTrue(has(p, "$.criteria[0].when: a mean is tested against the concurrent baseline, not a fixed limit"),
        p.toString());
  }

  @Test
  void aQuantileCriterionSaysWhatItNeeds() {
    List<String> p = problems("{\"signal\": \"utility\", \"quantile\": 1.5, \"above\": 1}");
    assertTrue(has(p, "$.criteria[0].when.quantile: 'utility' is a mean"), p.toString());
    assertTrue(has(p, "$.criteria[0].when.quantile: 1.5 is not a quantile in (0, 1)"), p.toString());
    List<String> q = problems("{\"signal\": \"latency_ms\", \"quantile\": 0.99, \"above\": 2500, \"test\": \"msprt\"}");
    assertTrue(has(q, "$.criteria[0].when.test: a quantile's test compares it with the baseline's"), q.toString());
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Observations.Parsed window(String signals) throws Exception {
    ReleasePolicy p = PolicyLoader.load("p.json",
        policy("{\"signal\": \"utility\", \"baselineRatioBelow\": 0.97, \"test\": \"msprt\"}")).policy();
    JsonNode node = JSON.readTree("{\"signals\": " + signals + "}");
    return Observations.parse(node, p);
  }

  @Test
  void aWindowCarriesASampleOrBucketsAndOnlyReleasesThatReadThemTakeIt() throws Exception {
    Observations.Parsed scored = window("{\"utility\": {\"candidate\": {\"value\": 0.79, \"n\": 200, \"sd\": 0.25},"
        + " \"baseline\": {\"n\": 1800, \"sum\": 1440.0, \"sumSquares\": 1264.5}}, \"latency_ms\": {\"candidate\":"
        + " {\"buckets\": {\"250\": 180, \"+Inf\": 200}}}}");
    assertTrue(scored.ok(), scored.problem());
    assertEquals(Observations.SCORED_WINDOWS, scored.takenFrom());
    assertEquals(200, scored.observation().signals().get("utility").candidate().sample().n());
    assertNull(Observations.refusal(scored, "canary", 0, 0, m -> true));
    assertTrue(Observations.refusal(scored, "canary", 0, 0, m -> false).contains("does not read"));
    Observations.Parsed plain = window("{\"utility\": {\"candidate\": {\"value\": 0.79}}}");
    assertNull(plain.takenFrom(), "a value alone reaches no marker");
  }

  @Test
  void aSampleNoDataCanGiveIsRefusedWithTheFix() throws Exception {
    String p1 = window("{\"utility\": {\"candidate\": {\"value\": 0.79, \"n\": 200}}}").problem();
    assertTrue(p1.contains("signals.utility.candidate needs a finite 'value' and an 'sd'"), p1);
    String p2 = window("{\"utility\": {\"candidate\": {\"n\": 10, \"sum\": 10.0, \"sumSquares\": 1.0}}}").problem();
    assertTrue(p2.contains("sumSquares 1.0 is below sum²/n = 10.0"), p2);
    String p3 = window("{\"latency_ms\": {\"candidate\": {\"buckets\": {\"250\": 9, \"500\": 5, \"+Inf\": 9}}}}")
        .problem();
    assertTrue(p3.contains("signals.latency_ms.candidate.buckets counts are cumulative"), p3);
    String p4 = window("{\"utility\": {\"candidate\": {\"buckets\": {\"+Inf\": 9}}}}").problem();
    assertTrue(p4.contains("buckets are for quantile signals"), p4);
  }
}
