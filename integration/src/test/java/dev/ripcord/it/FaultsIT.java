package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Proc;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.ReleaseSpec;
import dev.ripcord.workflows.policy.RollbackSpec;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing is lost when processes die: the worker is killed with SIGKILL at several points of a staged rollback and
 * started again, the dev server is stopped and started mid-bake, and the router answers 500s for minutes. The
 * reference gateway records every change with its idempotency key, so "applied exactly once" is checked, not assumed.
 */
class FaultsIT {
  static DevServer server;
  static WorkerProcess worker;
  static ReferenceGateway gateway;

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

  /** Canary at 20 %, rolled back in two steps (10 % held 4 s, then 0 %), pushed observations every 1 s window. */
  private static ReleasePolicy policy(String model, UnaryOperator<PolicyBuilder> edit) {
    ReleasePolicy base = edit.apply(PolicyBuilder.chat().pushed().interval("1s").inconclusive(1000, null)
        .promotesOnTime()
            .stage("canary", 20, "10m")
            .rollbackSteps(new RollbackSpec.Step(10, "4s"), new RollbackSpec.Step(0, null))
            .webhook(gateway.hookUrl(model)))
        .build();
    return new ReleasePolicy(base.apiVersion(), new ReleaseSpec(model, "v2", "v1", null, null),
        new RouterSpec("http", gateway.url(), model), base.observations(), base.evaluation(), base.stages(),
        base.signals(), base.criteria(), base.governance(), base.rollback(), base.notifications());
  }

  private static ReleaseWorkflow startAndBreach(ReleasePolicy p) {
    ReleaseWorkflow wf = Releases.start(server.client(), p);
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
    wf.observe(Releases.window("canary", 40));
    wf.observe(Releases.window("canary", 40));
    return wf;
  }

  private static List<ReferenceGateway.Change> changes(String route) {
    return gateway.changes().stream().filter(c -> c.route().equals(route)).toList();
  }

  /** Each step applied exactly once, in order: stage 20 %, rollback 10 %, 0 %; every key distinct. */
  private static void assertStepsAppliedOnce(String route) {
    List<ReferenceGateway.Change> c = changes(route);
    assertEquals(List.of(20, 10, 0), c.stream().map(x -> x.weights().get("v2")).toList(), c.toString());
    assertEquals(3, c.stream().map(ReferenceGateway.Change::key).distinct().count(), c.toString());
  }

  private static void restartWorkerAfterKill() throws InterruptedException {
    worker.kill9();
    assertTrue(!worker.alive(), "the worker is gone");
    Thread.sleep(1000);
    worker.start();
  }

  @Test
  void workerKilledDuringARouterCallResumesAndTheRouterAppliesTheStepOnce() throws Exception {
    ReleasePolicy p = policy("kill-in-call", b -> b);
    gateway.stallNextPut(Duration.ofSeconds(6)); // after the canary's own PUT, which happens at start
    ReleaseWorkflow wf = Releases.start(server.client(), p);
    String stageKey = gateway.awaitStalled(Duration.ofSeconds(30)); // the canary PUT itself stalls: kill now
    assertNotNull(stageKey, "the router received the stage change");
    restartWorkerAfterKill();
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(60));

    gateway.stallNextPut(Duration.ofSeconds(6));
    wf.observe(Releases.window("canary", 40));
    wf.observe(Releases.window("canary", 40));
    String rollbackKey = gateway.awaitStalled(Duration.ofSeconds(30));
    assertNotNull(rollbackKey, "the router received the first rollback step");
    restartWorkerAfterKill();

