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

  /**
   * A shadow comparison on the same prompts: per second, how many prompts both versions answered and a judge scored,
   * and the share where only the candidate's answer was bad, and only the baseline's.
   */
  public record Pairs(double promptsPerSecond, double candidateWorse, double baselineWorse) {}

  /**
   * One version's traffic as OpenTelemetry GenAI client metrics: operations per second, mean duration
   * (exponentially distributed), the share that ends in an error, and mean output tokens.
   */
  public record GenAi(double operationsPerSecond, double meanSeconds, double errorRate, double meanOutputTokens) {}

  /** A graded score per output (a judge's usefulness, 0 to 1): outputs scored per second, their mean and spread. */
  public record Scores(double perSecond, double mean, double sd) {}

  /** Per model/version: count, sum and sum of squares of the scores, as a summary's series would hold them. */
  private final Map<String, double[]> scores = new ConcurrentHashMap<>();
  private final Map<String, Scores> scoreRates = new ConcurrentHashMap<>();

  static final double[] DURATION_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40};
  static final double[] TOKEN_BUCKETS = {16, 64, 256, 1024, 4096};
  private final Map<String, GenAi> genAi = new ConcurrentHashMap<>();
  /** Per version and outcome ("ok"/"timeout"): duration bucket counts, then sum and count. */
  private final Map<String, double[]> durations = new ConcurrentHashMap<>();
  private final Map<String, double[]> tokens = new ConcurrentHashMap<>();

  private final HttpServer http;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, Rates> rates = new ConcurrentHashMap<>();
  private final Map<String, long[]> counters = new ConcurrentHashMap<>();
  private final Map<String, Pairs> pairRates = new ConcurrentHashMap<>();
  private final Map<String, long[]> pairCounters = new ConcurrentHashMap<>();
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

  /**
   * Serves (or changes) a judged same-prompt comparison: {@code genai_judged_pairs_total{model, candidate, baseline,
   * outcome}} with outcome candidate_worse, baseline_worse or concordant.
   */
  public synchronized void servePairs(String model, String candidate, String baseline, Pairs p) {
    String key = model + "/" + candidate + "/" + baseline;
    pairRates.put(key, p);
    pairCounters.computeIfAbsent(key, k -> new long[3]);
  }

  /**
   * Serves (or changes) one version's graded scores: {@code genai_score_count}, {@code genai_score_sum} and
   * {@code genai_score_sum_squares} with labels model, version and name="utility".
   */
  public void serveScores(String model, String version, Scores s) {
    scoreRates.put(model + "/" + version, s);
    scores.computeIfAbsent(model + "/" + version, k -> new double[3]);
  }

  /** Serves (or changes) one version's GenAI operations, labelled gen_ai.request.model = version. */
  public void serveGenAi(String version, GenAi g) {
    genAi.put(version, g);
  }

  private void tickGenAi() {
    genAi.forEach((version, g) -> {
      long n = Math.round(g.operationsPerSecond() / 10);
      for (long i = 0; i < n; i++) {
        double seconds = -g.meanSeconds() * Math.log(1 - random.nextDouble());
        String outcome = random.nextDouble() < g.errorRate() ? "timeout" : "ok";
        observe(durations.computeIfAbsent(version + "/" + outcome, k -> new double[DURATION_BUCKETS.length + 2]),
            DURATION_BUCKETS, seconds);
        double out = Math.max(1, Math.round(g.meanOutputTokens() * (0.5 + random.nextDouble())));
        observe(tokens.computeIfAbsent(version, k -> new double[TOKEN_BUCKETS.length + 2]), TOKEN_BUCKETS, out);
      }
    });
  }

  private static void observe(double[] h, double[] buckets, double v) {
    for (int b = 0; b < buckets.length; b++) {
      if (v <= buckets[b]) {
        h[b]++;
      }
    }
    h[buckets.length] += v;
    h[buckets.length + 1]++;
  }

  private synchronized void tick() {
    tickGenAi();
    scoreRates.forEach((key, s) -> {
      double[] c = scores.get(key);
      long n = Math.round(s.perSecond() / 10);
      for (long i = 0; i < n; i++) {
        double x = Math.min(1, Math.max(0, s.mean() + s.sd() * random.nextGaussian()));
        c[0]++;
        c[1] += x;
        c[2] += x * x;
      }
    });
    pairRates.forEach((key, p) -> {
      long[] c = pairCounters.get(key);
      long n = Math.round(p.promptsPerSecond() / 10);
      for (long i = 0; i < n; i++) {
        double u = random.nextDouble();
        c[u < p.candidateWorse() ? 0 : u < p.candidateWorse() + p.baselineWorse() ? 1 : 2]++;
      }
    });
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
    renderGenAi(b);
    b.append("# TYPE genai_judged_pairs_total counter\n");
    String[] outcomes = {"candidate_worse", "baseline_worse", "concordant"};
    pairCounters.forEach((key, c) -> {
      String[] k = key.split("/");
      for (int i = 0; i < 3; i++) {
        b.append("genai_judged_pairs_total{model=\"").append(k[0]).append("\",candidate=\"").append(k[1])
            .append("\",baseline=\"").append(k[2]).append("\",outcome=\"").append(outcomes[i]).append("\"} ")
            .append(c[i]).append('\n');
      }
    });
    String[] scoreSeries = {"genai_score_count", "genai_score_sum", "genai_score_sum_squares"};
    for (int i = 0; i < 3; i++) {
      b.append("# TYPE ").append(scoreSeries[i]).append(" counter\n");
      for (Map.Entry<String, double[]> e : scores.entrySet()) {
        String[] mv = e.getKey().split("/");
        b.append(scoreSeries[i]).append("{model=\"").append(mv[0]).append("\",version=\"").append(mv[1])
            .append("\",name=\"utility\"} ").append(e.getValue()[i]).append('\n');
      }
    }
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

  /** The OpenTelemetry Prometheus exporter's names: dots to underscores, the unit as a suffix, attributes as labels. */
  private void renderGenAi(StringBuilder b) {
    if (!durations.isEmpty()) {
      b.append("# TYPE gen_ai_client_operation_duration_seconds histogram\n");
      durations.forEach((key, h) -> {
        String[] vo = key.split("/");
        histogram(b, "gen_ai_client_operation_duration_seconds", "gen_ai_request_model=\"" + vo[0]
            + "\",gen_ai_operation_name=\"chat\"" + (vo[1].equals("ok") ? "" : ",error_type=\"" + vo[1] + "\""),
            DURATION_BUCKETS, h);
      });
    }
    if (!tokens.isEmpty()) {
      b.append("# TYPE gen_ai_client_token_usage histogram\n");
      tokens.forEach((version, h) -> histogram(b, "gen_ai_client_token_usage", "gen_ai_request_model=\"" + version
          + "\",gen_ai_operation_name=\"chat\",gen_ai_token_type=\"output\"", TOKEN_BUCKETS, h));
    }
  }

  private static void histogram(StringBuilder b, String name, String labels, double[] buckets, double[] h) {
    for (int i = 0; i < buckets.length; i++) {
      b.append(name).append("_bucket{").append(labels).append(",le=\"").append(buckets[i]).append("\"} ")
          .append((long) h[i]).append('\n');
    }
    long count = (long) h[buckets.length + 1];
    b.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(count).append('\n');
    b.append(name).append("_sum{").append(labels).append("} ").append(h[buckets.length]).append('\n');
    b.append(name).append("_count{").append(labels).append("} ").append(count).append('\n');
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    http.stop(0);
  }
}
