package dev.ripcord.bench.live;

import dev.ripcord.integration.WorkerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the live benchmarks read off a worker (its Prometheus endpoint) and off any process (its CPU time). */
final class WorkerProbe {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern STATE = Pattern.compile("state=\"([A-Z_]+)\"");

  private WorkerProbe() {}

  /** CPU time of a process and of every process it started that is still running (PostgreSQL's backends). */
  static long cpuNanos(long pid) {
    ProcessHandle root = ProcessHandle.of(pid)
        .orElseThrow(() -> new IllegalStateException("no process " + pid));
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(root), root.descendants())
        .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
  }

  static long cpuNanos(List<Long> pids) {
    return pids.stream().mapToLong(WorkerProbe::cpuNanos).sum();
  }

  /**
   * One metric family from the worker's Prometheus endpoint, filtered on the worker's side, so that polling it every
   * few hundred milliseconds around a flush does not render the whole page on the worker being measured.
   */
  static String scrape(WorkerProcess worker, String family) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(worker.url() + "/actuator/prometheus?includedNames="
        + family)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The value of one sample line of the Prometheus text format ({@code name{labels} value}). */
  static double sampleValue(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  /** The worker's {@code ripcord_releases{state}} gauge, states with at least one release. */
  static Map<String, Long> releasesByState(WorkerProcess worker) {
    try {
      Map<String, Long> out = new TreeMap<>();
      scrape(worker, "ripcord_releases").lines().filter(l -> l.startsWith("ripcord_releases{")).forEach(l -> {
        long n = Math.round(sampleValue(l));
        Matcher m = STATE.matcher(l);
        if (n != 0 && m.find()) {
          out.put(m.group(1), n);
        }
      });
      return out;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read ripcord_releases from the worker", e);
    }
  }

  /** Waits for the worker's next metrics flush; returns {decisions counted, epoch millis of the read that saw it}. */
  static double[] afterFlush(WorkerProcess worker) throws InterruptedException {
    double before = decisions(worker);
    Instant give = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(give)) {
      Thread.sleep(200);
      double now = decisions(worker);
      if (now != before) {
        return new double[] {now, System.currentTimeMillis()};
      }
    }
    throw new IllegalStateException("the worker's ripcord_decisions_total did not move in 30 s");
  }

  /** Evaluations the worker's releases have made so far ({@code ripcord_decisions_total}, every verdict). */
  static double decisions(WorkerProcess worker) {
    try {
      return scrape(worker, "ripcord_decisions").lines().filter(l -> l.startsWith("ripcord_decisions_total{"))
          .mapToDouble(WorkerProbe::sampleValue).sum();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read ripcord_decisions_total from the worker", e);
    }
  }

  static double heapMiB(WorkerProcess worker) {
    try {
      return scrape(worker, "jvm_memory_used_bytes").lines()
          .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
          .mapToDouble(WorkerProbe::sampleValue).sum() / (1 << 20);
    } catch (Exception e) {
      return Double.NaN;
    }
  }
}
