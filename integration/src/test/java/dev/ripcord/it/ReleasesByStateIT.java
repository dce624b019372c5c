package dev.ripcord.it;

import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Proc;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.ReleaseSpec;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ripcord_releases{state}} from Temporal's visibility: two workers share four releases, yet each reports all
 * four; a worker started after a SIGKILL, which saw none of their transitions, reports them too.
 */
class ReleasesByStateIT {
  private static final List<String> JVM = List.of("-Xmx384m", "-XX:+UseSerialGC",
      "-Dripcord.releases.refresh-seconds=1");

  private static String rollingOut(WorkerProcess w) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(w.url() + "/actuator/prometheus"))
          .build(), HttpResponse.BodyHandlers.ofString()).body().lines()
          .filter(l -> l.startsWith("ripcord_releases{") && l.contains("state=\"ROLLING_OUT\"")).findFirst()
          .orElse("no ripcord_releases{state=\"ROLLING_OUT\"} line");
    } catch (Exception e) {
      return e.toString();
    }
  }

  @Test
  void everyWorkerCountsTheNamespacesReleasesEvenOneThatSawNoneOfTheirTransitions() throws Exception {
    try (DevServer server = new DevServer(); ReferenceGateway gateway = ReferenceGateway.start(0);
        WorkerProcess a = new WorkerProcess(server, JVM); WorkerProcess b = new WorkerProcess(server, JVM)) {
      ReleasePolicy base = PolicyBuilder.chat().pushed().inconclusive(1000, null).stage("canary", 10, "1h").build();
      List<ReleaseWorkflow> releases = new ArrayList<>();
      for (String model : List.of("vis-a", "vis-b", "vis-c", "vis-d")) {
        ReleasePolicy p = new ReleasePolicy(base.apiVersion(), new ReleaseSpec(model, "v2", "v1", null, null),
            new RouterSpec("http", gateway.url(), model), base.observations(), base.evaluation(), base.stages(),
            base.signals(), base.criteria(), base.governance(), base.rollback(), base.notifications());
        releases.add(Releases.start(server.client(), p));
      }
      for (ReleaseWorkflow wf : releases) {
        Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(60));
      }
      for (WorkerProcess w : List.of(a, b)) {
        Proc.eventually("a worker counts all four releases", Duration.ofSeconds(30),
            () -> rollingOut(w).endsWith(" 4.0"), () -> rollingOut(w));
      }
      a.kill9();
      try (WorkerProcess c = new WorkerProcess(server, JVM)) {
        Proc.eventually("a new worker counts them too", Duration.ofSeconds(60),
            () -> rollingOut(c).endsWith(" 4.0"), () -> rollingOut(c));
      }
    }
  }
}
