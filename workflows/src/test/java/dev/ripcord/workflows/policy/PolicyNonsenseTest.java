package dev.ripcord.workflows.policy;

import static dev.ripcord.workflows.policy.ExamplePolicy.EXAMPLE;
import static dev.ripcord.workflows.policy.ExamplePolicy.edit;
import static dev.ripcord.workflows.policy.ExamplePolicy.problems;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Well-formed but nonsensical policies, each one edit away from a real example, are refused with the path of the
 * edit and a hint; none of them crashes the validator. The edits are the ones an adversarial user tried.
 */
class PolicyNonsenseTest {

  @Test
  void theExampleItselfIsValid() {
    assertTrue(problems(EXAMPLE).isEmpty(), problems(EXAMPLE).toString());
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', textBlock = """
      bake: 15m         | bake: 99999999999999999999s | $.stages[0].bake     | is not a duration
      bake: 15m         | bake: 106751991167301d      | $.stages[0].bake     | is not a duration
      bake: 15m         | bake: 36500d                | $.stages[0].bake     | is longer than 3650d
      bake: 15m         | bake: 0s                    | $.stages[0].bake     | shorter than 1s
      bake: 15m         | bake: 500ms                 | $.stages[0].bake     | shorter than 1s
      bake: 15m         | bake: 30s                   | $.stages[0].bake     | shorter than the evaluation interval
      interval: 1m      | interval: 106751991167301d  | $.evaluation.interval | is not a duration
      weight: 5,        | weight: 5.9,                | $.stages[1].weight   | is not a whole number
      minSamples: 5000} | minSamples: 9223372036854775807} | $.stages[0].minSamples | is more than 1000000000
      above: 8,         | above: NaN,                 | $.criteria[1].when.above | is not a finite number
      above: 8,         | above: .inf,                | $.criteria[1].when.above | is not a finite number
      above: 8,         | above: -.inf,               | $.criteria[1].when.above | is not a finite number
      above: 8,         | above: -3,                  | $.criteria[1].when.above | is negative
      above: 8,         | above: 20000,               | $.criteria[1].when.above | can never be reached
      baselineRatioBelow: 0.97, test: msprt} | baselineRatioBelow: 150, test: msprt} | $.criteria[3].when.baselineRatioBelow | is not a ratio
      maxInconclusive: 5 | maxInconclusive: 2147483647 | $.evaluation.maxInconclusive | is more than 10000
      route: support-chat | route: "../admin/fail?seconds=1&code=418" | $.router.route | is not a route name
      """)
  void nonsenseIsRefusedAtItsPath(String from, String to, String path, String message) {
    List<String> problems = problems(edit(from, to.replace("\\n", "\n")));
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(path) && p.contains(message)),
        "expected " + path + ": ..." + message + " in " + problems);
  }

  @Test
  void routerTypesAreBuiltInOrYourOwn() {
    assertTrue(problems(edit("type: http\n  url: http://gateway.internal:8080", "type: haproxy\n  url: tcp://127.0.0.1:9999"))
        .isEmpty(), "haproxy with a Runtime API address");
    assertTrue(problems(edit("type: http\n  url: http://gateway.internal:8080",
        "type: haproxy\n  url: unix:///run/haproxy/admin.sock")).isEmpty(), "haproxy on a unix socket");
    assertTrue(problems(edit("type: http", "type: x-envoy")).isEmpty(), "a router of the team's own");
    List<String> wrongUrl = problems(edit("type: http", "type: haproxy"));
    assertTrue(wrongUrl.stream().anyMatch(p -> p.startsWith("$.router.url") && p.contains("not a Runtime API address")),
        wrongUrl.toString());
    List<String> unknown = problems(edit("type: http", "type: envoy"));
    assertTrue(unknown.stream().anyMatch(p -> p.startsWith("$.router.type") && p.contains("x-<name>")),
        unknown.toString());
  }

  @Test
  void kubernetesRoutersNameTheirObjectAndOnlyMirroringRoutersMirror() {
    String http = "type: http\n  url: http://gateway.internal:8080\n  route: support-chat";
    assertTrue(problems(edit(http, "type: gateway-api\n  route: models/support-chat\n  mirror: true")).isEmpty(),
        "an HTTPRoute in the worker's cluster, mirrored in shadow");
    assertTrue(problems(edit(http, "type: kserve\n  url: https://k8s.internal:6443\n  route: summarizer")).isEmpty(),
        "an InferenceService on a named API server, in the client's namespace");
    List<String> notAnObject = problems(edit(http, "type: gateway-api\n  route: Models/Support Chat"));
    assertTrue(notAnObject.stream().anyMatch(p -> p.contains("$.router.route: 'Models/Support Chat' does not name a"
        + " Kubernetes HTTPRoute") && p.contains("write namespace/name")), notAnObject.toString());
    List<String> noRoute = problems(edit(http, "type: kserve"));
    assertTrue(noRoute.stream().anyMatch(p -> p.contains("$.router.route") && p.contains("InferenceService as"
        + " namespace/name")), noRoute.toString());
    List<String> haproxyMirror = problems(edit(http, "type: haproxy\n  url: tcp://127.0.0.1:9999\n  route: models\n"
        + "  mirror: true"));
    assertTrue(haproxyMirror.stream().anyMatch(p -> p.contains("$.router.mirror: router.type haproxy cannot mirror")
        && p.contains("type: gateway-api")), haproxyMirror.toString());
  }

  @Test
  void anObservationSourceOfTheTeamsOwnIsAccepted() {
    String pushed = EXAMPLE.substring(EXAMPLE.indexOf("source: "), EXAMPLE.indexOf('\n', EXAMPLE.indexOf("source: ")));
    assertTrue(problems(edit(pushed, "source: x-bigquery")).isEmpty(), "a source a worker bean adds");
    List<String> typo = problems(edit(pushed, "source: promethus"));
    assertTrue(typo.stream().anyMatch(p -> p.contains("$.observations.source: 'promethus' is not one of")
        && p.contains("did you mean 'prometheus'")), typo.toString());
  }

  @Test
  void aPointOfNoReturnNamesAStageSaysWhyAndPagesRolesThatExist() {
    String from = "    stage: half\n"
        + "    reason: \"conversation memory written from 50 % on is unreadable by chat-2026-10-a\"\n"
        + "    page: [safety-lead, on-call]";
    List<String> p = problems(edit(from, "    stage: halve\n    page: [safety-lead, night-shift]"));
    assertTrue(p.stream().anyMatch(x -> x.contains("$.rollback.unsafeAfter.stage: 'halve' is not a stage of this"
        + " policy") && x.contains("did you mean 'half'?")), p.toString());
    assertTrue(p.stream().anyMatch(x -> x.contains("$.rollback.unsafeAfter.reason: is required")), p.toString());
    assertTrue(p.stream().anyMatch(x -> x.contains("$.rollback.unsafeAfter.page[1]: missing role 'night-shift'")),
        p.toString());
  }

  @Test
  void evidenceRulesAreBounded() {
    List<String> p = problems(edit("interval: 1m\n", "interval: 1m\n  inconclusiveSpan: 2\n  minCoverage: 1.5\n"));
    assertTrue(p.stream().anyMatch(x -> x.contains("$.evaluation.inconclusiveSpan: 2 is not between maxInconclusive")),
        p.toString());
    assertTrue(p.stream().anyMatch(x -> x.contains("$.evaluation.minCoverage: 1.5 is not a share between 0 and 1")),
        p.toString());
  }

  @Test
  void windowsPerRunIsBounded() {
    List<String> problems = problems(edit("interval: 1m\n", "interval: 1m\n  windowsPerRun: 2147483647\n"));
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("$.evaluation.windowsPerRun") && p.contains("5000")),
        problems.toString());
  }

  @Test
  void emptyAndNullPrincipalsAreRefused() {
    String yaml = EXAMPLE.replaceFirst("(?m)^(  roles:\\n)", "$1    nobody: [\"\", null]\n");
    List<String> problems = problems(yaml);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("$.governance.roles.nobody[0]") && p.contains("empty")),
        problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("$.governance.roles.nobody[1]") && p.contains("empty")),
        problems.toString());
  }

  @Test
  void aPlaybookStepWithoutKindIsAProblemNotACrash() {
    String yaml = EXAMPLE + "playbook:\n  steps:\n    - {name: page}\n";
    List<String> problems = problems(yaml);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("$.playbook.steps[0].kind") && p.contains("required")),
        problems.toString());
  }

  @Test
  void aSecondYamlDocumentIsRefusedNotCut() {
    List<String> problems = problems(EXAMPLE + "---\napiVersion: ripcord/v1\n");
    assertTrue(problems.stream().anyMatch(p -> p.contains("more than one YAML document")), problems.toString());
  }

  @Test
  void aPolicyLargerThanTheLimitIsRefusedBeforeTemporalDoes() {
    String yaml = EXAMPLE.replace("# A support chat", "# " + "z".repeat(5 * 1024 * 1024) + "\n# A support chat");
    List<String> problems = problems(yaml);
    assertTrue(problems.size() == 1 && problems.get(0).contains("the limit is " + PolicyLoader.MAX_POLICY_BYTES),
        problems.toString());
  }

  @Test
  void unknownKeysWithMappingValuesAreNamedOnceAtTheirPath() {
    List<String> problems = problems(EXAMPLE + "bakee: {bakee: 1}\nx-scalar:\n  x-extra: {x-extra: 1}\n");
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("$.bakee: unknown field 'bakee'")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("$.x-scalar: unknown field 'x-scalar'")),
        problems.toString());
    assertTrue(problems.stream().noneMatch(p -> p.contains("$.bakee.bakee") || p.contains("x-extra")),
        problems.toString());
    String stage = problems(edit("bake: 15m, minSamples: 5000}", "bake: 15m, minSamples: 5000, bakee: {x: 1}}"))
        .toString();
    assertTrue(stage.contains("$.stages[0].bakee: unknown field 'bakee'"), stage);
  }

  @Test
  void aKeyGivenTwiceIsRefusedNotLastOneWins() {
    List<String> problems = problems(edit("  model: support-chat\n", "  model: support-chat\n  model: other\n"));
    assertTrue(problems.stream().anyMatch(p -> p.contains("a key appears twice") && p.contains("'model'")),
        problems.toString());
  }

  @Test
  void aQuorumOnTheRollbackRightIsRefusedBecauseItCannotBind() {
    String yaml = edit("      roles: [safety-lead, on-call]\n      deadline: 15m",
        "      roles: [safety-lead, on-call]\n      quorum: 2\n      deadline: 15m");
    List<String> problems = problems(yaml);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("$.governance.decisions.rollback.quorum")
        && p.contains("cannot bind")), problems.toString());
  }
}
