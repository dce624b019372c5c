package dev.ripcord.bench.live;

import static dev.ripcord.bench.live.HistoryTiming.eventTime;
import static dev.ripcord.bench.live.HistoryTiming.millisAfter;
import static dev.ripcord.bench.live.HistoryTiming.pendingOverdue;
import static dev.ripcord.bench.live.HistoryTiming.timerLateness;
import static dev.ripcord.bench.live.WorkerProbe.afterFlush;
import static dev.ripcord.bench.live.WorkerProbe.cpuNanos;
import static dev.ripcord.bench.live.WorkerProbe.heapMiB;
import static dev.ripcord.bench.live.WorkerProbe.releasesByState;

import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.integration.Components;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.TemporalService;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.workflows.policy.EvaluationSpec;
import dev.ripcord.workflows.policy.ObservationSpec;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.ReleaseSpec;
import dev.ripcord.workflows.policy.RollbackSpec;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.policy.StageSpec;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many active releases on one worker (the shipped jar, its own JVM, -Xmx1g) against the real dev server, each
 * evaluating a scripted window every 10 s: the worker's CPU and heap, evaluations run against those due, how late
 * they run, and history events per release-hour (continue-as-new every 500 windows, the default, or
 * --windows-per-run). Baseline in the same run: the same figures with 10 releases.
 */
public final class ConcurrentReleasesBenchmark {

  public static void main(String[] args) throws Exception {
    int releases = Results.intArg(args, "--releases", 1000);
    int baselineReleases = Results.intArg(args, "--baseline-releases", 10);
    int seconds = Results.intArg(args, "--seconds", 180);
    int baselineSeconds = Results.intArg(args, "--baseline-seconds", 60);
    int interval = 10;
    // The shipped default (500 windows, 83 minutes at 10 s) by default; --windows-per-run 10 makes continue-as-new
    // happen within a short run, so the history bound is measured rather than assumed (and costs throughput).
    int windowsPerRun = Results.intArg(args, "--windows-per-run", 500);
    // 0: as fast as 16 threads can start them (about 65 a second here); N: at most N starts a second, as release
    // tooling that paces a batch would.
    int startsPerSecond = Results.intArg(args, "--starts-per-second", 0);
    String pace = startsPerSecond == 0 ? "unpaced" : startsPerSecond + "/s";
    ReleasePolicy example = example(interval, windowsPerRun);
    try (DevServer server = new DevServer();
        WorkerProcess worker = worker(server);
        ReferenceGateway gateway = ReferenceGateway.start(0)) {
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<ReleaseWorkflow> all = Collections.synchronizedList(new ArrayList<>());
      Instant t = Instant.now();

      List<WorkerProcess> workers = List.of(worker);
      Map<String, Object> baseline = phase("baseline", server, workers, gateway, example, pool, startsPerSecond,
          all, 0, baselineReleases, baselineSeconds, interval);
      Map<String, Object> loaded = phase("loaded", server, workers, gateway, example, pool, startsPerSecond, all,
          baselineReleases, releases, seconds, interval);
      double hours = Duration.between(t, Instant.now()).toMillis() / 3_600_000.0;
      Map<String, Object> history = history(server, all.subList(0, Math.min(50, all.size())), hours);
      pool.shutdown();

      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("benchmark", "concurrent-releases");
      figures.put("at", Instant.now().toString());
      figures.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
      figures.put("server", "temporal server start-dev (CLI v1.5.1, SQLite file) on the same machine"
          + Results.devServerArgs());
      figures.put("worker", "ripcord-worker.jar, -Xmx1g, application.yaml as shipped (workflow cache 2000, "
          + "10 workflow-task pollers)");
      figures.put("windowsPerRun", windowsPerRun);
      figures.put("startsPerSecond", pace);
      figures.put("evaluationInterval", interval + "s");
      figures.put("baseline", baseline);
      figures.put("loaded", loaded);
      figures.put("history", history);
      figures.put("lagP99Ratio", Results.round(((Number) loaded.get("lagP99Ms")).doubleValue()
          / Math.max(1, ((Number) baseline.get("lagP99Ms")).doubleValue())));
      figures.put("cpuPerReleaseRatio", (((Number) loaded.get("workerCoresPerRelease")).doubleValue()
          / ((Number) baseline.get("workerCoresPerRelease")).doubleValue()));
      figures.put("targets", Map.of("maxLagMs", 2000, "historyPerRun", "bounded by windowsPerRun"));
      String summary = String.format("%d releases every %ds on one worker (at the end %s): %.1f of %.0f "
              + "evaluations/s due ran (of %d sampled, %d waiting over 2 s at the end, longest %.0f ms); "
              + "evaluation lag p50 %.0f ms p99 %.0f ms max %.0f ms, %d of %d later than 2 s "
              + "(%d releases: p99 %.0f ms), each run's first workflow task p50 %.0f ms p99 %.0f ms after it began "
              + "(starts %s), "
              + "worker %.2f cores (dev server %.2f), heap max %.0f MiB, %.0f history events per release-hour, "
              + "at most %d events per run",
          releases, interval, loaded.get("releasesByState"), num(loaded, "evaluationsPerSecond"),
          num(loaded, "evaluationsDuePerSecond"),
          ((Number) loaded.get("sampledReleases")).intValue(), ((Number) loaded.get("pendingOverdueOver2s")).intValue(),
          num(loaded, "pendingOverdueMaxMs"),
          num(loaded, "lagP50Ms"), num(loaded, "lagP99Ms"), num(loaded, "lagMaxMs"),
          ((Number) loaded.get("evaluationsLaterThan2s")).intValue(),
          ((Number) loaded.get("evaluationsMeasured")).intValue(),
          baselineReleases, num(baseline, "lagP99Ms"), firstTask(loaded, "p50Ms"), firstTask(loaded, "p99Ms"),
          pace, num(loaded, "workerCores"), num(loaded, "serverCores"),
          num(loaded, "heapMaxMiB"),
          num(history, "eventsPerReleaseHour"), ((Number) history.get("maxEventsPerRun")).longValue());
      Results.write(windowsPerRun == 500 ? "concurrent-releases"
          : "concurrent-releases-" + windowsPerRun + "-windows-per-run", figures, summary);
    }
  }

