package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.integration.Cli;
import dev.ripcord.integration.Components;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.integration.Proc;
import dev.ripcord.workflows.activity.RouterActivities.WeightChange;
import dev.ripcord.workflows.policy.GovernanceSpec;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Finished releases of every kind on the real dev server, exported with {@code temporal workflow show -o json},
 * replay clean with {@code ripcord replay}; the same command catches a workflow change that breaks determinism.
 * The exports land in target/it-artifacts/histories; copies are kept in workflows/src/test/resources/histories
 * (real-dev-server-*.json) so the unit suite replays them on every build.
 */
class RealHistoriesIT {
  static DevServer server;
  static WorkerProcess worker;
  static ReferenceGateway gateway;
  static final Path EXPORTS = Components.artifacts().resolve("histories");

  @BeforeAll
  static void up() throws Exception {
    server = new DevServer();
    worker = new WorkerProcess(server);
    gateway = ReferenceGateway.start(0);
  }

  @AfterAll
  static void down() {
    if (gateway != null) gateway.close();
    if (worker != null) worker.close();
    if (server != null) server.close();
  }

  private static ReleasePolicy policy(String model, PolicyBuilder b) {
    return b.model(model).router(gateway.url()).pushed().interval("1s").inconclusive(1000, null).promotesOnTime()
        .stage("canary", 10, "3s").stage("full", 100, "2s").build();
  }

  private static String cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--address", server.address()));
    Cli.Run r = Cli.run(all.toArray(String[]::new));
    assertEquals(0, r.exit(), String.join(" ", args) + ":\n" + r.output());
    return r.output();
  }

  @Test
  void realExportsOfEveryOutcomeReplayCleanAndABreakingChangeIsCaught() throws Exception {
    List<Path> exports = new ArrayList<>();

    ReleasePolicy completed = policy("hist-completed", PolicyBuilder.chat());
    ReleaseWorkflow wf = Releases.start(server.client(), completed);
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
    wf.observe(Releases.window("canary", 5));
    assertEquals(ReleaseState.COMPLETED, Releases.result(wf, Duration.ofSeconds(60)).state());
    exports.add(server.export(completed.releaseId(), EXPORTS.resolve("real-dev-server-completed.json")));

    ReleasePolicy automatic = policy("hist-rollback", PolicyBuilder.chat());
    wf = Releases.start(server.client(), automatic);
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
    wf.observe(Releases.window("canary", 40));
    wf.observe(Releases.window("canary", 40));
    assertEquals(ReleaseState.ROLLED_BACK, Releases.result(wf, Duration.ofSeconds(60)).state());
    exports.add(server.export(automatic.releaseId(), EXPORTS.resolve("real-dev-server-automatic-rollback.json")));

    ReleasePolicy approved = policy("hist-approved",
        PolicyBuilder.chat().hallucinationLimit(8, "rollback-after-approval", 2, 3));
    wf = Releases.start(server.client(), approved);
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
    wf.observe(Releases.window("canary", 40));
    wf.observe(Releases.window("canary", 40));
    Releases.awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL, Duration.ofSeconds(30));
    cli("approve", approved.releaseId(), "--by", "alice@example.com", "--role", "safety-lead", "--comment",
        "confirmed");
    assertEquals(ReleaseState.ROLLED_BACK, Releases.result(wf, Duration.ofSeconds(60)).state());
    exports.add(server.export(approved.releaseId(), EXPORTS.resolve("real-dev-server-rollback-approved.json")));

    ReleasePolicy paused = policy("hist-paused", PolicyBuilder.chat());
    wf = Releases.start(server.client(), paused);
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
    cli("pause", paused.releaseId(), "--by", "carol@example.com", "--comment", "customer escalation");
    Releases.awaitState(wf, ReleaseState.PAUSED, Duration.ofSeconds(10));
    Thread.sleep(4000); // paused past the canary's bake: no promotion while paused
    assertEquals(ReleaseState.PAUSED, wf.status().state());
    cli("resume", paused.releaseId(), "--by", "alice@example.com", "--comment", "false alarm");
    assertEquals(ReleaseState.COMPLETED, Releases.result(wf, Duration.ofSeconds(60)).state());
    exports.add(server.export(paused.releaseId(), EXPORTS.resolve("real-dev-server-paused-and-resumed.json")));

    // Re-released with `ripcord rerelease`: the rolled-back run continues as new into the fixed candidate's run.
    ReleasePolicy rereleased = policy("hist-rerelease", PolicyBuilder.chat()
        .right("rerelease", new GovernanceSpec.DecisionRight(List.of("safety-lead"), "1h", null)));
    ReleaseWorkflow first = Releases.start(server.client(), rereleased);
    String firstRun = WorkflowStub.fromTyped(first).getExecution().getRunId();
    wf = server.client().newWorkflowStub(ReleaseWorkflow.class, rereleased.releaseId());
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
    wf.observe(Releases.window("canary", 40));
    wf.observe(Releases.window("canary", 40));
    Releases.awaitState(wf, ReleaseState.ROLLED_BACK, Duration.ofSeconds(30));
    ReleaseWorkflow open = wf;
    Proc.eventually("open for a re-release", Duration.ofSeconds(10),
        () -> open.status().line().contains("re-release possible until"), () -> open.status().line());
    String out = cli("rerelease", rereleased.releaseId(), "--by", "alice@example.com", "--candidate", "v3",
        "--eval-report", "eval-13", "--comment", "grounding fix");
    assertTrue(out.contains("rerelease accepted from alice@example.com (safety-lead)"), out);
    Proc.eventually("the fixed candidate's run", Duration.ofSeconds(30),
        () -> "v3".equals(open.status().candidate()) && open.status().state() == ReleaseState.ROLLING_OUT,
        () -> open.status().line());
    wf.observe(Releases.window("canary", 5));
    ReleaseReport fixed = Releases.result(wf, Duration.ofSeconds(60));
    assertEquals(ReleaseState.COMPLETED, fixed.state());
    List<String> keys = fixed.actions().stream().map(WeightChange::idempotencyKey).toList();
    assertEquals(keys.size(), keys.stream().distinct().count(), keys.toString());
    assertTrue(fixed.audit().stream().anyMatch(e -> e.message().startsWith("re-release 1 of hist-rerelease")
        || e.message().contains("rolled back in run " + firstRun)), fixed.audit().toString());
    exports.add(server.export(rereleased.releaseId(), firstRun, EXPORTS.resolve("real-dev-server-rerelease-first-run.json")));
    exports.add(server.export(rereleased.releaseId(), EXPORTS.resolve("real-dev-server-rerelease-fixed-run.json")));

    List<String> args = new ArrayList<>(List.of("replay", "--quiet"));
    exports.forEach(p -> args.add(p.toString()));
    Cli.Run clean = Cli.run(args.toArray(String[]::new));
    assertEquals(0, clean.exit(), clean.output());
    assertTrue(clean.output().contains("6 of 6 histories replay clean"), clean.output());

    List<String> broken = new ArrayList<>(List.of("replay", "--quiet", "--workflow-class",
        TimerFirstReleaseWorkflow.class.getName()));
    exports.forEach(p -> broken.add(p.toString()));
    Cli.Run caught = Cli.run(List.of(Path.of("target/test-classes").toAbsolutePath().toString()),
        broken.toArray(String[]::new));
    assertEquals(1, caught.exit(), caught.output());
    assertTrue(caught.output().contains("0 of 6 histories replay clean"), caught.output());
    assertTrue(caught.output().contains("NOT CLEAN") && caught.output().contains("nondeterministic")
        || caught.output().contains("NonDeterministic"), caught.output());
  }
}
