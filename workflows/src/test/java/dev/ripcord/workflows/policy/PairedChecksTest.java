package dev.ripcord.workflows.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.testing.PolicyBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A paired signal and the criteria on it: what the validator accepts, and the path and fix it names otherwise. */
class PairedChecksTest {
  private static String yaml(String signal, String when) {
    String text = PolicyLoader.toJson(PolicyBuilder.chat().stage("shadow", 0, "10m").stage("full", 100, "10m")
        .build());
    return text.replace("\"signals\" : [", "\"signals\" : [ " + signal + ",")
        .replace("\"criteria\" : [", "\"criteria\" : [ {\"name\": \"pairs\", \"severity\": \"critical\", \"action\":"
            + " \"rollback\", \"when\": " + when + "},");
  }

  private static List<String> problems(String signal, String when) {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyLoader.load("p.json", yaml(signal, when)));
    return e.problems().stream().map(p -> p.toString().replaceFirst("^line \\d+, column \\d+: ", "")).toList();
  }

  private static final String SIGNAL = "{\"name\": \"judged_bad\", \"kind\": \"paired\", \"category\": \"quality\"}";

  @Test
  void aPairedSignalWithAnMsprtOnItsDiscordantPairsIsAccepted() throws Exception {
    PolicyLoader.Loaded l = PolicyLoader.load("p.json", yaml(SIGNAL,
        "{\"signal\": \"judged_bad\", \"baselineRatioAbove\": 1.0, \"test\": \"msprt\"}"));
    SignalSpec s = l.policy().signal("judged_bad");
    assertTrue(s.isPaired() && s.observesBaseline() && !s.isRate());
    assertEquals("pairs", l.policy().criteria().get(0).name());
  }

  @Test
  void otherFormsAreRefusedWithTheFix() {
    List<String> p = problems(SIGNAL, "{\"signal\": \"judged_bad\", \"above\": 3}");
    assertTrue(p.stream().anyMatch(x -> x.startsWith("$.criteria[0].when: 'judged_bad' is paired: it is judged on how"
        + " its discordant pairs split (hint: write {signal: judged_bad, baselineRatioAbove: 1.0, test: msprt})")),
        p.toString());
    assertTrue(p.stream().anyMatch(x -> x.startsWith("$.criteria[0].when.test: is required for a paired signal")),
        p.toString());
    List<String> q = problems(SIGNAL, "{\"signal\": \"judged_bad\", \"baselineRatioAbove\": 1.0, \"test\": \"sprt\"}");
    assertTrue(q.stream().anyMatch(x -> x.startsWith("$.criteria[0].when.test: 'sprt' does not test how pairs split")),
        q.toString());
    List<String> r = problems("{\"name\": \"judged_bad\", \"kind\": \"paired\", \"category\": \"quality\", \"baseline\":"
        + " false, \"per\": 100}", "{\"signal\": \"judged_bad\", \"baselineRatioAbove\": 1.0, \"test\": \"msprt\"}");
    assertTrue(r.stream().anyMatch(x -> x.startsWith("$.signals[0].baseline: a paired signal always observes the"
        + " baseline")), r.toString());
    assertTrue(r.stream().anyMatch(x -> x.startsWith("$.signals[0].per: only rates have a unit")), r.toString());
    List<String> u = problems("{\"name\": \"judged_bad\", \"kind\": \"paired\", \"category\": \"quality\", \"unit\":"
        + " \"visitor\"}", "{\"signal\": \"judged_bad\", \"baselineRatioAbove\": 1.0, \"test\": \"msprt\"}");
    assertTrue(u.stream().anyMatch(x -> x.startsWith("$.signals[0].unit: 'visitor' is not one of [user, session,"
        + " conversation]")), u.toString());
    assertEquals(1, u.size(), "a paired signal may come in users, sessions or conversations: " + u);
    List<String> w = problems("{\"name\": \"flagged\", \"kind\": \"rate\", \"category\": \"quality\", \"unit\":"
        + " \"user\"}", "{\"signal\": \"flagged\", \"above\": 5}");
    assertTrue(w.stream().anyMatch(x -> x.startsWith("$.signals[0].unit: per-unit statistics compare the candidate's"
        + " units with the baseline's (hint: add baseline: true")), w.toString());
  }

  @Test
  void prometheusReadsAPairedSignalWithThreeQueries() {
    ReleasePolicy base = PolicyBuilder.chat().pairedJudge("rollback").build();
    java.util.Map<String, ObservationSpec.SignalQuery> queries = new java.util.LinkedHashMap<>();
    queries.put("hallucination", new ObservationSpec.SignalQuery("e", "t", null));
    queries.put("latency_p99_ms", new ObservationSpec.SignalQuery(null, null, "v"));
    queries.put("judged_bad", ObservationSpec.SignalQuery.paired("cw{candidate}", "bw{baseline}", null));
    Problems out = new Problems();
    new ObservationChecks(out).checkPrometheus(new ObservationSpec.PrometheusSpec("http://prom:9090", queries),
        base.signals());
    List<String> p = out.list().stream().map(Object::toString).toList();
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).startsWith("$.observations.prometheus.queries.judged_bad.concordant: is required (judged_bad"
        + " is paired)"), p.toString());
    queries.put("judged_bad", ObservationSpec.SignalQuery.paired("cw{version}", "bw", "c"));
    queries.put("hallucination", ObservationSpec.SignalQuery.paired("a", "b", "c"));
    Problems again = new Problems();
    new ObservationChecks(again).checkPrometheus(new ObservationSpec.PrometheusSpec("http://prom:9090", queries),
        base.signals());
    List<String> q = again.list().stream().map(Object::toString).toList();
    assertTrue(q.stream().anyMatch(x -> x.startsWith("$.observations.prometheus.queries.judged_bad.candidateWorse:"
        + " unknown placeholder {version}")), q.toString());
    assertTrue(q.stream().anyMatch(x -> x.startsWith("$.observations.prometheus.queries.hallucination: has pair"
        + " queries, but hallucination is a rate signal")), q.toString());
  }

  @Test
  void pushedPairsAreCheckedAgainstTheSignalsKind() {
    ReleasePolicy p = PolicyBuilder.chat().pairedJudge("rollback").build();
    var json = com.fasterxml.jackson.databind.json.JsonMapper.builder().build();
    var ok = dev.ripcord.workflows.decision.Observations.parse(json.valueToTree(java.util.Map.of("signals",
        java.util.Map.of("judged_bad", java.util.Map.of("pairs", java.util.Map.of("candidateWorse", 3,
            "baselineWorse", 1, "concordant", 96))))), p);
    assertTrue(ok.ok(), ok.problem());
    assertEquals(100, ok.observation().signals().get("judged_bad").pairs().total());
    var onRate = dev.ripcord.workflows.decision.Observations.parse(json.valueToTree(java.util.Map.of("signals",
        java.util.Map.of("hallucination", java.util.Map.of("pairs", java.util.Map.of("candidateWorse", 3,
            "baselineWorse", 1, "concordant", 96))))), p);
    assertTrue(onRate.problem().contains("signals.hallucination.pairs only goes with a paired signal"),
        onRate.problem());
    var mixed = dev.ripcord.workflows.decision.Observations.parse(json.valueToTree(java.util.Map.of("signals",
        java.util.Map.of("judged_bad", java.util.Map.of("candidate", java.util.Map.of("events", 1, "trials", 2),
            "pairs", java.util.Map.of("candidateWorse", 3, "baselineWorse", 1, "concordant", 96))))), p);
    assertTrue(mixed.problem().contains("signals.judged_bad of a paired signal has only 'pairs'"), mixed.problem());
  }
}
