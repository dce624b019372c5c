package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.integration.Cli;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import io.temporal.common.WorkflowExecutionHistory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reproduction of the defect this guards, as an operator meets it on the real dev server: with every worker
 * down, {@code ripcord release start}, then a {@code pause} signal from the Temporal CLI, then the worker starts. The
 * pause reached its handler before the workflow method had loaded the policy, and every workflow task failed: the
 * release could not be queried or rolled back. Now the pause counts once the release starts, and {@code ripcord
 * rollback} rolls it back.
 */
class EarlyDecisionIT {

  @Test
  void aPauseSentWhileEveryWorkerIsDownCountsAndTheReleaseStillRollsBack() throws Exception {
    try (DevServer server = new DevServer(); WorkerProcess worker = new WorkerProcess(server);
        ReferenceGateway gateway = ReferenceGateway.start(0)) {
      worker.terminate(Duration.ofSeconds(30)); // it registered the search attributes; now every worker is down
      ReleasePolicy p = PolicyBuilder.chat().model("early").router(gateway.url()).pushed().interval("1s")
          .inconclusive(1000, null).promotesOnTime().stage("canary", 10, "30m").stage("full", 100, "2s").build();
      Cli.startRelease(server, p);
      String id = p.releaseId();
      Cli.Run sent = Cli.runTemporal("workflow", "signal", "-w", id, "--name", "pause", "--input",
          "{\"by\": \"bob@example.com\", \"role\": \"product-owner\", \"comment\": \"hold while we look\"}",
          "--address", server.address(), "--namespace", "default");
      assertEquals(0, sent.exit(), sent.output());

      worker.start();
      ReleaseWorkflow wf = server.client().newWorkflowStub(ReleaseWorkflow.class, id);
      Releases.awaitState(wf, ReleaseState.PAUSED, Duration.ofSeconds(60));
      assertEquals(10, gateway.weight(p.router().route(), p.release().candidate()), "paused at the canary's 10 %");
      Cli.Run status = Cli.run("status", id, "--address", server.address());
      assertEquals(0, status.exit(), status.output());

      Cli.Run rollback = Cli.run("rollback", id, "--by", "carol@example.com", "--comment", "after the early pause",
          "--address", server.address());
      assertEquals(0, rollback.exit(), rollback.output());
      ReleaseReport report = Releases.result(wf, Duration.ofSeconds(60));
      assertEquals(ReleaseState.ROLLED_BACK, report.state(), report.audit().toString());
      assertEquals(0, gateway.weight(p.router().route(), p.release().candidate()), "candidate at 0 %");
      assertTrue(report.audit().stream().anyMatch(e -> "bob@example.com".equals(e.actor())
          && e.message().startsWith("paused at 10 %")), report.audit().toString());

      WorkflowExecutionHistory history = server.client().fetchHistory(id);
      assertEquals(List.of("pause"), ReleaseHarness.signalsBeforeFirstTask(history), "sent before the first task");
      assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(history.getEvents()), "no workflow task failed");
    }
  }
}
