package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.integration.Components;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Proc;
import dev.ripcord.integration.Prometheus;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard shipped under deploy/grafana: every panel's query, run by a real Prometheus scraping a real
 * worker's {@code /actuator/prometheus}, returns series once the worker has run a release that rolled back (one router
 * call failing on the way, one signal refused) and holds one still rolling out (the per-release criteria panel).
 */
class GrafanaDashboardIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyPanelsQueryReturnsSeriesFromPrometheusScrapingARealWorker() throws Exception {
    JsonNode dashboard = JSON.readTree(Components.root().resolve("deploy/grafana/dashboards/ripcord.json").toFile());
    Map<String, String> queries = new LinkedHashMap<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertEquals("prometheus", panel.path("datasource").path("uid").asText(), panel.path("title").asText());
      for (JsonNode target : panel.path("targets")) {
        queries.put(panel.path("title").asText() + " [" + target.path("refId").asText() + "]",
            target.path("expr").asText());
      }
    }
    assertTrue(queries.size() >= 10, "the dashboard has its panels: " + queries.keySet());
    assertTrue(queries.values().stream().anyMatch(q -> q.contains("ripcord_criterion_statistic")),
        "the per-release criteria panel is on the dashboard");
    assertEquals(queries.size(), Set.copyOf(queries.keySet()).size());

    try (DevServer server = new DevServer(); ReferenceGateway gateway = ReferenceGateway.start(0);
        WorkerProcess worker = new WorkerProcess(server, List.of("-Xmx384m", "-XX:+UseSerialGC",
            "-Dripcord.releases.refresh-seconds=1"));
        Prometheus prometheus = new Prometheus("127.0.0.1:" + worker.httpPort, "/actuator/prometheus", null, null,
            "1s")) {
      ReleasePolicy p = PolicyBuilder.chat().model("dashboard").router(gateway.url()).pushed().interval("1s")
          .inconclusive(1000, null).promotesOnTime().stage("canary", 10, "10m").build();
      gateway.failNext(1, 500); // the canary's SetWeight fails once and is retried
      ReleaseWorkflow wf = Releases.start(server.client(), p);
      Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(60));
      // Malformed JSON, as a hand-written signal from the CLI can be: refused, audited and counted.
      wf.observe(new io.temporal.common.converter.RawValue(io.temporal.api.common.v1.Payload.newBuilder()
          .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
          .setData(com.google.protobuf.ByteString.copyFromUtf8("{\"t\": \"now\", ")).build()));
      wf.observe(Releases.window("canary", 40));
      wf.observe(Releases.window("canary", 40));
      assertEquals(ReleaseState.ROLLED_BACK, Releases.result(wf, Duration.ofSeconds(60)).state());
      // A release still rolling out, with one judged window and empty ones after it (nothing pushed for 5 s each; the
      // decisions query keeps 50, longer than this test waits): the criteria panel keeps drawing the measured one.
      ReleasePolicy running = PolicyBuilder.chat().model("dashboard-running").router(gateway.url()).pushed()
          .interval("5s").inconclusive(1000, null).stage("canary", 10, "1h").build();
      ReleaseWorkflow live = Releases.start(server.client(), running);
      Releases.awaitState(live, ReleaseState.ROLLING_OUT, Duration.ofSeconds(60));
      live.observe(Releases.window("canary", 5));

      Map<String, String> empty = new LinkedHashMap<>(queries);
      List<String> answered = new ArrayList<>();
      // The SDK hands its meters to Micrometer every 10 s and Prometheus scrapes every second.
      Proc.eventually("every panel's query returns series", Duration.ofSeconds(90), () -> {
        empty.entrySet().removeIf(q -> {
          try {
            JsonNode result = prometheus.query(q.getValue());
            if (result.isArray() && !result.isEmpty()) {
              answered.add(q.getKey() + ": " + result.size() + " series");
              return true;
            }
            return false;
          } catch (Exception e) {
            throw new AssertionError(q.getKey() + ": " + e.getMessage(), e);
          }
        });
        return empty.isEmpty();
      }, () -> "no series yet for " + empty + "; answered " + answered);
    }
  }
}
