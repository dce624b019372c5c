package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.integration.Cli;
import dev.ripcord.integration.Components;
import dev.ripcord.integration.Proc;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.TemporalCluster;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import io.temporal.api.workflowservice.v1.GetClusterInfoRequest;
import io.temporal.api.workflowservice.v1.GetClusterInfoResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ripcord on the Temporal server teams deploy, not the dev server: temporal-server v1.32.1 with 8 history shards on
 * PostgreSQL, SQL advanced visibility, the standalone UI server, configured by deploy/temporal. A safety lead
 * approves a rollback in the real UI in Chromium; the export replays; search attributes answer visibility queries.
 */
class TemporalClusterIT {
  static TemporalCluster cluster;
  static WorkerProcess worker;
  static ReferenceGateway gateway;
  static TemporalUi ui;

  @BeforeAll
  static void up() throws Exception {
    cluster = new TemporalCluster();
    worker = new WorkerProcess(cluster);
    gateway = ReferenceGateway.start(0);
    ui = new TemporalUi(cluster.uiUrl());
  }

  @AfterAll
  static void down() {
    if (ui != null) ui.close();
    if (gateway != null) gateway.close();
    if (worker != null) worker.close();
    if (cluster != null) cluster.close();
  }

  @Test
  void theServerIsMultiShardOnPostgresWithSqlVisibility() {
    GetClusterInfoResponse info = cluster.client().getWorkflowServiceStubs().blockingStub()
        .getClusterInfo(GetClusterInfoRequest.getDefaultInstance());
    assertEquals(TemporalCluster.SHARDS, info.getHistoryShardCount(), info.toString());
    assertEquals("postgres12", info.getPersistenceStore(), info.toString());
    assertTrue(info.getVisibilityStore().contains("postgres12"), info.toString());
    assertEquals("1.32.1", info.getServerVersion(), info.toString());
  }

  @Test
  void aRollbackApprovedInTheUiCompletesReplaysAndIsFoundByVisibilityQueries() throws Exception {
    String model = "cluster-chat";
    ReleasePolicy p = PolicyBuilder.chat().model(model).router(gateway.url()).pushed().interval("2s")
        .stage("canary", 10, "30m").hallucinationLimit(8, "rollback-after-approval", 2, 3).build();
    Cli.startRelease(cluster, p);
    ReleaseWorkflow wf = cluster.client().newWorkflowStub(ReleaseWorkflow.class, p.releaseId());
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(60));
    wf.observe(Releases.window("canary", 40));
    wf.observe(Releases.window("canary", 40));
    Releases.awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL, Duration.ofSeconds(60));
    awaitListed("RipcordModel = '" + model + "' AND RipcordState = 'AWAITING_ROLLBACK_APPROVAL'", p.releaseId());

    ui.sendSignal(p.releaseId(), "approve", "{\"by\": \"alice@example.com\", \"role\": \"safety-lead\","
        + " \"comment\": \"seen in the flagged samples\"}");

    ReleaseReport r = Releases.result(wf, Duration.ofSeconds(90));
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    AuditEntry approval = r.audit().stream().filter(e -> e.kind().equals("APPROVAL")).findFirst().orElseThrow();
    assertEquals("alice@example.com", approval.actor());
    assertEquals(List.of(10, 0), gateway.changes().stream().filter(c -> c.route().equals(model))
        .map(c -> c.weights().get("v2")).toList());
    ui.screenshot(p.releaseId() + "-cluster-rolled-back");

    awaitListed("RipcordModel = '" + model + "' AND RipcordState = 'ROLLED_BACK' AND ExecutionStatus = 'Completed'",
        p.releaseId());
    Cli.Run listed = Cli.runTemporal("workflow", "list", "--address", cluster.address(), "--query",
        "RipcordState = 'ROLLED_BACK' AND RipcordCandidate = 'v2'");
    assertTrue(listed.output().contains(p.releaseId()), "the Temporal CLI finds it too:\n" + listed.output());

    Path export = cluster.export(p.releaseId(), Components.artifacts().resolve("histories/cluster-rollback.json"));
    Cli.Run replay = Cli.run("replay", "--quiet", export.toString());
    assertEquals(0, replay.exit(), replay.output());
    assertTrue(replay.output().contains("1 of 1 histories replay clean"), replay.output());
  }

  private static void awaitListed(String query, String workflowId) {
    String[] last = {""};
    Proc.eventually("visibility lists " + workflowId + " for " + query, Duration.ofSeconds(30), () -> {
      List<String> ids = cluster.client().listExecutions(query).map(e -> e.getExecution().getWorkflowId()).toList();
      last[0] = ids.toString();
      return ids.contains(workflowId);
    }, () -> last[0]);
  }
}
