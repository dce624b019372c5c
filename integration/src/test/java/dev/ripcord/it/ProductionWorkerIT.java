package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.integration.Components;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Proc;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.drill.DrillRequest;
import dev.ripcord.workflows.drill.DrillWorkflow;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The worker built with {@code -Pproduction}: no sandbox and no Temporal test server on its class path (the
 * Temporal Spring Boot starter brings the test server at compile scope; the build leaves it out). It still runs
 * releases on a real Temporal, refuses drills with a clear error, and without a Temporal address stops at once
 * saying what to set.
 */
class ProductionWorkerIT {

  @Test
  void aProductionWorkerRunsReleasesOnARealTemporalWithoutTheSandbox() throws Exception {
    Path jar = Components.productionWorkerJar();
    try (JarFile j = new JarFile(jar.toFile())) {
      List<String> banned = j.stream().map(e -> e.getName())
          .filter(n -> n.contains("temporal-test") || n.contains("ripcord-sandbox") || n.contains("testserver"))
          .toList();
      assertEquals(List.of(), banned, "nothing of the test server or the sandbox in " + jar);
    }
    try (DevServer server = new DevServer(); ReferenceGateway gateway = ReferenceGateway.start(0);
        WorkerProcess worker = new WorkerProcess(server, jar, List.of("-Xmx384m", "-XX:+UseSerialGC"))) {
      HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(worker.url() + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ready.statusCode(), ready.body());
      assertTrue(worker.log().contains("observation sources: [http, prometheus]"),
          "no scripted source without the sandbox");
      assertTrue(!worker.log().contains("embedded Temporal"), "the worker used the configured Temporal");

      ReleasePolicy p = PolicyBuilder.chat().model("production-worker").router(gateway.url()).pushed()
          .interval("1s").inconclusive(1000, null)
              .promotesOnTime().stage("canary", 10, "60s").stage("full", 100, "2s").build();
      ReleaseWorkflow wf = Releases.start(server.client(), p);
      Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
      wf.observe(Releases.window("canary", 40));
      wf.observe(Releases.window("canary", 40));
      ReleaseReport r = Releases.result(wf, Duration.ofSeconds(60));
      assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
      assertEquals(0, gateway.weight(p.router().route(), p.release().candidate()));

      DrillWorkflow drill = server.client().newWorkflowStub(DrillWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId("production-drill").setTaskQueue(ReleaseWorkflow.TASK_QUEUE).build());
      WorkflowFailedException refused = org.junit.jupiter.api.Assertions.assertThrows(WorkflowFailedException.class,
          () -> drill.run(new DrillRequest("rehearsal", "apiVersion: ripcord/v1", "name: rehearsal")));
      String why = String.valueOf(refused.getCause()) + " " + String.valueOf(refused.getCause().getCause());
      assertTrue(why.contains("built without the sandbox"), why);
    }
  }

  @Test
  void withoutATemporalAddressTheProductionWorkerStopsSayingWhatToSet() {
    Proc worker = Proc.start("production-worker-unconfigured", List.of(ProcessHandle.current().info().command()
        .orElse("java"), "-Xmx256m", "-jar", Components.productionWorkerJar().toString()),
        Map.of("RIPCORD_HTTP_PORT", Integer.toString(Components.freePort()), "TEMPORAL_ADDRESS", ""));
    int exit = worker.waitFor(Duration.ofSeconds(90));
    assertNotEquals(0, exit, worker.logTail());
    assertTrue(worker.logTail().contains("No Temporal address configured, and this worker build has no embedded"
        + " server: set TEMPORAL_ADDRESS"), worker.logTail());
  }
}
