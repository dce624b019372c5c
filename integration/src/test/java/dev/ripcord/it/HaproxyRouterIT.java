package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.activities.router.HaproxyRouterActivities;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Haproxy;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.workflows.activity.RouterActivities.WeightChange;
import dev.ripcord.workflows.activity.RouterActivities.WeightCommand;
import dev.ripcord.workflows.activity.RouterFailures;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code router.type: haproxy} against a real HAProxy in front of two HTTP backends: weights set and read back
 * through the Runtime API, and the requests each backend really serves follow them, at every stage and after a
 * rollback, both when the router is called directly and when a release on the dev server drives it.
 */
class HaproxyRouterIT {
  private static final int REQUESTS = 400;
  private final HaproxyRouterActivities router = new HaproxyRouterActivities(Duration.ofSeconds(5));

  /** The candidate's served share is within four binomial standard deviations of its weight (exact at 0 and 100). */
  private static void assertSplit(Map<String, Integer> served, int candidatePercent, int n) {
    int v2 = served.get("v2");
    assertEquals(n, served.get("v1") + v2, served.toString());
    double expected = n * candidatePercent / 100.0;
    double sd = Math.sqrt(n * (candidatePercent / 100.0) * (1 - candidatePercent / 100.0));
    assertTrue(Math.abs(v2 - expected) <= 4 * sd, "candidate at " + candidatePercent + " % served " + v2 + " of " + n
        + " (expected " + expected + " ± " + 4 * sd + "): " + served);
  }

  @Test
  void weightsSetThroughTheRuntimeApiSplitRealRequests() throws Exception {
    try (Haproxy h = new Haproxy("v1", "v2")) {
      RouterSpec spec = new RouterSpec("haproxy", h.runtimeApi(), "models");
      assertSplit(h.send(200), 0, 200);
      int from = 0;
      int seq = 0;
      for (int to : new int[] {5, 25, 50, 100, 10, 0}) { // the stages, then a rollback 100 → 10 → 0
        WeightChange c = router.setWeight(new WeightCommand("release-chat-v2", spec, "v2", "v1", from, to,
            "release-chat-v2/" + ++seq, "stage"));
        assertTrue(c.applied());
        assertEquals(to, router.readWeight(spec, "v2"), "read back through 'show servers state'");
        assertSplit(h.send(REQUESTS), to, REQUESTS);
        from = to;
      }
      WeightChange again = router.setWeight(new WeightCommand("release-chat-v2", spec, "v2", "v1", 0, 0,
          "release-chat-v2/" + seq, "retry of the last step"));
      assertFalse(again.applied(), "weights already in place are not set again");
    }
  }

  @Test
  void aMisconfiguredTargetIsAClearErrorOfTheRightKind() throws Exception {
    try (Haproxy h = new Haproxy("v1", "v2")) {
      ApplicationFailure noBackend = assertThrows(ApplicationFailure.class,
          () -> router.readWeight(new RouterSpec("haproxy", h.runtimeApi(), "nope"), "v2"));
      assertEquals(RouterFailures.REJECTED, noBackend.getType());
      assertTrue(noBackend.isNonRetryable() && noBackend.getOriginalMessage().contains("no backend 'nope'"),
          noBackend.getOriginalMessage());
      ApplicationFailure noServer = assertThrows(ApplicationFailure.class,
          () -> router.readWeight(new RouterSpec("haproxy", h.runtimeApi(), "models"), "v3"));
      assertTrue(noServer.getOriginalMessage().contains("has no server 'v3' (it has [v1, v2])"),
          noServer.getOriginalMessage());
    }
    ApplicationFailure down = assertThrows(ApplicationFailure.class,
        () -> router.readWeight(new RouterSpec("haproxy", "tcp://127.0.0.1:1", "models"), "v2"));
    assertEquals(RouterFailures.UNAVAILABLE, down.getType());
    assertFalse(down.isNonRetryable(), "a router that is down is retried");
  }

  @Test
  void aReleaseOnTheDevServerRollsOutAndBackThroughHaproxy() throws Exception {
    try (Haproxy h = new Haproxy("v1", "v2"); DevServer server = new DevServer();
        WorkerProcess worker = new WorkerProcess(server)) {
      ReleasePolicy p = PolicyBuilder.chat().model("haproxy-chat").pushed().interval("1s").inconclusive(1000, null)
          .promotesOnTime()
          .router(new RouterSpec("haproxy", h.runtimeApi(), "models")).stage("canary", 10, "60s")
          .stage("full", 100, "2s").build();
      ReleaseWorkflow wf = Releases.start(server.client(), p);
      Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
      assertEquals(10, router.readWeight(p.router(), "v2"));
      assertSplit(h.send(REQUESTS), 10, REQUESTS);

      wf.observe(Releases.window("canary", 40));
      wf.observe(Releases.window("canary", 40));
      ReleaseReport r = Releases.result(wf, Duration.ofSeconds(60));
      assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
      assertEquals(0, router.readWeight(p.router(), "v2"));
      assertSplit(h.send(REQUESTS), 0, REQUESTS);
      assertTrue(r.audit().stream().anyMatch(e -> e.kind().equals("ACTION") && e.message().contains("10 → 0 %")),
          r.audit().toString());
    }
  }
}