  /** The shipped example with the benchmark's evaluation: every release copies it (see policy()). */
  static ReleasePolicy example(int interval, int windowsPerRun) throws java.io.IOException {
    ReleasePolicy file = PolicyLoader.load("conversational-agent.yaml",
        Files.readString(Components.root().resolve("examples/conversational-agent.yaml"))).policy();
    return new ReleasePolicy(file.apiVersion(), file.release(), file.router(), file.observations(),
        new EvaluationSpec(interval + "s", 5, null, windowsPerRun, file.evaluation().falseRollbackBudget(), null),
        file.stages(), file.signals(), file.criteria(), file.governance(), file.rollback(), file.notifications(),
        file.playbook());
  }

  /** The shipped worker jar, -Xmx1g, application.yaml as shipped. */
  static WorkerProcess worker(TemporalService server) {
    return new WorkerProcess(server, List.of("-Xmx1g"),
        // The demo's traffic (200,000 outputs a window; 10,000 to the candidate at the 5 % canary), which the
        // example's criteria are written for: with a tenth of it, every window is inconclusive and five in a row
        // pause each release for investigation, where it stops evaluating.
        "--ripcord.demo.outputs-per-minute=200000", "--ripcord.demo.degraded-stage=none");
  }

  static double num(Map<String, Object> m, String k) {
    return ((Number) m.get(k)).doubleValue();
  }

  @SuppressWarnings("unchecked")
  static double firstTask(Map<String, Object> phase, String k) {
    return num((Map<String, Object>) phase.get("firstTaskAfterStart"), k);
  }

