package dev.ripcord.bench.live;

import static dev.ripcord.bench.live.ConcurrentReleasesBenchmark.firstTask;
import static dev.ripcord.bench.live.ConcurrentReleasesBenchmark.num;

import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.TemporalCluster;
import dev.ripcord.integration.TemporalService;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The cost curve on the deployment teams run: releases evaluating every 10 s, grown step by step (250, 500, 1,000 by
 * default) on the multi-shard Temporal server on PostgreSQL with one and with two workers, and, in the same run, on
 * the dev server with one worker as the baseline. Each step adds releases to those running and measures them all the
 * way {@code bench/scale/run} does (lag from the server's own history, evaluations per second against due, first-task
 * wait, CPU of the workers and of the server's processes, heap); each deployment ends with history events per
 * release-hour. The cluster runs on the server's defaults (deploy/temporal), the dev server with the benchmark flags.
 */
public final class ClusterScaleBenchmark {
  private ClusterScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Integer> steps = Arrays.stream(stringArg(args, "--steps", "250,500,1000").split(","))
        .map(String::strip).map(Integer::parseInt).toList();
    List<String> deployments = List.of(stringArg(args, "--deployments", "dev:1,cluster:1,cluster:2").split(","));
    int seconds = Results.intArg(args, "--seconds", 90);
    int interval = 10;
    ReleasePolicy example = ConcurrentReleasesBenchmark.example(interval, 500);
    Map<String, Object> byDeployment = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    for (String d : deployments) {
      String kind = d.substring(0, d.indexOf(':'));
      int workerCount = Integer.parseInt(d.substring(d.indexOf(':') + 1));
      String label = kind + "-" + workerCount + "w";
      List<Map<String, Object>> rows = new ArrayList<>();
      Map<String, Object> history;
      try (TemporalService server = kind.equals("cluster") ? new TemporalCluster() : new DevServer();
          ReferenceGateway gateway = ReferenceGateway.start(0)) {
        List<WorkerProcess> workers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
          for (int w = 0; w < workerCount; w++) {
            workers.add(ConcurrentReleasesBenchmark.worker(server));
          }
          List<ReleaseWorkflow> all = Collections.synchronizedList(new ArrayList<>());
          Instant t = Instant.now();
          int from = 0;
          for (int releases : steps) {
            Map<String, Object> row = ConcurrentReleasesBenchmark.phase(label + "-" + releases, server, workers,
                gateway, example, pool, 0, all, from, releases, seconds, interval);
            rows.add(row);
            lines.add(String.format("%s %d: %.1f/%.0f evals/s, lag p50 %.0f p99 %.0f max %.0f ms, %d late>2s,"
                    + " first task p99 %.0f ms, workers %.2f cores, server %.2f cores", label, releases,
                num(row, "evaluationsPerSecond"), num(row, "evaluationsDuePerSecond"), num(row, "lagP50Ms"),
                num(row, "lagP99Ms"), num(row, "lagMaxMs"), ((Number) row.get("evaluationsLaterThan2s")).intValue(),
                firstTask(row, "p99Ms"), num(row, "workerCores"), num(row, "serverCores")));
            System.out.println(lines.get(lines.size() - 1));
            from = releases;
          }
          double hours = Duration.between(t, Instant.now()).toMillis() / 3_600_000.0;
          history = ConcurrentReleasesBenchmark.history(server, all.subList(0, Math.min(50, all.size())), hours);
        } finally {
          pool.shutdownNow();
          workers.forEach(WorkerProcess::close);
        }
      }
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("server", kind.equals("cluster") ? "temporal-server v1.32.1, " + TemporalCluster.SHARDS
          + " history shards, PostgreSQL (Debian), SQL visibility, deploy/temporal/temporal.yaml (server defaults)"
          : "temporal server start-dev (CLI v1.5.1, SQLite file)" + Results.devServerArgs());
      one.put("workers", workerCount);
      one.put("steps", rows);
      one.put("history", history);
      byDeployment.put(label, one);
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("benchmark", "scale-cluster");
    figures.put("at", Instant.now().toString());
    figures.put("machine", Runtime.getRuntime().availableProcessors() + " cores, everything on the same machine");
    figures.put("worker", "ripcord-worker.jar, -Xmx1g each, application.yaml as shipped");
    figures.put("evaluationInterval", interval + "s");
    figures.put("measuredSecondsPerStep", seconds);
    figures.put("targets", Map.of("maxLagMs", 2000));
    figures.put("deployments", byDeployment);
    figures.put("lines", lines);
    Results.write("scale-cluster", figures, String.join("; ", lines));
  }

  private static String stringArg(String[] args, String name, String dflt) {
    int i = Arrays.asList(args).indexOf(name);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
  }
}
