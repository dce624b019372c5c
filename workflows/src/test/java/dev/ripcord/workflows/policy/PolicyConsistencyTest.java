package dev.ripcord.workflows.policy;

import static dev.ripcord.workflows.policy.ExamplePolicy.EXAMPLE;
import static dev.ripcord.workflows.policy.ExamplePolicy.edit;
import static dev.ripcord.workflows.policy.ExamplePolicy.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What an adversarial user found the validator still took: names with spaces or invisible characters, numbers for
 * names, a principal twice in a role, conditions nested 200 deep, an investigation weight above a stage's, a policy
 * that can never roll back; and a NUL byte reported at the wrong place. Each is refused at its path with a hint.
 */
class PolicyConsistencyTest {

  private static void refusedAt(List<String> problems, String path, String message) {
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(path) && p.contains(message)),
        "expected " + path + ": ..." + message + " in " + problems);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', textBlock = """
      name: canary,       | name: "can ary",                  | $.stages[1].name   | holds a space (U+0020) at position 4
      name: canary,       | name: "canary\\u200B",           | $.stages[1].name   | invisible (zero-width or format) character (U+200B)
      name: canary,       | name: "can\\u0000ary",           | $.stages[1].name   | a control character (U+0000)
      name: canary,       | name: "canary\\t",               | $.stages[1].name   | holds a space (U+0009)
      name: hallucination,      kind: rate | name: "hallu cination", kind: rate | $.signals[0].name | holds a space
      name: utility-drift | name: "utility\\u0007drift"      | $.criteria[3].name | a control character (U+0007)
      """)
  void namesPeopleTypeHoldNoSpacesOrInvisibleCharacters(String from, String to, String path, String message) {
    refusedAt(problems(edit(from, to)), path, message);
  }

  @Test
  void aNameWrittenAsANumberIsRefusedNotTurnedIntoText() {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyLoader.load("p.yaml",
        edit("name: canary,", "name: 5,")));
    List<String> problems = e.problems().stream().map(PolicyProblem::toString).toList();
    refusedAt(problems, "line 28, column 6: $.stages[1].name", "is a number, not text");
  }

  @Test
  void aPrincipalListedTwiceInOneRoleIsRefused() {
    refusedAt(problems(edit("on-call: [carol@example.com, dave@example.com]",
        "on-call: [carol@example.com, dave@example.com, carol@example.com]")), "$.governance.roles.on-call[2]",
        "'carol@example.com' is listed twice in this role");
  }

  @Test
  void conditionsNestedPastTheLimitAreRefusedWithoutCrashing() {
    String deep = "{signal: error_rate, above: 2}";
    for (int i = 0; i < 200; i++) {
      deep = "{anyOf: [" + deep + "]}";
    }
    List<String> problems = problems(edit("      anyOf:\n        - {signal: error_rate, above: 2}\n"
        + "        # The p99 from each window's histogram: fires when surely more than 1 % of answers take over 2.5 s.\n"
        + "        - {signal: latency_ms, quantile: 0.99, above: 2500, confidence: 0.99}",
        "      anyOf: [" + deep + "]"));
    refusedAt(problems, "$.criteria[4].when.anyOf[0].anyOf[0]", "nests conditions deeper than "
        + ConsistencyChecks.MAX_CONDITION_DEPTH + " levels");
    assertTrue(problems.stream().noneMatch(p -> p.contains(PolicyValidator.INTERNAL)), problems.toString());
  }

  @Test
  void anInvestigationWeightAboveAnExposedStageIsRefused() {
    List<String> problems = problems(edit("    action: pause-and-investigate",
        "    action: pause-and-investigate\n    investigate: {weight: 20, investigators: [safety-lead]}"));
    refusedAt(problems, "$.criteria[6].investigate.weight", "20 % is above stage 'canary' at 5 %");
    assertTrue(problems(edit("    action: pause-and-investigate", "    action: pause-and-investigate\n"
        + "    investigate: {weight: 2, investigators: [safety-lead]}")).isEmpty(), "2 % is below every stage");
  }

  @Test
  void aPolicyWhoseCriteriaAllOnlyAlertMustSayItIsADryRun() {
    String allAlert = EXAMPLE.replaceAll("action: (rollback-after-approval|rollback|pause-and-investigate)",
        "action: alert-only").replace("    breakGlass: true", "");
    refusedAt(problems(allAlert), "$.criteria", "every criterion is alert-only, so nothing this release sees can"
        + " roll it back");
    assertEquals(List.of(), problems("dryRun: true\n" + allAlert), "a declared dry run");
    refusedAt(problems("dryRun: true\n" + EXAMPLE), "$.dryRun", "is true, but some criteria act");
  }

  @Test
  void onePrincipalHoldingEveryRoleIsAWarningNotAProblem() {
    String one = EXAMPLE.replaceAll("\\[(alice|bob|carol|erin)@example.com(, dave@example.com)?]",
        "[root@example.com]").replace("      requireRoles: [safety-lead, product-owner]\n", "")
        .replaceAll("(?m)^\\s+notBy:.*\\n", "");
    List<PolicyProblem> problems = new ArrayList<>();
    ReleasePolicy p = PolicyLoader.parse(one, problems);
    assertEquals(List.of(), problems);
    assertEquals(List.of(), PolicyValidator.validate(p));
    List<PolicyProblem> warnings = governance(ConsistencyChecks.warnings(p));
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).message().contains("'root@example.com' holds every role"), warnings.toString());
    assertEquals(List.of(), governance(ConsistencyChecks.warnings(PolicyLoader.parse(EXAMPLE, new ArrayList<>()))));
  }

  @Test
  void aNulCharacterIsReportedWhereItIs() {
    String[] lines = EXAMPLE.split("\n", -1);
    lines[5] = lines[5].substring(0, 8) + "\u0000" + lines[5].substring(8);
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyLoader.load("p.yaml", String.join("\n", lines)));
    String problem = e.problems().get(0).toString();
    assertTrue(problem.startsWith("line 6, column 9: $: ") && problem.contains("U+0000"), problem);
  }

  private static List<PolicyProblem> governance(List<PolicyProblem> warnings) {
    return warnings.stream().filter(w -> w.path().startsWith("$.governance")).toList();
  }

  @Test
  void aBaselineRatioOnOneNumberPerWindowIsAWarningThatNamesTheTest() {
    assertEquals(List.of(), ConsistencyChecks.warnings(PolicyLoader.parse(EXAMPLE, new ArrayList<>())),
        "the example tests every baseline ratio on a mean");
    String thresholded = edit("        - {signal: utility_score, baselineRatioBelow: 0.97, test: msprt}",
        "        - {signal: utility_score, baselineRatioBelow: 0.97}");
    List<PolicyProblem> warnings = ConsistencyChecks.warnings(PolicyLoader.parse(thresholded, new ArrayList<>()));
    assertTrue(warnings.stream().anyMatch(w -> w.message().startsWith("compares one mean per window with the"
        + " baseline's, with no sample size: a threshold, not a test") && w.hint().startsWith("add test: msprt")),
        warnings.toString());
  }
}