  /**
   * Starts releases {@code from} to {@code to} (adding to those running), lets them settle, then measures for
   * {@code seconds}: evaluations per second summed over the workers, their lag from the server's own history, CPU of
   * the workers and of the server's processes (PostgreSQL's too, for a cluster), heap.
   */
  static Map<String, Object> phase(String name, TemporalService server, List<WorkerProcess> workers,
      ReferenceGateway gateway, ReleasePolicy example, ExecutorService pool, int startsPerSecond,
      List<ReleaseWorkflow> all, int from, int to, int seconds, int interval) throws Exception {
    Instant startAt = Instant.now();
    List<Future<ReleaseWorkflow>> started = new ArrayList<>();
    for (int i = from; i < to; i++) {
      int k = i;
      if (startsPerSecond > 0) {
        Thread.sleep(Math.max(0, startAt.plusMillis((i - from) * 1000L / startsPerSecond).toEpochMilli()
            - System.currentTimeMillis()));
      }
      started.add(pool.submit(() -> Releases.start(server.client(), policy(example, gateway, k))));
    }
    List<ReleaseWorkflow> mine = new ArrayList<>();
    for (Future<ReleaseWorkflow> f : started) {
      mine.add(f.get());
    }
    all.addAll(mine);
    double startSeconds = Duration.between(startAt, Instant.now()).toMillis() / 1000.0;
    Thread.sleep(2L * interval * 1000); // let every new release reach its first evaluations

    // The SDK hands its counters to Micrometer every 10 s, so the decision count is read right after a flush at
    // both ends: the evaluations counted then ran between the two flushes.
    List<double[]> d0 = new ArrayList<>();
    for (WorkerProcess w : workers) {
      d0.add(afterFlush(w));
    }
    List<Long> workerPids = workers.stream().map(WorkerProcess::pid).toList();
    long cpu0 = cpuNanos(workerPids);
    long serverCpu0 = cpuNanos(server.serverPids());
    Instant m0 = Instant.now();
    double heapMax = 0;
    while (Duration.between(m0, Instant.now()).toSeconds() < seconds) {
      for (WorkerProcess w : workers) {
        heapMax = Math.max(heapMax, heapMiB(w));
      }
      Thread.sleep(5000);
    }
    // Each worker flushes on its own clock: its rate between its own two flushes, summed over the workers.
    double evaluationsPerSecond = 0;
    for (int w = 0; w < workers.size(); w++) {
      double[] d1 = afterFlush(workers.get(w));
      evaluationsPerSecond += (d1[0] - d0.get(w)[0]) / ((d1[1] - d0.get(w)[1]) / 1000.0);
    }
    Instant m1 = Instant.now();
    double cores = (cpuNanos(workerPids) - cpu0) / 1e9 / Duration.between(m0, m1).toMillis() * 1000;
    double serverCores = (cpuNanos(server.serverPids()) - serverCpu0) / 1e9 / Duration.between(m0, m1).toMillis()
        * 1000;

    // HistoryTiming.Lateness from the server's own record, so measuring does not load the worker: for every timer the release
    // started (its wait for the next window), from when it was due to when the worker began the workflow task
    // that evaluates the window.
    List<Double> lags = Collections.synchronizedList(new ArrayList<>());
    List<String> late = Collections.synchronizedList(new ArrayList<>());
    Map<String, Integer> taskTimeouts = new java.util.concurrent.ConcurrentSkipListMap<>();
    List<Double> overdue = Collections.synchronizedList(new ArrayList<>());
    List<Double> perRelease = Collections.synchronizedList(new ArrayList<>());
    List<Double> periods = Collections.synchronizedList(new ArrayList<>());
    List<Double> firstTasks = Collections.synchronizedList(new ArrayList<>());
    List<ReleaseWorkflow> sample = new ArrayList<>(); // 200 spread over all, oldest to newest
    for (int i = 0; i < Math.min(200, all.size()); i++) {
      sample.add(all.get((int) ((long) i * all.size() / Math.min(200, all.size()))));
    }
    // Two readers, not the start-up pool's 16: the reads share the dev server's one SQLite connection with the
    // releases whose pending work they are measuring.
    ExecutorService readers = Executors.newFixedThreadPool(2);
    List<Future<?>> fetched = new ArrayList<>();
    for (ReleaseWorkflow wf : sample) {
      fetched.add(readers.submit(() -> {
        String id = io.temporal.client.WorkflowStub.fromTyped(wf).getExecution().getWorkflowId();
        var history = server.client().fetchHistory(id);
        var events = history.getEvents();
        if (wf == sample.get(0)) {
          java.nio.file.Files.writeString(Components.artifacts().resolve(name + "-sample-history.json"),
              history.toJson(true));
        }
        List<HistoryTiming.Lateness> evaluations = timerLateness(events, m0, m1);
        events.stream().filter(e -> e.hasWorkflowTaskStartedEventAttributes()).findFirst()
            .ifPresent(e -> firstTasks.add(millisAfter(eventTime(events.get(0)), eventTime(e))));
        perRelease.add((double) evaluations.size());
        for (int i = 1; i < evaluations.size(); i++) {
          periods.add(Duration.between(evaluations.get(i - 1).due(), evaluations.get(i).due()).toMillis() / 1000.0);
        }
        for (HistoryTiming.Lateness l : evaluations) {
          lags.add(l.ms());
          if (l.ms() > 2000) {
            late.add(l.due() + " " + Math.round(l.ms()) + " ms (timer fired +" + Math.round(l.firedMs())
                + " ms, task scheduled +" + Math.round(l.scheduledMs()) + " ms)");
          }
        }
        for (var e : events) {
          if (e.hasWorkflowTaskTimedOutEventAttributes()) {
            taskTimeouts.merge(e.getWorkflowTaskTimedOutEventAttributes().getTimeoutType().name(), 1, Integer::sum);
          }
        }
        overdue.addAll(pendingOverdue(events, Instant.now()));
        return null;
      }));
    }
    for (Future<?> f : fetched) {
      f.get();
    }
    readers.shutdown();
    long rolledBack = server.client().listExecutions("RipcordModel = 'scale' AND RipcordState = 'ROLLED_BACK'")
        .count();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("phase", name);
    out.put("activeReleases", all.size());
    out.put("startedInSeconds", Results.round(startSeconds));
    out.put("measuredSeconds", Duration.between(m0, m1).toSeconds());
    out.put("sampledReleases", sample.size());
    out.put("evaluationsMeasured", lags.size());
    // Whether every release kept its pace, or some fell behind: evaluations per sampled release, and the time from
    // one window's due time to the next (the interval, plus however late the previous evaluation ran and took).
    out.put("evaluationsPerRelease", minMedianMax(perRelease, 1));
    out.put("windowPeriodSeconds", minMedianMax(periods, 1000));
    // Not in the lag above, which starts at each window's timer: how long a run waited for its first workflow task
    // (for the first run, while all the releases were being started), which delays its first window.
    out.put("firstTaskAfterStart", Results.summary(firstTasks));
    out.put("lagP50Ms", Results.round(Results.quantile(lags, 0.5)));
    out.put("lagP99Ms", Results.round(Results.quantile(lags, 0.99)));
    out.put("lagMaxMs", Results.round(Results.quantile(lags, 1.0)));
    out.put("evaluationsLaterThan2s", late.size());
    // When the late ones were due (clustered in time: a stall; spread: a queue) and whether workflow tasks timed
    // out (a sticky task not picked up within its schedule-to-start timeout goes back to the shared queue).
    out.put("evaluationsLaterThan2sDueAt", late.stream().sorted().toList());
    out.put("workflowTaskTimeouts", taskTimeouts);
    double due = all.size() / (double) interval;
    out.put("evaluationsPerSecond", Results.round(evaluationsPerSecond));
    out.put("evaluationsDuePerSecond", Results.round(due));
    out.put("throughputRatio", Math.round(evaluationsPerSecond / due * 1000) / 1000.0);
    // Windows already due whose evaluation had not started when the history was read: a backlog the lag above
    // (which only sees evaluations that ran) cannot show.
    out.put("pendingOverdueAtEnd", overdue.size());
    out.put("pendingOverdueOver2s", overdue.stream().filter(l -> l > 2000).count());
    out.put("pendingOverdueMaxMs", overdue.isEmpty() ? 0 : Results.round(Collections.max(overdue)));
    out.put("workerCores", Results.round(cores * 100) / 100.0);
    out.put("workerCoresPerRelease", cores / all.size());
    out.put("serverCores", Results.round(serverCores * 100) / 100.0);
    out.put("heapMaxMiB", Results.round(heapMax));
    out.put("releasesRolledBack", rolledBack);
    out.put("releasesByState", releasesByState(workers.get(0)));
    return out;
  }

