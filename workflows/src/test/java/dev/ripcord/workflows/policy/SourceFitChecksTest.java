package dev.ripcord.workflows.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.testing.PolicyBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A judged signal needs a source that reports judge health. */
class SourceFitChecksTest {
  private static final JudgeSpec JUDGE = new JudgeSpec("grounding-judge", "gj-4", 0.05, null, null);

  @Test
  void aJudgedSignalReadFromPrometheusOrHttpIsRefusedWithWhereToGetJudgeHealth() {
    for (String source : List.of("prometheus", "http")) {
      List<PolicyProblem> problems = SourceFitChecks.problems(PolicyBuilder.chat().source(source).judge(JUDGE)
          .build());
      assertEquals(1, problems.size(), problems.toString());
      PolicyProblem p = problems.get(0);
      assertEquals("$.signals[0].judge", p.path());
      assertTrue(p.message().contains("the " + source + " source reads no judge health"), p.message());
      assertTrue(p.hint().contains("observations.source: pushed") && p.hint().contains("remove 'judge'"), p.hint());
    }
  }

  @Test
  void pushedScriptedAndATeamsOwnSourceMayCarryJudgeHealth() {
    for (String source : List.of("pushed", "scripted", "x-judged-store")) {
      assertEquals(List.of(), SourceFitChecks.problems(PolicyBuilder.chat().source(source).judge(JUDGE).build()),
          source);
    }
    assertEquals(List.of(), SourceFitChecks.problems(PolicyBuilder.chat().source("prometheus").build()),
        "a signal without a judge asks nothing of its source");
  }

  @Test
  void settingsBelongToASourceOfATeamsOwn() {
    ReleasePolicy p = PolicyBuilder.chat().build();
    java.util.Map<String, Object> settings = java.util.Map.of("dataset", "evals");
    ReleasePolicy custom = p.withObservations(new ObservationSpec("x-bigquery", null, null, null, null, settings));
    assertTrue(PolicyValidator.validate(custom).stream().noneMatch(x -> x.path().startsWith("$.observations")),
        PolicyValidator.validate(custom).toString());
    ReleasePolicy builtIn = p.withObservations(new ObservationSpec("pushed", null, null, null, null, settings));
    PolicyProblem problem = PolicyValidator.validate(builtIn).stream()
        .filter(x -> x.path().equals("$.observations.settings")).findFirst().orElseThrow();
    assertTrue(problem.message().contains("only a source of your own (x-<name>) reads settings"), problem.message());
  }

  @Test
  void theValidatorReportsIt() {
    assertTrue(PolicyValidator.validate(PolicyBuilder.chat().source("http").judge(JUDGE).build()).stream()
        .anyMatch(p -> p.path().equals("$.signals[0].judge")));
  }
}
