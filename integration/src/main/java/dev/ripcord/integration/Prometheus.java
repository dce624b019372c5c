package dev.ripcord.integration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real Prometheus (Debian's package) on loopback: scrapes one target every second, evaluates alert rules. */
public final class Prometheus implements AutoCloseable {
  public final int port = Components.freePort();
  private final Proc proc;

  public Prometheus(String exporterTarget, String alertmanagerTarget, String rules) throws IOException {
    this(exporterTarget, alertmanagerTarget, rules, "1s");
  }

  /** Without an Alertmanager or rules when those are null; {@code scrapeInterval} as Prometheus writes it. */
  public Prometheus(String exporterTarget, String alertmanagerTarget, String rules, String scrapeInterval)
      throws IOException {
    this(exporterTarget, "/metrics", alertmanagerTarget, rules, scrapeInterval);
  }

  /** Scraping {@code metricsPath} on the target, e.g. a worker's {@code /actuator/prometheus}. */
  public Prometheus(String exporterTarget, String metricsPath, String alertmanagerTarget, String rules,
      String scrapeInterval) throws IOException {
    Path dir = Files.createTempDirectory("ripcord-it-prometheus");
    Files.writeString(dir.resolve("rules.yml"), rules == null ? "groups: []\n" : rules);
    Files.writeString(dir.resolve("prometheus.yml"), """
        global: {scrape_interval: %s, evaluation_interval: 1s}
        rule_files: [rules.yml]
        %s
        scrape_configs:
          - job_name: genai
            metrics_path: %s
            static_configs: [{targets: ['%s']}]
        """.formatted(scrapeInterval, alertmanagerTarget == null ? "" : """
        alerting:
          alertmanagers:
            - static_configs: [{targets: ['%s']}]""".formatted(alertmanagerTarget), metricsPath, exporterTarget));
    proc = Proc.start("prometheus", List.of(Components.prometheus().toString(),
        "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"), Map.of());
    proc.awaitHttp(url() + "/-/ready", Duration.ofSeconds(60));
  }

  /** An instant query's result vector ({@code /api/v1/query}); fails with Prometheus's error for a bad query. */
  public com.fasterxml.jackson.databind.JsonNode query(String promql) throws IOException, InterruptedException {
    var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(url() + "/api/v1/query?query=" + java.net.URLEncoder.encode(promql,
            java.nio.charset.StandardCharsets.UTF_8))).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new AssertionError("Prometheus refused " + promql + ": " + response.body());
    }
    return body.path("data").path("result");
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    proc.stop();
  }
}
