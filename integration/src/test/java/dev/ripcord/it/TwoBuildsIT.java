package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.integration.Cli;
import dev.ripcord.integration.Proc;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.TemporalCluster;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.VersioningBehavior;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two builds of the worker side by side on the cluster (temporal-server v1.32.1 on PostgreSQL), under Worker
 * Versioning: build A current (it made itself so: the deployment had none); build B deployed and ramped to half the new releases; the ramp withdrawn (a bad build
 * rolled back) and then B made current; A stopped once nothing runs on it. Every release runs every workflow task,
 * through continue-as-new, on the build that started it, and no workflow task fails.
 */
class TwoBuildsIT {
  private static final String DEPLOYMENT = "ripcord";
  static TemporalCluster cluster;
  static ReferenceGateway gateway;
  static WorkerProcess a;
  static WorkerProcess b;

  @BeforeAll
  static void up() throws Exception {
    cluster = new TemporalCluster();
    gateway = ReferenceGateway.start(0);
  }

  @AfterAll
  static void down() {
    if (a != null) a.close();
    if (b != null) b.close();
    if (gateway != null) gateway.close();
    if (cluster != null) cluster.close();
  }

  private static WorkerProcess worker(String build) {
    return new WorkerProcess(cluster, List.of("-Xmx384m", "-XX:+UseSerialGC"),
        "--ripcord.deployment.build-id=" + build);
  }

  /** Canary at 10 % for {@code bake}, then full: promoted on time, no observations needed. */
  private static ReleasePolicy policy(String model, String bake) {
    return builder(model, bake).build();
  }

  private static PolicyBuilder builder(String model, String bake) {
    return PolicyBuilder.chat().model(model).router(gateway.url()).pushed().interval("2s")
        .inconclusive(1000, null).promotesOnTime().stage("canary", 10, bake).stage("full", 100, "4s");
  }

  /** {@code temporal worker deployment ARGS} on the cluster, retried while the version has not yet registered. */
  private static void deployment(String... args) {
    List<String> cmd = new ArrayList<>(List.of("worker", "deployment"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--deployment-name", DEPLOYMENT, "--address", cluster.address(), "--yes"));
    String[] last = {""};
    Proc.eventually("temporal " + String.join(" ", cmd), Duration.ofSeconds(60), () -> {
      Cli.Run r = Cli.runTemporal(cmd.toArray(String[]::new));
      last[0] = r.output();
      return r.exit() == 0;
    }, () -> last[0]);
  }

  /**
   * Waits until every partition of the release task queue routes new workflows as {@code routing} says (current
   * build, ramping build or empty): the server answers a routing change once the deployment recorded it, and its
   * task queue partitions learn it a moment later.
   */
  private static void awaitRouting(String current, String ramping) {
    String[] last = {""};
    Proc.eventually("routing " + current + " / " + ramping, Duration.ofSeconds(60), () -> {
      for (int partition = 0; partition < 4; partition++) {
        String name = partition == 0 ? ReleaseWorkflow.TASK_QUEUE : "/_sys/" + ReleaseWorkflow.TASK_QUEUE + "/"
            + partition;
        var info = cluster.client().getWorkflowServiceStubs().blockingStub().describeTaskQueue(
            io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest.newBuilder().setNamespace("default")
                .setTaskQueue(io.temporal.api.taskqueue.v1.TaskQueue.newBuilder().setName(name))
                .setTaskQueueType(io.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW).build())
            .getVersioningInfo();
        last[0] = name + ": " + info;
        if (!info.getCurrentDeploymentVersion().getBuildId().equals(current)
            || !info.getRampingDeploymentVersion().getBuildId().equals(ramping)) {
          return false;
        }
      }
      return true;
    }, () -> last[0]);
  }

  private static ReleaseWorkflow start(ReleasePolicy p) {
    return Releases.start(cluster.client(), p);
  }

  /** The build each run's workflow tasks completed on, across every run of the release. */
  private static TreeSet<String> builds(String releaseId) {
    var builds = new TreeSet<String>();
    for (HistoryEvent e : events(releaseId)) {
      if (e.hasWorkflowTaskCompletedEventAttributes()) {
        var at = e.getWorkflowTaskCompletedEventAttributes();
        builds.add(at.hasDeploymentVersion() ? at.getDeploymentVersion().getBuildId() : "(unversioned)");
      }
    }
    return builds;
  }

  private static List<HistoryEvent> events(String releaseId) {
    List<HistoryEvent> all = new ArrayList<>();
    cluster.client().listExecutions("WorkflowId = '" + releaseId + "'").forEach(m ->
        all.addAll(cluster.client().fetchHistory(releaseId, m.getExecution().getRunId()).getEvents()));
    return all;
  }

  private static io.temporal.api.workflow.v1.WorkflowExecutionInfo describe(String releaseId) {
    return cluster.client().getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(releaseId)).build()).getWorkflowExecutionInfo();
  }

  private static String pinnedBuild(String releaseId) {
    var info = describe(releaseId).getVersioningInfo();
    assertEquals(VersioningBehavior.VERSIONING_BEHAVIOR_PINNED, info.getBehavior(), releaseId + ": " + info);
    return info.getDeploymentVersion().getBuildId();
  }

  /** How many of {@code releases} still run pinned to {@code build} (asked of each, not of visibility). */
  private static long running(java.util.Collection<String> releases, String build) {
    return releases.stream().filter(id -> {
      var info = describe(id);
      return info.getStatus() == io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
          && info.getVersioningInfo().getDeploymentVersion().getBuildId().equals(build);
    }).count();
  }

