package dev.ripcord.bench.live;

import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.integration.Components;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.ModelExporter;
import dev.ripcord.integration.Proc;
import dev.ripcord.integration.Prometheus;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.workflows.policy.EvaluationSpec;
import dev.ripcord.workflows.policy.ObservationSpec;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.ReleaseSpec;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.policy.StageSpec;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.WorkerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reaction latency on the real dev server, from the moment a breach becomes observable to the router receiving the
 * first rollback change: push mode (an Alertmanager notification posted to the worker's ingress) and poll mode
 * (a candidate's counters degrade in the exporter a real Prometheus scrapes every 250 ms; the release reads PromQL
 * every 1 s). Baseline in the same run: the Temporal floor, a workflow that only waits for a signal and PUTs once.
 */
public final class ReactionLatencyBenchmark {
  private static final String CANDIDATE = "sum-2026-11-b";
  private static final String BASELINE = "sum-2026-10-a";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /** Per workflow id: when the breach became observable and when the gateway applied the change (epoch ms). */
  private static final Map<String, long[]> MARKS = new java.util.concurrent.ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    int releases = Results.intArg(args, "--releases", 200);
    int concurrency = Results.intArg(args, "--concurrency", 10);
    ReleasePolicy example = PolicyLoader.load("summarizer-prometheus.yaml",
        Files.readString(Components.root().resolve("examples/summarizer-prometheus.yaml"))).policy();
    try (DevServer server = new DevServer();
        WorkerProcess worker = new WorkerProcess(server);
        ReferenceGateway gateway = ReferenceGateway.start(0);
        ModelExporter exporter = new ModelExporter();
        Prometheus prometheus = new Prometheus(exporter.target(), null, null, "250ms")) {
      WorkerFactory floorWorkers = WorkerFactory.newInstance(server.client());
      floorWorkers.newWorker(FloorWorkflow.TASK_QUEUE).registerWorkflowImplementationTypes(FloorWorkflow.Impl.class);
      floorWorkers.getWorker(FloorWorkflow.TASK_QUEUE).registerActivitiesImplementations(
          (FloorWorkflow.Router) (route, key) -> put(gateway.url(), route, key));
      floorWorkers.start();

      ExecutorService pool = Executors.newFixedThreadPool(concurrency);
      List<Double> floor = run(pool, releases, i -> floorOnce(server.client(), gateway, "floor-" + i));
      List<Double> push = run(pool, releases, i -> pushOnce(server, worker, gateway, example, "push-" + i));
      List<Double> poll = run(pool, releases, i -> pollOnce(server, gateway, exporter, prometheus, example,
          "poll-" + i));
      pool.shutdown();
      floorWorkers.shutdownNow();

      Map<String, Object> push50 = Results.summary(push);
      Map<String, Object> poll50 = Results.summary(poll);
      Map<String, Object> floor50 = Results.summary(floor);
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("benchmark", "reaction-latency");
      figures.put("at", Instant.now().toString());
      figures.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
      figures.put("server", "temporal server start-dev (CLI v1.5.1, SQLite file), worker jar in its own JVM"
          + Results.devServerArgs());
      figures.put("releasesPerMode", releases);
      figures.put("concurrency", concurrency);
      figures.put("floor", floor50);
      figures.put("push", push50);
      figures.put("poll1s", poll50);
      figures.put("pushP50OverFloorP50", ratio(push50, floor50, "p50Ms"));
      figures.put("pushP99OverFloorP99", ratio(push50, floor50, "p99Ms"));
      figures.put("targets", Map.of("pushP99Ms", 1000, "poll1sP99Ms", 2000));
      figures.put("phasesMedianMs", Map.of(
          "floor", phases(server, List.copyOf(MARKS.keySet()).stream().filter(k -> k.startsWith("floor-")).toList()),
          "push", phases(server, List.copyOf(MARKS.keySet()).stream().filter(k -> k.startsWith("release-push-"))
              .toList())));
      figures.put("method", "push: time from POSTing an Alertmanager notification to the worker's ingress to the "
          + "reference gateway applying the rollback PUT; poll: from the exporter serving degraded counters "
          + "(Prometheus scrapes every 250 ms, the release queries every 1 s) to the same PUT; floor: from signalling"
          + " a workflow that only awaits the signal and runs one PUT activity, to that PUT. All clocks in one JVM.");
      String summary = String.format("reaction latency over %d releases/mode: push p50 %.0f ms p99 %.0f ms "
              + "(%.1fx the Temporal floor's p50 %.0f ms); poll@1s p50 %.0f ms p99 %.0f ms",
          releases, (double) push50.get("p50Ms"), (double) push50.get("p99Ms"),
          (double) figures.get("pushP50OverFloorP50"), (double) floor50.get("p50Ms"), (double) poll50.get("p50Ms"),
          (double) poll50.get("p99Ms"));
      Results.write("reaction-latency", figures, summary);
    }
  }

  interface Once {
    double run(int i) throws Exception;
  }

  private static List<Double> run(ExecutorService pool, int n, Once once) throws Exception {
    List<Future<Double>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      futures.add(pool.submit(() -> once.run(k)));
    }
    List<Double> out = new ArrayList<>();
    for (Future<Double> f : futures) {
      out.add(f.get());
    }
    return out;
  }

  private static double ratio(Map<String, Object> a, Map<String, Object> b, String key) {
    return Results.round((double) a.get(key) / (double) b.get(key));
  }

  private static void put(String gatewayUrl, String route, String key) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/routes/" + route))
          .header("Idempotency-Key", key).header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"weights\": {\"v2\": 0, \"v1\": 100}}")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("gateway answered " + r.statusCode());
      }
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Milliseconds from {@code t0} to the gateway's first change on the route after {@code skip} changes. */
  private static double awaitChange(ReferenceGateway gateway, String route, int skip, Instant t0) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      var changes = gateway.changes().stream().filter(c -> c.route().equals(route)).toList();
      if (changes.size() > skip) {
        return Duration.between(t0, changes.get(skip).at()).toNanos() / 1e6;
      }
      Proc.sleep(5);
    }
    throw new IllegalStateException("no change on route " + route + " within 60 s");
  }

  /**
   * Where the time goes, from the history's event times (same clock): breach to the signal's event, signal to the
   * workflow task starting on the worker, the task itself, task completed to the router activity starting, and the
   * activity start to the gateway's change. Medians over the runs of one mode.
   */
  private static Map<String, Object> phases(DevServer server, List<String> ids) {
    Map<String, List<Double>> phases = new LinkedHashMap<>();
    for (String id : ids) {
      long[] m = MARKS.get(id);
      var events = server.client().fetchHistory(id).getEvents();
      Long signal = null;
      Long wftStarted = null;
      Long wftCompleted = null;
      Long activityStarted = null;
      String activityScheduledId = null;
      for (var e : events) {
        long t = e.getEventTime().getSeconds() * 1000 + e.getEventTime().getNanos() / 1_000_000;
        switch (e.getEventType()) {
          case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> {
            if (signal == null && t >= m[0] - 5) {
              signal = t;
            }
          }
          case EVENT_TYPE_WORKFLOW_TASK_STARTED -> {
            if (signal != null && wftStarted == null) {
              wftStarted = t;
            }
          }
          case EVENT_TYPE_WORKFLOW_TASK_COMPLETED -> {
            if (wftStarted != null && wftCompleted == null) {
              wftCompleted = t;
            }
          }
          case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
            String type = e.getActivityTaskScheduledEventAttributes().getActivityType().getName();
            if (wftCompleted != null && activityScheduledId == null && (type.equals("SetWeight")
                || type.equals("Put"))) {
              activityScheduledId = Long.toString(e.getEventId());
            }
          }
          case EVENT_TYPE_ACTIVITY_TASK_STARTED -> {
            if (activityScheduledId != null && activityStarted == null && Long.toString(
                e.getActivityTaskStartedEventAttributes().getScheduledEventId()).equals(activityScheduledId)) {
              activityStarted = t;
            }
          }
          default -> { }
        }
      }
      if (signal == null || wftStarted == null || wftCompleted == null || activityStarted == null) {
        continue; // activity start events are written when the activity completes; all of them had by now
      }
      phases.computeIfAbsent("breachToSignalEvent", k -> new ArrayList<>()).add((double) (signal - m[0]));
      phases.computeIfAbsent("signalToTaskStarted", k -> new ArrayList<>()).add((double) (wftStarted - signal));
      phases.computeIfAbsent("workflowTask", k -> new ArrayList<>()).add((double) (wftCompleted - wftStarted));
      phases.computeIfAbsent("taskCompletedToActivityStarted", k -> new ArrayList<>())
          .add((double) (activityStarted - wftCompleted));
      phases.computeIfAbsent("activityStartedToRouterChange", k -> new ArrayList<>())
          .add((double) (m[1] - activityStarted));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    phases.forEach((k, v) -> out.put(k, Results.round(Results.quantile(v, 0.5))));
    out.put("runs", phases.isEmpty() ? 0 : phases.values().iterator().next().size());
    return out;
  }

  private static double mark(String workflowId, Instant t0, double millis) {
    MARKS.put(workflowId, new long[] {t0.toEpochMilli(), t0.toEpochMilli() + Math.round(millis)});
    return millis;
  }

  private static double floorOnce(WorkflowClient client, ReferenceGateway gateway, String id) {
    FloorWorkflow wf = client.newWorkflowStub(FloorWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(FloorWorkflow.TASK_QUEUE).build());
    WorkflowClient.start(wf::run, id);
    Proc.sleep(300);
    Instant t0 = Instant.now();
    wf.breach();
    return mark(id, t0, awaitChange(gateway, id, 0, t0));
  }

  private static ReleasePolicy release(ReleasePolicy example, String model, String gatewayUrl,
      ObservationSpec observations, String interval) {
    return new ReleasePolicy(example.apiVersion(), new ReleaseSpec(model, CANDIDATE, BASELINE, null, null),
        new RouterSpec("http", gatewayUrl, model), observations, new EvaluationSpec(interval, 1000, null, null),
        List.of(new StageSpec("canary", 5, "1h", null, null)), example.signals(), example.criteria(),
        example.governance(), example.rollback(), null);
  }

  private static double pushOnce(DevServer server, WorkerProcess worker, ReferenceGateway gateway,
      ReleasePolicy example, String model) throws Exception {
    ReleasePolicy p = release(example, model, gateway.url(),
        new ObservationSpec("pushed", null, null, example.observations().alerts()), "1h");
    ReleaseWorkflow wf = Releases.start(server.client(), p);
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(60));
    String notification = """
        {"version": "4", "status": "firing", "receiver": "ripcord", "alerts": [
          {"status": "firing", "labels": {"alertname": "ModelSafetySpike", "ripcord_release": "%s"},
           "annotations": {"summary": "benchmark"}}]}""".formatted(p.releaseId());
    Instant t0 = Instant.now();
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(worker.url() + "/ingress/alertmanager"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(notification)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 || !r.body().contains("signalled")) {
      throw new IllegalStateException("ingress answered " + r.statusCode() + ": " + r.body());
    }
    return mark(p.releaseId(), t0, awaitChange(gateway, model, 1, t0));
  }

  private static double pollOnce(DevServer server, ReferenceGateway gateway, ModelExporter exporter,
      Prometheus prometheus, ReleasePolicy example, String model) throws Exception {
    exporter.serve(model, CANDIDATE, new ModelExporter.Rates(500, 0.0005, 0.001, 0.002));
    exporter.serve(model, BASELINE, new ModelExporter.Rates(2000, 0.0005, 0.001, 0.002));
    Proc.sleep(3000); // a few scrapes of this model's series before the release starts reading them
    ReleasePolicy p = release(example, model, gateway.url(), new ObservationSpec("prometheus", null,
        new ObservationSpec.PrometheusSpec(prometheus.url(), example.observations().prometheus().queries()), null),
        "1s");
    ReleaseWorkflow wf = Releases.start(server.client(), p);
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(60));
    Proc.sleep(3500); // healthy windows first, enough for the criterion's minimum samples
    if (wf.status().state() != ReleaseState.ROLLING_OUT) {
      throw new IllegalStateException(model + " left ROLLING_OUT while healthy: " + wf.status().line());
    }
    Instant t0 = Instant.now();
    exporter.serve(model, CANDIDATE, new ModelExporter.Rates(500, 0.05, 0.001, 0.002));
    return awaitChange(gateway, model, 1, t0);
  }
}
