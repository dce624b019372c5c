package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.integration.Proc;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.TemporalCluster;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three worker processes on one task queue of the multi-shard Temporal server on PostgreSQL, under a few hundred
 * releases at once. A worker killed with SIGKILL, a rolling restart of all three (a deploy), a PostgreSQL restart and a
 * Temporal server restart, all mid-bake: every release finishes, every router step is applied exactly once (counted
 * on the router by idempotency key), and every approval sent while workers come and go is acted on.
 */
class MultiWorkerFailoverIT {
  private static final int PLAIN = 200;
  private static final int APPROVALS = 20;
  private static final List<String> JVM = List.of("-Xmx384m", "-XX:+UseSerialGC");
  static TemporalCluster cluster;
  static ReferenceGateway gateway;
  static final List<WorkerProcess> workers = new ArrayList<>();

  @BeforeAll
  static void up() throws Exception {
    cluster = new TemporalCluster();
    gateway = ReferenceGateway.start(0);
    for (int i = 0; i < 3; i++) {
      workers.add(new WorkerProcess(cluster, JVM));
    }
  }

  @AfterAll
  static void down() {
    workers.forEach(WorkerProcess::close);
    if (gateway != null) gateway.close();
    if (cluster != null) cluster.close();
  }

  /** Canary at 10 % baked for {@code bake}, then full: two router steps; no observations needed to promote. */
  private static ReleasePolicy plain(String model, String bake) {
    return PolicyBuilder.chat().model(model).router(gateway.url()).pushed().interval("10s")
        .inconclusive(1000, null).promotesOnTime().stage("canary", 10, bake).stage("full", 100, "10s").build();
  }

  /** Canary at 10 % whose breach needs a person's approval to roll back: 10 %, then 0 %. */
  private static ReleasePolicy gated(String model) {
    return PolicyBuilder.chat().model(model).router(gateway.url()).pushed().interval("10s")
        .inconclusive(1000, null).stage("canary", 10, "30m")
        .hallucinationLimit(8, "rollback-after-approval", 2, 3).build();
  }

  private static Map<String, List<Integer>> weightsByRoute(String prefix) {
    return gateway.changes().stream().filter(c -> c.route().startsWith(prefix)).collect(Collectors.groupingBy(
        ReferenceGateway.Change::route, LinkedHashMap::new,
        Collectors.mapping(c -> c.weights().get("v2"), Collectors.toList())));
  }

  /** Each route saw exactly {@code expected}, each change under a key of its own (no step applied twice). */
  private static void assertEachStepOnce(String prefix, int routes, List<Integer> expected) {
    Map<String, List<Integer>> byRoute = weightsByRoute(prefix);
    assertEquals(routes, byRoute.size(), "routes changed: " + byRoute.keySet());
    Map<String, List<Integer>> wrong = byRoute.entrySet().stream().filter(e -> !e.getValue().equals(expected))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertEquals(Map.of(), wrong, "routes whose steps were not " + expected + " exactly once");
    long changes = gateway.changes().stream().filter(c -> c.route().startsWith(prefix)).count();
    long keys = gateway.changes().stream().filter(c -> c.route().startsWith(prefix))
        .map(ReferenceGateway.Change::key).distinct().count();
    assertEquals(changes, keys, "one idempotency key per applied change");
  }

  private static void awaitCanaryEverywhere(String prefix, int routes) {
    Proc.eventually(routes + " canaries at 10 %", Duration.ofSeconds(180),
        () -> weightsByRoute(prefix).size() == routes, () -> weightsByRoute(prefix).size() + " so far");
  }

  private static void approve(ReleaseWorkflow wf, String who) {
    wf.approve(Releases.json(Map.of("by", who, "role", "safety-lead", "comment", "approved during a deploy")));
  }

  @Test
  void aKilledWorkerAndARollingRestartOfAllThreeLoseNoStepNoApprovalAndNoRelease() throws Exception {
    List<ReleaseWorkflow> plain = new ArrayList<>();
    for (int i = 0; i < PLAIN; i++) {
      plain.add(Releases.start(cluster.client(), plain("fleet-" + i, "120s")));
    }
    List<ReleaseWorkflow> gated = new ArrayList<>();
    for (int i = 0; i < APPROVALS; i++) {
      gated.add(Releases.start(cluster.client(), gated("gated-" + i)));
    }
    awaitCanaryEverywhere("fleet-", PLAIN);
    awaitCanaryEverywhere("gated-", APPROVALS);
    for (ReleaseWorkflow wf : gated) {
      Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(60));
      wf.observe(Releases.window("canary", 40));
      wf.observe(Releases.window("canary", 40));
    }
    for (ReleaseWorkflow wf : gated) {
      Releases.awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL, Duration.ofSeconds(90));
    }

    workers.get(0).kill9(); // mid-bake, with every release cached on some worker
    for (int i = 0; i < APPROVALS / 2; i++) {
      approve(gated.get(i), "alice@example.com");
    }
    for (int w = 1; w < 3; w++) { // a deploy: one at a time, SIGTERM, wait for it, start it again
      WorkerProcess stopping = workers.get(w);
      assertNotEquals(-1, stopping.terminate(Duration.ofSeconds(60)), "worker " + w + " stopped within its grace");
      assertTrue(stopping.log().contains("shut down cleanly after"), "worker " + w + " drained:\n" + stopping.log());
      if (w == 1) {
        for (int i = APPROVALS / 2; i < APPROVALS; i++) {
          approve(gated.get(i), "alice@example.com");
        }
      }
      workers.get(w).start();
    }
    workers.get(0).start();

    for (ReleaseWorkflow wf : gated) {
      ReleaseReport r = Releases.result(wf, Duration.ofSeconds(180));
      assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
      assertTrue(r.audit().stream().anyMatch(e -> e.kind().equals("APPROVAL")), r.audit().toString());
    }
    for (ReleaseWorkflow wf : plain) {
      ReleaseReport r = Releases.result(wf, Duration.ofSeconds(300));
      assertEquals(ReleaseState.COMPLETED, r.state(), r.audit().toString());
    }
    assertEachStepOnce("fleet-", PLAIN, List.of(10, 100));
    assertEachStepOnce("gated-", APPROVALS, List.of(10, 0));
  }

  @Test
  void postgresAndTheTemporalServerRestartedMidBakeAndEveryReleaseCarriesOn() throws Exception {
    List<ReleaseWorkflow> releases = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      releases.add(Releases.start(cluster.client(), plain("restart-" + i, "70s")));
    }
    awaitCanaryEverywhere("restart-", 50);

    cluster.postgres.stop();
    Thread.sleep(5_000); // the server and the workers see the database gone
    cluster.postgres.start();
    Thread.sleep(10_000);
    cluster.stop();
    Thread.sleep(3_000);
    cluster.start();

    for (ReleaseWorkflow wf : releases) {
      ReleaseReport r = Releases.result(wf, Duration.ofSeconds(300));
      assertEquals(ReleaseState.COMPLETED, r.state(), r.audit().toString());
    }
    assertEachStepOnce("restart-", 50, List.of(10, 100));
  }
}
