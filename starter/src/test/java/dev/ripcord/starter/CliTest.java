package dev.ripcord.starter;

import static dev.ripcord.starter.cli.CliRun.ripcord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.starter.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a person runs it: arguments in, text and an exit code out. */
class CliTest {
  @TempDir Path tmp;

  @Test
  void helpSummarisesEveryCommandInAWholeSentence() {
    String help = ripcord("--help").out();
    String commands = help.substring(help.indexOf("Commands:") + "Commands:".length(), help.indexOf("Examples:"));
    // One entry per command: its line plus the lines picocli wraps it onto (indented deeper).
    List<String> entries = new java.util.ArrayList<>();
    for (String line : commands.lines().filter(l -> !l.isBlank()).toList()) {
      if (line.startsWith("  ") && !line.startsWith("    ")) {
        entries.add(line.strip());
      } else {
        entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.strip());
      }
    }
    assertTrue(entries.size() >= 15, entries.toString());
    for (String e : entries) {
      assertTrue(e.endsWith(".") || e.endsWith(")"), "summary cut mid-sentence: " + e);
    }
  }

  @Test
  void demoRollsBackByItselfAndItsHistoryReplaysClean() {
    Path history = tmp.resolve("demo.json");
    CliRun demo = ripcord("demo", "--policy", "../examples/conversational-agent.yaml", "--history", history.toString());
    assertEquals(0, demo.code(), demo.out() + demo.err());
    assertTrue(demo.out().contains("TRIGGER       hallucination-vs-baseline fired"), demo.out());
    assertTrue(demo.out().contains("mSPRT log-LR"), demo.out());
    assertTrue(demo.out().contains("Final state: ROLLED_BACK"), demo.out());
    assertTrue(demo.out().contains("Router changes applied by the gateway: [5%, 25%, 0%]"), demo.out());
    assertTrue(demo.out().contains("BREAK_GLASS   break-glass criteria [hallucination-vs-baseline] fired at 25 %"),
        demo.out());

    CliRun replay = ripcord("replay", history.toString());
    assertEquals(0, replay.code(), replay.out() + replay.err());
    assertTrue(replay.out().startsWith("clean "), replay.out());
    assertTrue(replay.out().contains("ROUTER     candidate 25 → 0 % (break-glass rollback"), replay.out());
    assertTrue(replay.out().contains("END        ROLLED_BACK"), replay.out());
  }

  @Test
  void replayReplaysEveryStoredHistoryWhateverWorkflowTypeWroteIt() throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("replay", "--quiet"));
    try (var files = Files.list(Path.of("../workflows/src/test/resources/histories"))) {
      files.filter(f -> f.toString().endsWith(".json")).sorted().forEach(f -> args.add(f.toString()));
    }
    CliRun r = ripcord(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains((args.size() - 2) + " of " + (args.size() - 2) + " histories replay clean"), r.out());
    assertTrue(args.stream().anyMatch(a -> a.endsWith("ledger-labels-checked.json")), "the ledger's history too");
  }

  @Test
  void replayVerboseShowsEachWindowsObservationAndVerdict() throws Exception {
    String history = "../workflows/src/test/resources/histories/rollback-approved.json";
    CliRun r = ripcord("replay", "--verbose", history);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("[canary] continue — hallucination-limit pending: hallucination 30.0/10k > 8.0/10k"),
        r.out());
    assertTrue(r.out().contains("window 2 ") && r.out().contains("[canary] rollback-after-approval —"
        + " hallucination-limit fired"), r.out());
    assertTrue(r.out().contains("\"hallucination\":{\"candidate\":{\"events\":30,\"trials\":10000}"), r.out());

    CliRun json = ripcord("replay", "--verbose", "--output", "json", history);
    var windows = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).get(0).get("windows");
    assertEquals(2, windows.size(), json.out());
    assertEquals("rollback-after-approval", windows.get(1).get("verdict").asText());
    assertEquals(30, windows.get(1).at("/observation/signals/hallucination/candidate/events").asInt());
  }

  @Test
  void replayNamesTheOffendingEventOfANonDeterministicHistory() throws Exception {
    Path good = Path.of("../workflows/src/test/resources/histories/rollback-approved.json");
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, Files.readString(good).replaceFirst("\"SetWeight\"", "\"SetRoute\""));
    CliRun r = ripcord("replay", "--quiet", good.toString(), bad.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("clean     " + good), r.out());
    assertTrue(r.out().contains("NOT CLEAN " + bad), r.out());
    assertTrue(r.out().contains("SetRoute"), r.out());
    assertTrue(r.out().contains("1 of 2 histories replay clean"), r.out());
  }

  @Test
  void policyValidateExitsOneAndListsEveryProblem() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, Files.readString(Path.of("../examples/image-generator.yaml"))
        .replace("weight: 20,", "weight: 1,").replace("[trust-and-safety, on-call]", "[trust-and-safety, nobody]"));
    CliRun r = ripcord("policy", "validate", "../examples/image-generator.yaml", bad.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("image-generator.yaml: ok (release release-studio-image-diff-3-1"), r.out());
    assertTrue(r.out().matches("(?s).*image-generator.yaml: ok \\(.*, bundle:[0-9a-f]{64}\\).*"),
        "the bundle id is named: " + r.out());
    assertTrue(r.out().contains("$.stages[2].weight: weights not increasing: 1 after 2"), r.out());
    assertTrue(r.out().contains("$.governance.decisions.rollback.roles[1]: missing role 'nobody'"), r.out());
    assertEquals(0, ripcord("policy", "validate", "../examples/data-augmentation.yaml").code());
  }

  @Test
  void policyValidateWarnsWhereOnePersonHoldsEveryRoleButStillExitsZero() throws Exception {
    Path one = tmp.resolve("one-person.yaml");
    Files.writeString(one, Files.readString(Path.of("../examples/conversational-agent.yaml"))
        .replaceAll("\\[(alice|bob|carol|erin)@example.com(, dave@example.com)?]", "[root@example.com]")
        .replace("      requireRoles: [safety-lead, product-owner]\n", ""));
    CliRun r = ripcord("policy", "validate", one.toString());
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("warning: $.governance.roles: 'root@example.com' holds every role"), r.out());
    CliRun json = ripcord("policy", "validate", "--output", "json", one.toString());
    var warnings = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).get("warnings");
    assertEquals("$.governance.roles", warnings.get(0).get("path").asText(), json.out());
  }

  @Test
  void usageErrorsExitTwoAndUnreachableTemporalExitsThree() {
    assertEquals(2, ripcord("approve").code());
    CliRun badOutcome = ripcord("investigate", "release-x-y", "--by", "a@example.com", "--outcome", "maybe");
    assertEquals(2, badOutcome.code(), "checked before connecting");
    assertTrue(badOutcome.err().contains("'outcome' must be one of [continue, rollback, hold]"), badOutcome.err());
    CliRun r = ripcord("status", "release-x-y", "--address", "127.0.0.1:1");
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("cannot reach Temporal"), r.err());
  }

  @Test
  void aReleaseIsNeverStartedFromAnInvalidPolicy() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "apiVersion: ripcord/v1\nrelease: {model: m}\n");
    // The address is unreachable: an exit 1 (not 3) shows validation stopped it before any connection.
    CliRun r = ripcord("release", "start", "--policy", bad.toString(), "--address", "127.0.0.1:1");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("$.release.candidate: is required"), r.err());
  }

  @Test
  void observationsComeBackOutOfAHistoryForABacktestOfARevisedPolicy() throws Exception {
    CliRun obs = ripcord("history", "observations", "../workflows/src/test/resources/histories/demo-automatic-rollback.json");
    assertEquals(0, obs.code(), obs.err());
    Path file = tmp.resolve("incident.jsonl");
    Files.writeString(file, obs.out());
    assertEquals(45, obs.out().lines().count(), "the demo evaluated 45 windows");
    // The revised policy (with the mixture SPRT) would have acted at the first window of the bad stage, 44.
    CliRun bt = ripcord("backtest", "--policy", revisedForValueWindows().toString(), "--observations", file.toString());
    assertEquals(0, bt.code(), bt.err());
    assertTrue(bt.out().contains("first action rollback at window 44"), bt.out().lines().reduce((a, b) -> b).orElse(""));
  }

  @Test
  void observationsReadAsLocalActivitiesComeBackFromTheirMarkers() throws Exception {
    Path h = Path.of("../workflows/src/test/resources/histories/local-reads-automatic-rollback.json");
    CliRun obs = ripcord("history", "observations", h.toString());
    assertEquals(0, obs.code(), obs.err());
    List<String> lines = obs.out().lines().toList();
    assertEquals(11, lines.size(), "one per evaluated window:\n" + obs.out());
    var last = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertEquals(30, last.at("/signals/hallucination/candidate/events").asInt(), last.toString());
    CliRun review = ripcord("review", h.toString());
    assertTrue(review.out().contains("- **hallucination-limit**: window 10"), review.out());
  }

  @Test
  void aDrillRunsThePlaybookClosesItsHumanStepsAfterTheirDeadlinesAndFinishesInSeconds() throws Exception {
    CliRun r = ripcord("drill", "--policy", "../examples/summarizer-prometheus.yaml", "--scenario",
        "../examples/drills/summarizer-unsupported-claims-playbook.yaml");
    assertEquals(0, r.code(), r.out() + r.err());
    for (String expected : List.of("playbook started", "snapshot-evidence 'evidence' done: evidence stored: rehearsed",
        "data-rule 'hold-outputs' done", "acknowledge 'ack' not done by", "escalated to [safety-lead]",
        "carol@example.com: acknowledge 'ack' done", "regulator-report 'regulator' is still open",
        "alice@example.com: regulator-report 'regulator' done", "playbook finished: page done, evidence done,"
        + " hold-outputs done, recovered done, ack done, regulator done")) {
      assertTrue(r.out().contains(expected), expected + " in:\n" + r.out());
    }
  }

  @Test
  void aDrillWhoseDecisionNobodyCanAnswerStopsAtOnceAndSaysWhy() throws Exception {
    Path policy = tmp.resolve("hold.yaml");
    String example = Files.readString(Path.of("../examples/conversational-agent.yaml"));
    String held = example.replace("      onTimeout: rollback\n      escalation: [{after: 10m, roles: [incident-commander]}]",
        "      onTimeout: hold\n      unsafe: {reason: \"a drill of an approval nobody answers\"}");
    assertTrue(!held.equals(example), "the example still has the rollback right's escalation");
    Files.writeString(policy, held);
    Path scenario = tmp.resolve("nobody.yaml");
    Files.writeString(scenario, Files.readString(Path.of("../examples/drills/nobody-answers-incident-commander-decides"
        + ".yaml")).replaceAll("(?ms)^people:.*?(?=^expect:)", ""));
    long t0 = System.nanoTime();
    CliRun r = ripcord("drill", "--policy", policy.toString(), "--scenario", scenario.toString(), "--output", "json");
    long seconds = (System.nanoTime() - t0) / 1_000_000_000;
    assertEquals(1, r.code(), r.out() + r.err());
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    assertEquals(false, json.get("passed").asBoolean());
    assertEquals("AWAITING_ROLLBACK_APPROVAL", json.get("state").asText(), r.out());
    String first = json.get("checks").get(0).asText();
    assertTrue(first.contains("stopped when the release asked: nobody in the scenario answers 'rollback' and its"
        + " deadline holds (onTimeout: hold)") && first.contains("add people: [{right: rollback"), first);
    assertTrue(r.err().contains("AWAITING_ROLLBACK_APPROVAL"), "progress on stderr: " + r.err());
    assertTrue(seconds < 120, "stopped at once, not at the 5-minute wall limit: " + seconds + " s");
  }

  @Test
  void aDrillOfASlowerCandidateIsCaughtFromItsLatencyHistogramsOnceExposed() throws Exception {
    CliRun r = ripcord("drill", "--policy", "../examples/conversational-agent.yaml", "--scenario",
        "../examples/drills/latency-regression-on-call-approves.yaml");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("PASS  criterion latency-regression fired"), r.out());
    assertTrue(r.out().contains("latency-regression fired: latency_ms p99 candidate ") && r.out().contains(
        "mSPRT on the share beyond it against 1.00 % since stage 'canary'"), r.out());
  }

  @Test
  void drillsPassAndFailOnTheirExpectationsSoTeamsCanKeepThemInCi() throws Exception {
    CliRun passed = ripcord("drill", "--policy", "../examples/conversational-agent.yaml", "--scenario",
        "../examples/drills/utility-drift-safety-lead-approves.yaml");
    assertEquals(0, passed.code(), passed.out() + passed.err());
    assertTrue(passed.out().contains("APPROVAL  alice@example.com: approved rollback"), passed.out());
    assertTrue(passed.out().contains("PASS  criterion utility-drift fired"), passed.out());

    Path strict = tmp.resolve("strict.yaml");
    Files.writeString(strict, Files.readString(Path.of("../examples/drills/hallucinations-when-exposed.yaml"))
        .replace("within: 10m", "within: 30s"));
    CliRun failed = ripcord("drill", "--policy", "../examples/conversational-agent.yaml", "--scenario", strict.toString());
    assertEquals(1, failed.code(), failed.out());
    assertTrue(failed.out().contains("FAIL  rolled back 1m after stage 'early' began (expected within 30s)"),
        failed.out());
    assertTrue(failed.out().contains("drill FAILED"));
  }

  @Test
  void aFrozenDrillChecksTheReleaseFrozeAndPeopleDecided() throws Exception {
    CliRun r = ripcord("drill", "--policy", "../examples/conversational-agent.yaml", "--scenario",
        "../examples/drills/frozen-past-the-point-of-no-return.yaml");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("PASS  froze instead of rolling back: ROLLING_OUT → FROZEN"), r.out());
    assertTrue(r.out().contains("NOTIFY  frozen sent to #support-chat-releases: PAGE [safety-lead, on-call]"), r.out());
    // Under V2 arithmetic the mSPRT reads the step after 163 healthy windows as dispersion at first and fires one
    // window after the limit; the person approves the rollback the frozen release was waiting for.
    assertTrue(r.out().contains("STATE  FROZEN → ROLLING_BACK: rollback of [hallucination-limit] approved by"
        + " alice@example.com"), r.out());
    assertTrue(r.out().contains("hallucination-vs-baseline fired"), r.out());
  }

  @Test
  void aBreakGlassDrillChecksTheCandidateWentStraightToZero() throws Exception {
    CliRun r = ripcord("drill", "--policy", "../examples/conversational-agent.yaml", "--scenario",
        "../examples/drills/break-glass-hallucinations.yaml");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("PASS  break-glass rollback: break-glass criteria [hallucination-vs-baseline] fired"),
        r.out());
    assertTrue(r.out().contains("break-glass rollback: candidate straight to 0 %, staged holds skipped: candidate"
        + " 25 → 0 %"), r.out());
    Path staged = tmp.resolve("staged.yaml");
    Files.writeString(staged, Files.readString(Path.of("../examples/conversational-agent.yaml"))
        .replace("    breakGlass: true", ""));
    CliRun notBroken = ripcord("drill", "--policy", staged.toString(), "--scenario",
        "../examples/drills/break-glass-hallucinations.yaml");
    assertEquals(1, notBroken.code(), notBroken.out());
    assertTrue(notBroken.out().contains("FAIL  the rollback was staged, not break-glass (expected break-glass)"),
        notBroken.out());
  }

  @Test
  void aDrillScheduleIsCheckedBeforeAnyConnection() {
    // The address is unreachable: an exit 2 shows the arguments were refused before connecting.
    CliRun tooOften = ripcord("drill", "schedule", "--policy", "../examples/conversational-agent.yaml", "--scenario",
        "../examples/drills/hallucinations-when-exposed.yaml", "--every", "500ms", "--address", "127.0.0.1:1");
    assertEquals(2, tooOften.code(), tooOften.out() + tooOften.err());
    assertTrue(tooOften.err().contains("--every '500ms' is not a duration of at least 1s"), tooOften.err());
    assertEquals(2, ripcord("drill").code(), "a drill needs a policy and a scenario");
    CliRun unreachable = ripcord("drill", "schedule", "--policy", "../examples/conversational-agent.yaml", "--scenario",
        "../examples/drills/hallucinations-when-exposed.yaml", "--every", "24h", "--address", "127.0.0.1:1");
    assertEquals(3, unreachable.code(), unreachable.out() + unreachable.err());
  }

  @Test
  void aMalformedDrillNamesTheFieldAndTheFix() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "name: x\nsignals:\n  halucination: {baseline: 0.001, candidate: 0.001, from: nowhere}\n"
        + "people:\n  - {decision: maybe, right: rollback, by: a@example.com, after: soon}\nexpect: {state: FINE}\n");
    CliRun r = ripcord("drill", "--policy", "../examples/conversational-agent.yaml", "--scenario", bad.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("$.signals.halucination: unknown signal"), r.err());
    assertTrue(r.err().contains("$.people[0].decision: 'maybe' (hint: approve or reject)"), r.err());
    assertTrue(r.err().contains("$.people[0].after: 'soon' is not a duration"), r.err());
    assertTrue(r.err().contains("$.expect.state: 'FINE' (hint: ROLLED_BACK or COMPLETED)"), r.err());
  }

  @Test
  void aReviewListsThePlaybooksStepOutcomesAndFlagsTheLateOnes() throws Exception {
    CliRun r = ripcord("review", "../workflows/src/test/resources/histories/playbook-acknowledged.json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("## Playbook"), r.out());
    assertTrue(r.out().contains("- **evidence** (snapshot-evidence): done at +2m1s — evidence stored: "
        + "evidence://release-chat-v2/"), r.out());
    assertTrue(r.out().contains("- **ack** (acknowledge, owners [on-call]): done by alice@example.com at +18m1s, due"
        + " +17m1s (59s late, escalated) — escalated to me, on it"), r.out());
    assertTrue(r.out().contains("- playbook step 'ack' was closed 59s after its deadline"), r.out());
    CliRun old = ripcord("review", "../workflows/src/test/resources/histories/rollback-approved.json");
    assertFalse(old.out().contains("## Playbook"), "no playbook section for a release without one");
  }

  @Test
  void aBreakGlassRollbackIsMarkedInTheReview() throws Exception {
    CliRun r = ripcord("review", "../workflows/src/test/resources/histories/break-glass-person-rolled-back.json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("| outcome | ROLLED_BACK (**break-glass**) |"), r.out());
    assertTrue(r.out().contains("| break-glass | break-glass rollback by carol@example.com — \"hallucinating 7x\": "
        + "candidate to 0 % in one step, staged holds skipped |"), r.out());
    assertTrue(r.out().contains("BREAK_GLASS carol@example.com: break-glass rollback at 25 %"), r.out());
    CliRun staged = ripcord("review", "../workflows/src/test/resources/histories/rollback-approved.json");
    assertFalse(staged.out().contains("break-glass"), "a staged rollback is not marked");
  }

  @Test
  void reviewsAnIncidentWithPeoplesDecisionsAndARevisedPolicy() throws Exception {
    CliRun approved = ripcord("review", "../workflows/src/test/resources/histories/rollback-approved.json");
    assertEquals(0, approved.code(), approved.err());
    assertTrue(approved.out().startsWith("# Incident review: release-chat-v2"), approved.out());
    assertTrue(approved.out().contains("| outcome | ROLLED_BACK |"), approved.out());
    assertTrue(approved.out().contains("- alice@example.com (safety-lead): approved rollback — \"confirmed in samples\""
        + " after "), approved.out());
    assertTrue(approved.out().contains("- **hallucination-limit**: window "), approved.out());

    CliRun revised = ripcord("review", "../workflows/src/test/resources/histories/demo-automatic-rollback.json",
        "--policy", revisedForValueWindows().toString(), "--output", "json");
    assertEquals(0, revised.code(), revised.err());
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(revised.out());
    assertEquals(44, json.path("revised").path("firstActionWindow").asInt());
    assertEquals("1 window(s) earlier than the original", json.path("revised").path("comparedWithOriginal").asText());
    assertEquals("2m", json.path("timeToMitigate").asText());
    assertTrue(json.path("timeToDetect").asText().startsWith("1m from the first divergence"),
        json.path("timeToDetect").asText());
  }

  /**
   * The example policy (as it was when the demo history was recorded) as a revision of the demo's: that history's
   * windows carry utility and latency as values only (they predate scored windows), which the example's tests would
   * rightly call no evidence; the revision judges
   * utility by the threshold the demo's policy had, so the backtest shows what the mixture SPRT adds.
   */
  private Path revisedForValueWindows() throws Exception {
    Path p = tmp.resolve("revised.yaml");
    String example = Files.readString(Path.of("src/test/resources/policies/conversational-agent-value-windows.yaml"));
    String revised = example.replace("when: {signal: utility_score, baselineRatioBelow: 0.97, test: msprt}",
        "when: {signal: utility_score, baselineRatioBelow: 0.95}\n    sustain: {windows: 3, of: 5}");
    assertTrue(!revised.equals(example), "the example still has its test of means");
    Files.writeString(p, revised);
    return p;
  }
}
