package dev.ripcord.integration;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A serving layer's metrics, as Prometheus scrapes them from {@code /metrics}: per model and version, counters of
 * outputs, outputs flagged as unsupported, safety-blocked outputs, requests and errors. Traffic is simulated every
 * 100 ms (binomial draws at each version's current rates); a test degrades a version while it runs.
 */
public final class ModelExporter implements AutoCloseable {
  /** Rates per output (flagged, blocked) and per request (errors) for one version. */
  public record Rates(double outputsPerSecond, double unsupported, double blocked, double errors) {}

  private final HttpServer http;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, Rates> rates = new ConcurrentHashMap<>();
  private final Map<String, long[]> counters = new ConcurrentHashMap<>();
  private final Random random = new Random(42);

  public ModelExporter() throws IOException {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/metrics", exchange -> {
      byte[] body = render().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    http.start();
    ticker.scheduleAtFixedRate(this::tick, 100, 100, TimeUnit.MILLISECONDS);
  }

  public String target() {
    return "127.0.0.1:" + http.getAddress().getPort();
  }

  /** Serves (or changes) one version's traffic: key is model/version. */
  public void serve(String model, String version, Rates r) {
    rates.put(model + "/" + version, r);
    counters.computeIfAbsent(model + "/" + version, k -> new long[4]);
  }

  private synchronized void tick() {
    rates.forEach((key, r) -> {
      long[] c = counters.get(key);
      long n = Math.round(r.outputsPerSecond() / 10);
      c[0] += n;
      c[1] += binomial(n, r.unsupported());
      c[2] += binomial(n, r.blocked());
      c[3] += binomial(n, r.errors());
    });
  }

  private long binomial(long n, double p) {
    long k = 0;
    for (long i = 0; i < n; i++) {
      if (random.nextDouble() < p) {
        k++;
      }
    }
    return k;
  }

  private synchronized String render() {
    StringBuilder b = new StringBuilder();
    String[][] metrics = {{"genai_outputs_total", "0", ""}, {"genai_flagged_total", "1", ",check=\"unsupported\""},
        {"genai_safety_blocked_total", "2", ""}, {"genai_requests_total", "0", ""}, {"genai_errors_total", "3", ""}};
    for (String[] m : metrics) {
      b.append("# TYPE ").append(m[0]).append(" counter\n");
      counters.forEach((key, c) -> {
        String[] mv = key.split("/");
        b.append(m[0]).append("{model=\"").append(mv[0]).append("\",version=\"").append(mv[1]).append('"')
            .append(m[2]).append("} ").append(c[Integer.parseInt(m[1])]).append('\n');
      });
    }
    return b.toString();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    http.stop(0);
  }
}
