package dev.ripcord.workflows.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.testing.PolicyBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PolicyValidatorTest {

  private static List<String> problems(String yaml) {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyLoader.load("test.yaml", yaml));
    return e.problems().stream().map(PolicyProblem::toString).toList();
  }

  private static boolean has(List<String> problems, String path, String text) {
    return problems.stream().anyMatch(p -> p.replaceFirst("^line \\d+, column \\d+: ", "").startsWith(path + ": ")
        && p.contains(text));
  }

  @Test
  void everyExamplePolicyIsValid() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("../examples"))) {
      List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml") && !p.toString().contains("scenario"))
          .sorted().toList();
      assertTrue(yaml.size() >= 3);
      for (Path f : yaml) {
        PolicyLoader.Loaded l = PolicyLoader.load(f.toString(), Files.readString(f));
        assertTrue(l.hash().matches("sha256:[0-9a-f]{64}"), f.toString());
        // The policy travels as the workflow's JSON input: it must read back as itself (no derived getters leak).
        PolicyLoader.Loaded again = PolicyLoader.load("again.json", PolicyLoader.toJson(l.policy()));
        assertEquals(l.policy(), again.policy(), f.toString());
        assertEquals(l.hash(), again.hash(), f.toString());
      }
    }
  }

  @Test
  void jsonIsAcceptedAndHashesLikeTheSamePolicyInYaml() throws Exception {
    String yaml = Files.readString(Path.of("../examples/conversational-agent.yaml"));
    PolicyLoader.Loaded fromYaml = PolicyLoader.load("a.yaml", yaml);
    PolicyLoader.Loaded fromJson = PolicyLoader.load("a.json", PolicyLoader.toJson(fromYaml.policy()));
    assertEquals(fromYaml.hash(), fromJson.hash());
    assertEquals(fromYaml.policy(), fromJson.policy());
  }

  @Test
  void listsEveryProblemWithItsPathAndAHint() throws Exception {
    String bad = Files.readString(Path.of("../examples/conversational-agent.yaml"))
        .replace("{name: early,  weight: 25,", "{name: early,  weight: 4,")            // weights not increasing
        .replace("bake: 30m, minSamples: 20000", "bake: 30 minutes, minSamples: 20000") // bad duration
        .replace("when: {signal: moderation_failure,", "when: {signal: moderation_fail,") // unknown signal
        .replace("      roles: [safety-lead, on-call]\n", "      roles: [safety-lead, sre]\n")      // missing role
        .replace("  interval: 1m", "  interval: 1m\n  intervall: 2m")                   // unknown field
        .replace("minSamples: 5000}", "minSamples: lots}");                               // wrong type
    List<String> p = problems(bad);
    assertTrue(has(p, "$.stages[2].weight", "weights not increasing: 4 after 5"), p.toString());
    assertTrue(has(p, "$.stages[1].bake", "'30 minutes' is not a duration"), p.toString());
    assertTrue(has(p, "$.criteria[2].when.signal", "unknown signal 'moderation_fail'"), p.toString());
    assertTrue(has(p, "$.governance.decisions.rollback.roles[1]", "missing role 'sre'"), p.toString());
    assertTrue(has(p, "$.evaluation.intervall", "unknown field 'intervall'"), p.toString());
    assertTrue(has(p, "$.stages[0].minSamples", "'lots' is not a whole number"), p.toString());
    assertTrue(p.stream().allMatch(x -> x.contains("(hint: ")), "every problem has a hint: " + p);
    assertEquals(6, p.size(), p.toString());
  }

  @Test
  void rejectsStructuralMistakesInRulesAndRights() {
    ReleasePolicy p = PolicyBuilder.chat().hallucinationLimit(8, "rollback-after-approval", 3, 2).build();
    List<String> problems = PolicyValidator.validate(p).stream().map(PolicyProblem::toString).toList();
    assertTrue(has(problems, "$.criteria[0].sustain.of", "must be between windows (3) and 100"), problems.toString());

    ReleasePolicy noRight = new ReleasePolicy(p.apiVersion(), p.release(), p.router(), p.observations(),
        p.evaluation(), p.stages(), p.signals(), p.criteria(),
        new GovernanceSpec(p.governance().roles(), java.util.Map.of()), p.rollback(), p.notifications());
    problems = PolicyValidator.validate(noRight).stream().map(PolicyProblem::toString).toList();
    assertTrue(has(problems, "$.governance.decisions.rollback", "a criterion's action is rollback-after-approval"),
        problems.toString());
  }

  @Test
  void rollbackMustEndAtZeroAndGoDown() {
    ReleasePolicy p = PolicyBuilder.chat()
        .rollbackSteps(new RollbackSpec.Step(10, null), new RollbackSpec.Step(20, null)).build();
    List<String> problems = PolicyValidator.validate(p).stream().map(PolicyProblem::toString).toList();
    assertTrue(has(problems, "$.rollback.steps[1].weight", "weights not decreasing: 20 after 10"), problems.toString());
    assertTrue(has(problems, "$.rollback.steps[1].weight", "leaves 20 % on the candidate"), problems.toString());
  }

  @Test
  void brokenSyntaxIsReportedWithItsLine() {
    List<String> p = problems("apiVersion: ripcord/v1\nstages: [ {name: a\n");
    assertEquals(1, p.size());
    assertTrue(p.get(0).contains("line"), p.get(0));
  }

  @Test
  void durationsReadLikePeopleWriteThem() {
    assertEquals(java.time.Duration.ofMinutes(90), Durations.parse("90m"));
    assertEquals(java.time.Duration.ofHours(2), Durations.parse("PT2H"));
    assertEquals("1h30m", Durations.format(java.time.Duration.ofMinutes(90)));
    assertEquals(null, Durations.parseOrNull("soon"));
  }

  @Test
  void aLimitMustPointTheWayTheSignalGetsWorse() {
    ReleasePolicy p = PolicyBuilder.chat().latencyLimit(1000, "rollback").build();
    ReleasePolicy wrong = new ReleasePolicy(p.apiVersion(), p.release(), p.router(), p.observations(), p.evaluation(),
        p.stages(), p.signals(), List.of(new CriterionSpec("fewer-hallucinations?", null, null, "rollback",
            new ConditionSpec("hallucination", null, 2.0, null, null, null, null, null, null, null), null)),
        p.governance(), p.rollback(), p.notifications());
    List<String> problems = PolicyValidator.validate(wrong).stream().map(PolicyProblem::toString).toList();
    assertTrue(has(problems, "$.criteria[0].when", "'hallucination' is higher-is-worse, so a limit below it fires"),
        problems.toString());
  }

  @Test
  void perRoleQuorumsMustNameRolesThatMayDecideAndHaveEnoughPeople() {
    ReleasePolicy p = PolicyBuilder.chat().role("product-owner", "alice@example.com")
        .right("resume", new GovernanceSpec.DecisionRight(List.of("safety-lead", "product-owner"), "4h", "rollback", 1,
            null, List.of("safety-lead", "product-owner", "on-call")))
        .build();
    List<String> problems = PolicyValidator.validate(p).stream().map(PolicyProblem::toString).toList();
    assertTrue(has(problems, "$.governance.decisions.resume.requireRoles[2]", "role 'on-call' may not take this"
        + " decision"), problems.toString());
    assertTrue(has(problems, "$.governance.decisions.resume.requireRoles", "needs 3 different people but only 2 hold"),
        problems.toString());
    assertTrue(has(problems, "$.governance.decisions.resume.quorum", "1 is less than the 3 roles that must each"
        + " approve"), problems.toString());
  }

  @Test
  void anInvestigationBlockGoesWithPauseAndInvestigateAndNamesRealRoles() {
    ReleasePolicy base = PolicyBuilder.chat().build();
    var c = base.criteria().get(0);
    ReleasePolicy p = new ReleasePolicy(base.apiVersion(), base.release(), base.router(), base.observations(),
        base.evaluation(), base.stages(), base.signals(), List.of(new CriterionSpec(c.name(), null, c.severity(),
            "rollback", c.when(), c.sustain(), new CriterionSpec.Investigation(100, List.of("sre")))),
        base.governance(), base.rollback(), base.notifications());
    List<String> problems = PolicyValidator.validate(p).stream().map(PolicyProblem::toString).toList();
    assertTrue(has(problems, "$.criteria[0].investigate", "only goes with action pause-and-investigate"),
        problems.toString());
    assertTrue(has(problems, "$.criteria[0].investigate.weight", "100 is not between 0 and 99"), problems.toString());
    assertTrue(has(problems, "$.criteria[0].investigate.investigators[0]", "missing role 'sre'"), problems.toString());
  }

  @Test
  void quorumsAndEscalationChainsMustNameRealRolesAndEnoughPeople() {
    ReleasePolicy p = PolicyBuilder.chat()
        .right("resume", new GovernanceSpec.DecisionRight(List.of("safety-lead", "product-owner"), "4h", "rollback", 3,
            List.of(new GovernanceSpec.Escalation("later", List.of("sre")))))
        .build();
    List<String> problems = PolicyValidator.validate(p).stream().map(PolicyProblem::toString).toList();
    assertTrue(has(problems, "$.governance.decisions.resume.quorum", "3 is not between 1 and the 2 people holding"),
        problems.toString());
    assertTrue(has(problems, "$.governance.decisions.resume.escalation[0].after", "'later' is not a duration"),
        problems.toString());
    assertTrue(has(problems, "$.governance.decisions.resume.escalation[0].roles[0]", "missing role 'sre'"),
        problems.toString());
  }

  @Test
  void prometheusQueriesAndAlertRulesAreCheckedAgainstTheSignals() throws Exception {
    String bad = Files.readString(Path.of("../examples/summarizer-prometheus.yaml"))
        .replace("version=\"{version}\"}[{window}]))'\n      error_rate:", "version=\"{versoin}\"}[{window}]))'\n      error_rate:")
        .replace("      error_rate:\n", "      error_rates:\n")
        .replace("action: rollback-after-approval}", "action: rollback-later}")
        .replace("url: http://prometheus.internal:9090", "url: prometheus:9090");
    List<String> p = problems(bad);
    assertTrue(has(p, "$.observations.prometheus.queries.unsupported_claim.trials", "unknown placeholder {versoin}"),
        p.toString());
    assertTrue(has(p, "$.observations.prometheus.queries.error_rate", "is missing"), p.toString());
    assertTrue(has(p, "$.observations.prometheus.queries.error_rates", "names no signal"), p.toString());
    assertTrue(has(p, "$.observations.alerts[1].action", "'rollback-later' is not one of"), p.toString());
    assertTrue(has(p, "$.observations.prometheus.url", "is not an http(s) URL"), p.toString());
  }

  @Test
  void theHttpSourceIsCheckedPathByPath() throws Exception {
    String bad = Files.readString(Path.of("../examples/summarizer-evals-http.yaml"))
        .replace("$.candidate.scored}", "\"$.candidate[*].scored\"}")
        .replace("&to={to}\n", "&to={to}&x={nope}\n")
        .replace("authFromEnv: EVALS_TOKEN ", "authFromEnv: \"Bearer abc\"")
        .replace("events: $.baseline.errors, ", "events: \"$.baseline.(errors\", ")
        .replace("      error_rate:\n        candidate", "      error_rates:\n        candidate");
    List<String> p = problems(bad);
    assertTrue(has(p, "$.observations.http.url", "unknown placeholder {nope}"), p.toString());
    assertTrue(has(p, "$.observations.http.authFromEnv", "'Bearer abc' is not an environment variable name"),
        p.toString());
    assertTrue(has(p, "$.observations.http.signals.unsupported_claim.candidate.trials", "can match several values"),
        p.toString());
    assertTrue(has(p, "$.observations.http.signals.error_rates", "names no signal"), p.toString());
    assertTrue(has(p, "$.observations.http.signals.error_rate", "is missing: every signal needs its paths"),
        p.toString());
  }
}
