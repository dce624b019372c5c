package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.integration.Cli;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Proc;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The accuracy ledger on the real dev server: a rolled-back release labelled through the CLI (an unauthorised label
 * refused), the ledger printed by {@code ripcord accuracy}, and the worker exporting it as metrics.
 */
class AccuracyLedgerIT {
  @Test
  void aLabelledRollbackIsCountedPrintedAndExported() throws Exception {
    try (DevServer server = new DevServer(); ReferenceGateway gateway = ReferenceGateway.start(0);
        WorkerProcess worker = new WorkerProcess(server, List.of("-Xmx384m", "-XX:+UseSerialGC",
            "-Dripcord.accuracy.refresh-seconds=1"))) {
      ReleasePolicy base = PolicyBuilder.chat().pushed().interval("1s").stage("canary", 20, "1h")
          .rollbackSteps(new RollbackSpec.Step(0, null)).build();
      ReleasePolicy p = new ReleasePolicy(base.apiVersion(), new ReleaseSpec("accuracy", "v2", "v1", null, null),
          new RouterSpec("http", gateway.url(), "accuracy"), base.observations(), base.evaluation(), base.stages(),
          base.signals(), base.criteria(), base.governance(), base.rollback(), base.notifications());
      ReleaseWorkflow wf = Releases.start(server.client(), p);
      Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
      Map<String, Object> bad = Map.of("signals", Map.of("hallucination", Map.of("candidate", Map.of("events", 40,
          "trials", 10000), "baseline", Map.of("events", 5, "trials", 10000))));
      for (int i = 0; i < 2; i++) {
        wf.observe(Releases.json(bad));
        Thread.sleep(1100);
      }
      ReleaseReport r = Releases.result(wf, Duration.ofSeconds(60));
      assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());

      Cli.Run refused = Cli.run("label", r.releaseId(), "--outcome", "false-rollback", "--by", "bob@example.com",
          "--address", server.address());
      assertEquals(1, refused.exit(), refused.output());
      assertTrue(refused.output().contains("bob@example.com may not label release-accuracy-v2: labels come from the"
          + " roles holding its rollback right"), refused.output());
      Cli.Run labelled = Cli.run("label", r.releaseId(), "--outcome", "false-rollback", "--by", "carol@example.com",
          "--comment", "a noisy judge", "--address", server.address());
      assertEquals(0, labelled.exit(), labelled.output());
      assertTrue(labelled.output().contains("LABELLED carol@example.com: release-accuracy-v2 (accuracy, fired"
          + " [hallucination-limit]) is false-rollback"), labelled.output());

      Cli.Run accuracy = Cli.run("accuracy", "--policy", "accuracy", "--output", "json", "--address",
          server.address());
      assertEquals(0, accuracy.exit(), accuracy.output());
      JsonNode a = new ObjectMapper().readTree(accuracy.output());
      JsonNode all = a.path("rows").get(0);
      assertEquals("*", all.path("criterion").asText(), a.toString());
      assertEquals(1, all.path("falseRollbacks").asInt(), a.toString());
      assertEquals(80, all.path("badOutputs").asLong(), "two windows of 40 bad outputs: " + a);
      assertTrue(all.path("meanTimeToDetectMillis").asLong() > 0, a.toString());

      HttpClient http = HttpClient.newHttpClient();
      java.util.function.Supplier<String> scrape = () -> {
        try {
          return http.send(HttpRequest.newBuilder(URI.create(worker.url() + "/actuator/prometheus")).build(),
              HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
          return e.toString();
        }
      };
      Proc.eventually("the worker exports the ledger", Duration.ofSeconds(20),
          () -> scrape.get().lines().anyMatch(l -> l.startsWith("ripcord_accuracy_false_rollbacks{")
              && l.endsWith("criterion=\"hallucination-limit\",policy=\"accuracy\"} 1.0")),
          () -> scrape.get().lines().filter(l -> l.contains("accuracy")).toList() + "\n" + worker.log().lines()
              .filter(l -> l.contains("ccuracy")).toList());
    }
  }
}