    ReleaseReport r = Releases.result(wf, Duration.ofSeconds(120));
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    assertStepsAppliedOnce("kill-in-call");
    assertTrue(gateway.putsWithKey(stageKey) >= 2 && gateway.putsWithKey(rollbackKey) >= 2,
        "the calls cut by the kill were retried under the same keys: " + gateway.putsWithKey(stageKey) + ", "
            + gateway.putsWithKey(rollbackKey));
    assertTrue(r.audit().stream().filter(e -> e.message().contains("already applied by the router")).count() >= 2,
        r.audit().toString());
  }

  @Test
  void workerKilledBetweenRollbackStepsFinishesTheRollbackWithoutRepeatingAStep() throws Exception {
    ReleasePolicy p = policy("kill-between", b -> b);
    ReleaseWorkflow wf = startAndBreach(p);
    Proc.eventually("the first rollback step applied", Duration.ofSeconds(30),
        () -> gateway.weight("kill-between", "v2") == 10, () -> changes("kill-between").toString());
    restartWorkerAfterKill(); // during the 4 s hold before the next step

    ReleaseReport r = Releases.result(wf, Duration.ofSeconds(120));
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    assertStepsAppliedOnce("kill-between");
  }

  @Test
  void workerKilledWhileWaitingForApprovalLosesNoApproval() throws Exception {
    ReleasePolicy p = policy("kill-approval", b -> b.hallucinationLimit(8, "rollback-after-approval", 2, 3));
    ReleaseWorkflow wf = startAndBreach(p);
    Releases.awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL, Duration.ofSeconds(30));
    worker.kill9();
    // The approval arrives while no worker runs: Temporal keeps it in the history until one does.
    wf.approve(Releases.json(Map.of("by", "alice@example.com", "role", "safety-lead", "comment", "sent while down")));
    Thread.sleep(2000);
    worker.start();

    ReleaseReport r = Releases.result(wf, Duration.ofSeconds(120));
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    AuditEntry approval = r.audit().stream().filter(e -> e.kind().equals("APPROVAL")).findFirst().orElseThrow();
    assertEquals("alice@example.com", approval.actor());
    assertTrue(approval.message().contains("sent while down"), approval.message());
    assertEquals(List.of(20, 10, 0), changes("kill-approval").stream().map(c -> c.weights().get("v2")).toList());
  }

  @Test
  void devServerRestartedMidBakeAndTheReleaseCarriesOn() throws Exception {
    ReleasePolicy p = policy("server-restart", b -> b.stage("full", 100, "2s"));
    ReleasePolicy shortCanary = new ReleasePolicy(p.apiVersion(), p.release(), p.router(), p.observations(),
        p.evaluation(), List.of(new dev.ripcord.workflows.policy.StageSpec("canary", 20, "12s", null, null),
            p.stages().get(p.stages().size() - 1)), p.signals(), p.criteria(), p.governance(), p.rollback(),
        p.notifications());
    ReleaseWorkflow wf = Releases.start(server.client(), shortCanary);
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
    Thread.sleep(3000);
    server.stop();
    Thread.sleep(3000);
    server.start(); // same ports, same SQLite file
    assertTrue(worker.alive(), "the worker rode out the outage");

    ReleaseReport r = Releases.result(wf, Duration.ofSeconds(120));
    assertEquals(ReleaseState.COMPLETED, r.state(), r.audit().toString());
    assertEquals(List.of(20, 100), changes("server-restart").stream().map(c -> c.weights().get("v2")).toList());
  }

  @Test
  void aRouterAnswering500sForMinutesIsRetriedEscalatedAndReportedTruthfully() throws Exception {
    ReleasePolicy p = policy("router-down", b -> b);
    ReleaseWorkflow wf = Releases.start(server.client(), p);
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
    gateway.setDown(true);
    long downAt = System.nanoTime();
    wf.observe(Releases.window("canary", 40));
    wf.observe(Releases.window("canary", 40));

    // One round of retries (about a minute of backoff) fails: the release says so and escalates.
    String[] last = {""};
    Proc.eventually("an escalation about the router", Duration.ofSeconds(150), () -> {
      last[0] = gateway.messages().toString();
      return gateway.messages().stream().anyMatch(m -> m.hook().equals("router-down")
          && "escalation".equals(m.event()) && m.text().contains("router is not accepting"));
    }, () -> last[0]);
    var status = wf.status();
    assertEquals(ReleaseState.ROLLING_BACK, status.state());
    assertEquals(20, gateway.weight("router-down", "v2"), "nothing changed at the router");
    assertTrue(wf.audit().stream().anyMatch(e -> e.kind().equals("ACTION_FAILED")
        && e.message().contains("candidate still at 20 %")), wf.audit().toString());

    gateway.setDown(false);
    ReleaseReport r = Releases.result(wf, Duration.ofSeconds(150));
    long downFor = Duration.ofNanos(System.nanoTime() - downAt).toSeconds();
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    assertTrue(downFor >= 60, "the router was down for over a minute: " + downFor + " s");
    assertStepsAppliedOnce("router-down");
  }
}
