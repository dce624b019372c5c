package dev.ripcord.workflows.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.testing.PolicyBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** signals[].judge: what the validator accepts, and the path and fix it names for what it refuses. */
class JudgeChecksTest {
  private static String policy(String judge, String secondJudge) {
    String text = PolicyLoader.toJson(PolicyBuilder.chat().build());
    text = text.replaceFirst("\"name\" : \"hallucination\",", "\"name\" : \"hallucination\", \"judge\": " + judge + ",");
    return secondJudge == null ? text
        : text.replaceFirst("\"name\" : \"latency_p99_ms\",", "\"name\" : \"latency_p99_ms\", \"judge\": " + secondJudge
            + ",");
  }

  private static List<String> problems(String judge, String second) {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyLoader.load("p.json", policy(judge, second)));
    return e.problems().stream().map(p -> p.toString().replaceFirst("^line \\d+, column \\d+: ", "")).toList();
  }

  @Test
  void aJudgeWithHealthRulesIsAccepted() throws Exception {
    String judge = "{\"name\": \"grounding-judge\", \"version\": \"gj-3\", \"maxErrorRate\": 0.05, \"minAgreement\":"
        + " 0.8, \"minLabels\": 40}";
    PolicyLoader.Loaded l = PolicyLoader.load("p.json", policy(judge, judge));
    assertEquals(new JudgeSpec("grounding-judge", "gj-3", 0.05, 0.8, 40), l.policy().signal("hallucination").judge());
  }

  @Test
  void eachWrongFieldIsNamedWithItsFix() {
    List<String> p = problems("{\"name\": \"Grounding Judge\", \"maxErrorRate\": 1.5, \"minAgreement\": 0,"
        + " \"minLabels\": 0}", null);
    assertTrue(p.stream().anyMatch(x -> x.startsWith("$.signals[0].judge.name: 'Grounding Judge' is not a valid"
        + " name")), p.toString());
    assertTrue(p.stream().anyMatch(x -> x.startsWith("$.signals[0].judge.version: is required")), p.toString());
    assertTrue(p.stream().anyMatch(x -> x.startsWith("$.signals[0].judge.maxErrorRate: 1.5 is not a share")),
        p.toString());
    assertTrue(p.stream().anyMatch(x -> x.startsWith("$.signals[0].judge.minAgreement: 0.0 is not a share")),
        p.toString());
    assertTrue(p.stream().anyMatch(x -> x.startsWith("$.signals[0].judge.minLabels: must be at least 1")),
        p.toString());
    List<String> q = problems("{\"name\": \"gj\", \"version\": \"3\"}", "{\"name\": \"gj\", \"version\": \"4\"}");
    assertTrue(q.stream().anyMatch(x -> x.startsWith("$.signals[1].judge: judge 'gj' is declared differently by"
        + " another signal")), q.toString());
    assertTrue(problems("{\"name\": \"gj\", \"version\": \"3\", \"minLabels\": 5}", null).stream()
        .anyMatch(x -> x.startsWith("$.signals[0].judge.minLabels: goes with minAgreement")));
  }

  @Test
  void pushedJudgeReadingsAreChecked() {
    ReleasePolicy p = PolicyBuilder.chat().judge(new JudgeSpec("gj", "3", 0.05, null, null)).build();
    var json = com.fasterxml.jackson.databind.json.JsonMapper.builder().build();
    java.util.function.Function<Object, dev.ripcord.workflows.decision.Observations.Parsed> parse = judges ->
        dev.ripcord.workflows.decision.Observations.parse(json.valueToTree(java.util.Map.of("signals",
            java.util.Map.of("latency_p99_ms", java.util.Map.of("candidate", java.util.Map.of("value", 300))),
            "judges", judges)), p);
    var ok = parse.apply(java.util.Map.of("gj", java.util.Map.of("version", "3", "calls", 10, "errors", 1)));
    assertTrue(ok.ok(), ok.problem());
    assertEquals(10L, ok.observation().judges().get("gj").calls());
    assertTrue(parse.apply(java.util.Map.of("other", java.util.Map.of("calls", 1))).problem()
        .contains("unknown judge 'other' (the policy's signals name [gj])"));
    assertTrue(parse.apply(java.util.Map.of("gj", java.util.Map.of("calls", 1, "errors", 2))).problem()
        .contains("judges.gj.errors must come with calls and be at most calls"));
    assertTrue(parse.apply(java.util.Map.of("gj", java.util.Map.of("labelled", 1, "agreed", 2))).problem()
        .contains("judges.gj.agreed must come with labelled and be at most labelled"));
  }
}
