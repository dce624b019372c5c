package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.ReleaseSpec;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A deploy's SIGTERM while a router call is in flight: the worker takes no new tasks, lets the call finish and
 * report, then exits by itself; the next worker goes on without calling the router again for that step. (Compare
 * FaultsIT, where SIGKILL cuts the call and the same key is sent twice.)
 */
class GracefulShutdownIT {

  @Test
  void sigtermLetsTheRouterCallInFlightFinishSoTheStepIsNeverSentTwice() throws Exception {
    try (DevServer server = new DevServer(); ReferenceGateway gateway = ReferenceGateway.start(0)) {
      ReleasePolicy base = PolicyBuilder.chat().pushed().interval("1s").inconclusive(1000, null).promotesOnTime()
          .stage("canary", 20, "3s").stage("full", 100, "2s").build();
      ReleasePolicy p = new ReleasePolicy(base.apiVersion(), new ReleaseSpec("graceful", "v2", "v1", null, null),
          new RouterSpec("http", gateway.url(), "graceful"), base.observations(), base.evaluation(), base.stages(),
          base.signals(), base.criteria(), base.governance(), base.rollback(), base.notifications());
      try (WorkerProcess first = new WorkerProcess(server)) {
        shutDownMidCall(server, gateway, p, first);
      }
    }
  }

  private static void shutDownMidCall(DevServer server, ReferenceGateway gateway, ReleasePolicy p, WorkerProcess first)
      throws Exception {
    gateway.stallNextPut(Duration.ofSeconds(5));
    ReleaseWorkflow wf = Releases.start(server.client(), p);
    String key = gateway.awaitStalled(Duration.ofSeconds(30));
    assertNotNull(key, "the stage's router call is in flight");

    long sent = System.nanoTime();
    int exit = first.terminate(Duration.ofSeconds(40));
    long tookMillis = (System.nanoTime() - sent) / 1_000_000;
    assertNotEquals(-1, exit, "the worker stopped by itself within its grace:\n" + first.log());
    assertTrue(first.log().contains("shut down cleanly after"), first.log());
    assertTrue(tookMillis >= 3000, "it waited for the stalled call (" + tookMillis + " ms)");

    try (WorkerProcess second = new WorkerProcess(server)) {
      // The policy promotes on time: no window is needed (sending one raced the release completing on its own).
      ReleaseReport r = Releases.result(wf, Duration.ofSeconds(60));
      assertEquals(ReleaseState.COMPLETED, r.state(), r.audit().toString());
      assertEquals(1, gateway.putsWithKey(key), "the call finished before the worker left: not sent again");
      assertTrue(r.audit().stream().noneMatch(e -> e.kind().equals("ACTION_FAILED")), r.audit().toString());
    }
  }
}