  @Test
  void releasesStayOnTheBuildThatStartedThemThroughARampARollbackAndARollingDeploy() throws Exception {
    a = worker("build-a");
    // The first build of a deployment with no current version makes itself current (ripcord.deployment.current).
    Proc.eventually("build-a current", Duration.ofSeconds(60), () -> a.log().contains(
        "build build-a made itself the current version of deployment ripcord"), () -> "");
    awaitRouting("build-a", "");
    // Continues as new every ten windows (the least a policy may say): two runs at least, each on build A.
    ReleasePolicy longOne = builder("builds-long", "40s").windowsPerRun(10).build();
    ReleaseWorkflow first = start(longOne);
    Releases.awaitState(first, ReleaseState.ROLLING_OUT, Duration.ofSeconds(60));
    assertEquals("build-a", pinnedBuild(longOne.releaseId()));

    // Deploy build B and ramp it: half the new releases start on it.
    b = worker("build-b");
    Proc.eventually("build-b waits to be made current", Duration.ofSeconds(60), () -> b.log().contains(
        "deployment ripcord runs new releases on build build-a; this build (build-b) takes them once made current"),
        () -> "");
    deployment("set-ramping-version", "--build-id", "build-b", "--percentage", "50");
    awaitRouting("build-a", "build-b");
    Map<String, String> ramped = new LinkedHashMap<>();
    for (int i = 0; i < 12; i++) {
      ReleasePolicy p = policy("builds-ramp-" + i, "10s");
      start(p);
      ramped.put(p.releaseId(), null);
    }
    for (String id : ramped.keySet()) {
      Proc.eventually(id + " pinned", Duration.ofSeconds(60), () -> {
        try {
          ramped.put(id, pinnedBuild(id));
          return !ramped.get(id).isEmpty();
        } catch (RuntimeException | AssertionError e) {
          return false;
        }
      }, () -> id);
    }
    assertTrue(ramped.containsValue("build-a") && ramped.containsValue("build-b"), "a ramp of 50 %: " + ramped);

    // B is bad: withdraw the ramp. New releases start on A again; those pinned to B finish there.
    deployment("set-ramping-version", "--delete");
    awaitRouting("build-a", "");
    ReleasePolicy afterRollback = policy("builds-after-rollback", "10s");
    start(afterRollback);
    Proc.eventually("pinned", Duration.ofSeconds(60), () -> "build-a".equals(safePinned(afterRollback)),
        () -> safePinned(afterRollback));

    // A fixed B rolls out as current; A keeps its releases until they end, then stops (SIGTERM, as a deploy does).
    deployment("set-current-version", "--build-id", "build-b");
    awaitRouting("build-b", "");
    ReleasePolicy onB = policy("builds-on-b", "10s");
    start(onB);
    Proc.eventually("pinned", Duration.ofSeconds(60), () -> "build-b".equals(safePinned(onB)), () -> safePinned(onB));
    List<String> all = new ArrayList<>(ramped.keySet());
    all.addAll(List.of(longOne.releaseId(), afterRollback.releaseId(), onB.releaseId()));
    assertTrue(running(all, "build-a") > 0, "the long release still runs on build A after B became current");
    Proc.eventually("nothing running on build-a", Duration.ofSeconds(180), () -> running(all, "build-a") == 0,
        () -> running(all, "build-a") + " running on build-a");
    assertNotEquals(-1, a.terminate(Duration.ofSeconds(60)), "build A stops within its grace");
    Proc.eventually("nothing running on build-b", Duration.ofSeconds(120), () -> running(all, "build-b") == 0,
        () -> running(all, "build-b") + " running on build-b");

    Map<String, String> expected = new LinkedHashMap<>(ramped);
    expected.put(longOne.releaseId(), "build-a");
    expected.put(afterRollback.releaseId(), "build-a");
    expected.put(onB.releaseId(), "build-b");
    for (String id : all) {
      assertEquals(new TreeSet<>(List.of(expected.get(id))), builds(id), id + ": every workflow task on its build");
      assertTrue(events(id).stream().noneMatch(HistoryEvent::hasWorkflowTaskFailedEventAttributes),
          id + ": no workflow task failed");
      var report = Releases.result(cluster.client().newWorkflowStub(ReleaseWorkflow.class, id),
          Duration.ofSeconds(10));
      assertEquals(ReleaseState.COMPLETED, report.state(), id);
    }
    cluster.export(longOne.releaseId(), dev.ripcord.integration.Components.artifacts()
        .resolve("histories/cluster-pinned-build-a.json"));
    long runs = cluster.client().listExecutions("WorkflowId = '" + longOne.releaseId() + "'").count();
    assertTrue(runs >= 2, "the long release continued as new on build A: " + runs + " runs");

    Cli.Run status = Cli.run("status", onB.releaseId(), "--address", cluster.address());
    assertEquals(0, status.exit(), status.output());
    assertTrue(status.output().contains("build: " + DEPLOYMENT + ":build-b (pinned)"), status.output());
    // Build A is gone: queries to its releases find no worker; status and audit read an ended release's result.
    Cli.Run ended = Cli.run("status", longOne.releaseId(), "--address", cluster.address());
    assertEquals(0, ended.exit(), ended.output());
    assertTrue(ended.output().contains("COMPLETED (ended; no worker of its build answers")
        && ended.output().contains("build: " + DEPLOYMENT + ":build-a (pinned)"), ended.output());
    Cli.Run audit = Cli.run("audit", longOne.releaseId(), "--address", cluster.address());
    assertTrue(audit.output().contains("ran on: " + DEPLOYMENT + ":build-a (pinned)\n"), audit.output());
  }

  private static String safePinned(ReleasePolicy p) {
    try {
      return pinnedBuild(p.releaseId());
    } catch (RuntimeException | AssertionError e) {
      return String.valueOf(e.getMessage());
    }
  }
}
