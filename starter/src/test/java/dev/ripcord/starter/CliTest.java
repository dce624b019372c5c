package dev.ripcord.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.starter.cli.RipcordCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a person runs it: arguments in, text and an exit code out. */
class CliTest {
  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  static Run ripcord(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = RipcordCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void demoRollsBackByItselfAndItsHistoryReplaysClean() {
    Path history = tmp.resolve("demo.json");
    Run demo = ripcord("demo", "--policy", "../examples/conversational-agent.yaml", "--history", history.toString());
    assertEquals(0, demo.code(), demo.out() + demo.err());
    assertTrue(demo.out().contains("TRIGGER       hallucination-limit fired"), demo.out());
    assertTrue(demo.out().contains("Final state: ROLLED_BACK"), demo.out());
    assertTrue(demo.out().contains("Router changes applied by the gateway: [5%, 25%, 10%, 0%]"), demo.out());

    Run replay = ripcord("replay", history.toString());
    assertEquals(0, replay.code(), replay.out() + replay.err());
    assertTrue(replay.out().startsWith("clean "), replay.out());
    assertTrue(replay.out().contains("ROUTER     candidate 25 → 10 % (rollback step 1/2"), replay.out());
    assertTrue(replay.out().contains("END        ROLLED_BACK"), replay.out());
  }

  @Test
  void replayNamesTheOffendingEventOfANonDeterministicHistory() throws Exception {
    Path good = Path.of("../workflows/src/test/resources/histories/rollback-approved.json");
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, Files.readString(good).replaceFirst("\"SetWeight\"", "\"SetRoute\""));
    Run r = ripcord("replay", "--quiet", good.toString(), bad.toString());
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
    Run r = ripcord("policy", "validate", "../examples/image-generator.yaml", bad.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("image-generator.yaml: ok (release release-studio-image-diff-3-1"), r.out());
    assertTrue(r.out().contains("$.stages[2].weight: weights not increasing: 1 after 2"), r.out());
    assertTrue(r.out().contains("$.governance.decisions.rollback.roles[1]: missing role 'nobody'"), r.out());
    assertEquals(0, ripcord("policy", "validate", "../examples/data-augmentation.yaml").code());
  }

  @Test
  void usageErrorsExitTwoAndUnreachableTemporalExitsThree() {
    assertEquals(2, ripcord("approve").code());
    Run r = ripcord("status", "release-x-y", "--address", "127.0.0.1:1");
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("cannot reach Temporal"), r.err());
  }

  @Test
  void aReleaseIsNeverStartedFromAnInvalidPolicy() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "apiVersion: ripcord/v1\nrelease: {model: m}\n");
    // The address is unreachable: an exit 1 (not 3) shows validation stopped it before any connection.
    Run r = ripcord("release", "start", "--policy", bad.toString(), "--address", "127.0.0.1:1");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("$.release.candidate: is required"), r.err());
  }
}
