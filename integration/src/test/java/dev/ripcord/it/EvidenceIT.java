package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.integration.Cli;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.ReleaseSpec;
import dev.ripcord.workflows.policy.RollbackSpec;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evidence bundles from the Spring Boot worker on the real dev server: written at the trigger and at the end, checked
 * by release id against the digests the history recorded, and reviewed from the bundle alone.
 */
class EvidenceIT {
  @TempDir Path store;

  @Test
  void theWorkerWritesEvidenceThatTheCliVerifiesByReleaseIdAndReviewsFromTheBundle() throws Exception {
    try (DevServer server = new DevServer(); ReferenceGateway gateway = ReferenceGateway.start(0);
        WorkerProcess worker = new WorkerProcess(server)) {
      ReleasePolicy base = PolicyBuilder.chat().pushed().interval("1s").evidence(store.toUri().toString())
          .stage("canary", 20, "1h").rollbackSteps(new RollbackSpec.Step(0, null)).build();
      ReleasePolicy p = new ReleasePolicy(base.apiVersion(), new ReleaseSpec("evidence", "v2", "v1", null, null),
          new RouterSpec("http", gateway.url(), "evidence"), base.observations(), base.evaluation(), base.stages(),
          base.signals(), base.criteria(), base.governance(), base.rollback(), base.notifications(), null,
          base.evidence());
      ReleaseWorkflow wf = Releases.start(server.client(), p);
      Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
      Map<String, Object> bad = Map.of("signals", Map.of("hallucination", Map.of("candidate", Map.of("events", 40,
          "trials", 10000), "baseline", Map.of("events", 5, "trials", 10000))));
      for (int i = 0; i < 2; i++) { // the limit needs 2 of 3 windows; the release then rolls back and ends
        wf.observe(Releases.json(bad));
        Thread.sleep(1100);
      }
      ReleaseReport r = Releases.result(wf, Duration.ofSeconds(90));
      assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
      var written = r.audit().stream().filter(e -> e.kind().equals("EVIDENCE")).map(e -> e.message()).toList();
      assertEquals(2, written.size(), written.toString());
      assertTrue(written.get(0).startsWith("evidence bundle (trigger) written: file:"), written.toString());

      Cli.Run verify = Cli.run("evidence", "verify", r.releaseId(), "--address", server.address());
      assertEquals(0, verify.exit(), verify.output());
      assertEquals(2, verify.output().lines().filter(l -> l.startsWith("ok file:")).count(), verify.output());

      String uri = verify.output().lines().reduce((a, b) -> b).orElseThrow().split(" ")[1];
      Cli.Run review = Cli.run("review", uri);
      assertEquals(0, review.exit(), review.output());
      assertTrue(review.output().contains("ROLLED_BACK") && review.output().contains("hallucination-limit"), review.output());
      try (var bundles = Files.list(store)) {
        assertEquals(2, bundles.filter(Files::isDirectory).count(), "the trigger's and the end's bundles");
      }
    }
  }
}