  /** Smallest, median and largest of {@code values}, rounded to 1/{@code scale}. */
  private static Map<String, Double> minMedianMax(List<Double> values, int scale) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("min", (double) Math.round(Results.quantile(values, 0) * scale) / scale);
    out.put("median", (double) Math.round(Results.quantile(values, 0.5) * scale) / scale);
    out.put("max", (double) Math.round(Results.quantile(values, 1.0) * scale) / scale);
    return out;
  }

  static ReleasePolicy policy(ReleasePolicy example, ReferenceGateway gateway, int i) {
    return new ReleasePolicy(example.apiVersion(), new ReleaseSpec("scale", "c-" + i, "b-" + i, null, null),
        new RouterSpec("http", gateway.url(), "scale-" + i), new ObservationSpec("scripted", "demo"),
        example.evaluation(),
        List.of(new StageSpec("canary", 5, "1h", null, null)), example.signals(), example.criteria(),
        // The example's unsafeAfter names its "half" stage, which this one-stage copy does not have.
        example.governance(), new RollbackSpec(example.rollback().steps()), null);
  }

  static Map<String, Object> history(TemporalService server, List<ReleaseWorkflow> sample, double hours) {
    long events = 0;
    long maxPerRun = 0;
    long runs = 0;
    for (ReleaseWorkflow wf : sample) {
      String id = io.temporal.client.WorkflowStub.fromTyped(wf).getExecution().getWorkflowId();
      List<WorkflowExecutionInfo> infos = server.client().listExecutions("WorkflowId = '" + id + "'")
          .map(e -> e.getWorkflowExecutionInfo()).toList();
      for (WorkflowExecutionInfo info : infos) {
        long n = info.getHistoryLength() > 0 ? info.getHistoryLength()
            : server.client().fetchHistory(id, info.getExecution().getRunId()).getEvents().size();
        events += n;
        maxPerRun = Math.max(maxPerRun, n);
        runs++;
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("sampledReleases", sample.size());
    out.put("runs", runs);
    out.put("eventsPerReleaseHour", Results.round(events / (double) sample.size() / hours));
    out.put("maxEventsPerRun", maxPerRun);
    return out;
  }
}
