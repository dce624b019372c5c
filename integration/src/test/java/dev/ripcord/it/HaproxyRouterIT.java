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
import dev.ripcord.workflows.policy.Stickiness;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code router.type: haproxy} against a real HAProxy in front of two HTTP backends: weights set and read back
 * through the Runtime API, and the requests each backend really serves follow them, at every stage and after a
 * rollback, both when the router is called directly and when a release on the dev server drives it; with sticky users
 * each user's requests stay on one version.
 */
class HaproxyRouterIT {
  private static final int REQUESTS = 400;
  private static final int USERS = 600;
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

  /**
   * Sticky users: every user's requests land on one version at every stage, the share of users on the candidate
   * follows its weight (to within the consistent-hashing ring's imbalance: at most 15 % of the smaller arm's share,
   * beside the users' own chance), and a user on the candidate stays on it as its weight grows.
   */
  @Test
  void stickyUsersStayOnOneVersionAndFollowTheWeights() throws Exception {
    try (Haproxy h = Haproxy.sticky("v1", "v2")) {
      RouterSpec spec = new RouterSpec("haproxy", h.runtimeApi(), "models", null,
          new Stickiness(Haproxy.USER_HEADER, null));
      Random rnd = new Random(7);
      List<String> users = IntStream.range(0, USERS).mapToObj(i -> Long.toHexString(rnd.nextLong())).toList();
      Set<String> before = Set.of();
      int from = 0;
      int seq = 0;
      for (int to : new int[] {5, 25, 50, 100, 10, 0}) {
        router.setWeight(new WeightCommand("release-chat-v2", spec, "v2", "v1", from, to, "release-chat-v2/" + ++seq,
            "stage"));
        Map<String, Set<String>> served = h.sendAs(users, 2);
        assertEquals(USERS, served.size(), "every user was served");
        List<String> split = served.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey)
            .toList();
        assertTrue(split.isEmpty(), "at " + to + " %, users served by both versions: " + split);
        Set<String> onCandidate = served.entrySet().stream().filter(e -> e.getValue().contains("v2"))
            .map(Map.Entry::getKey).collect(Collectors.toSet());
        double expected = USERS * to / 100.0;
        double tolerance = 4 * Math.sqrt(expected * (1 - to / 100.0)) + 0.15 * USERS * Math.min(to, 100 - to) / 100.0;
        assertTrue(Math.abs(onCandidate.size() - expected) <= tolerance, "at " + to + " %, " + onCandidate.size()
            + " of " + USERS + " users on the candidate (expected " + expected + " ± " + tolerance + ")");
        if (to > from) {
          Set<String> moved = new TreeSet<>(before);
          moved.removeAll(onCandidate);
          assertTrue(moved.isEmpty(), "from " + from + " to " + to + " %, users moved off the candidate: " + moved);
        }
        before = onCandidate;
        from = to;
      }
    }
  }

  @Test
  void aMisconfiguredTargetIsAClearErrorOfTheRightKind() throws Exception {
    try (Haproxy h = new Haproxy("v1", "v2")) {
      ApplicationFailure notSticky = assertThrows(ApplicationFailure.class, () -> router.setWeight(new WeightCommand(
          "release-chat-v2", new RouterSpec("haproxy", h.runtimeApi(), "models", null, new Stickiness("X-User-Id", null)),
          "v2", "v1", 0, 5, "release-chat-v2/1", "stage")));
      assertEquals(RouterFailures.REJECTED, notSticky.getType());
      assertTrue(notSticky.getOriginalMessage().contains("; configure it with"
          + " 'balance hdr(X-User-Id)' and 'hash-type consistent'"), notSticky.getOriginalMessage());
      assertEquals(0, router.readWeight(new RouterSpec("haproxy", h.runtimeApi(), "models"), "v2"), "nothing changed");
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

  /** The policy's stickiness travels through the workflow to the router: a sticky backend is driven, users stay put. */
  @Test
  void aStickyReleaseOnTheDevServerKeepsEachUserOnOneVersion() throws Exception {
    try (Haproxy h = Haproxy.sticky("v1", "v2"); DevServer server = new DevServer();
        WorkerProcess worker = new WorkerProcess(server)) {
      RouterSpec sticky = new RouterSpec("haproxy", h.runtimeApi(), "models", null,
          new Stickiness(Haproxy.USER_HEADER, null));
      ReleasePolicy p = PolicyBuilder.chat().model("haproxy-sticky").pushed().interval("1s").inconclusive(1000, null)
          .promotesOnTime().router(sticky).stage("canary", 10, "60s").stage("full", 100, "2s").build();
      ReleaseWorkflow wf = Releases.start(server.client(), p);
      Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
      assertEquals(10, router.readWeight(sticky, "v2"));
      List<String> users = IntStream.range(0, 200).mapToObj(i -> "user-" + Integer.toHexString(i * 7919)).toList();
      Map<String, Set<String>> served = h.sendAs(users, 3);
      assertTrue(served.values().stream().allMatch(v -> v.size() == 1), "each user on one version: " + served);
      long onCandidate = served.values().stream().filter(v -> v.contains("v2")).count();
      assertTrue(onCandidate >= 5 && onCandidate <= 45, onCandidate + " of 200 users on the candidate at 10 %");

      wf.observe(Releases.window("canary", 40));
      wf.observe(Releases.window("canary", 40));
      ReleaseReport r = Releases.result(wf, Duration.ofSeconds(60));
      assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
      assertTrue(h.sendAs(users, 1).values().stream().allMatch(v -> v.equals(Set.of("v1"))), "all back on v1");
    }
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
