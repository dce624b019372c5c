package dev.ripcord.integration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real Prometheus (Debian's package) on loopback: scrapes the exporter every second, evaluates alert rules. */
public final class Prometheus implements AutoCloseable {
  public final int port = Components.freePort();
  private final Proc proc;

  public Prometheus(String exporterTarget, String alertmanagerTarget, String rules) throws IOException {
    this(exporterTarget, alertmanagerTarget, rules, "1s");
  }

  /** Without an Alertmanager or rules when those are null; {@code scrapeInterval} as Prometheus writes it. */
  public Prometheus(String exporterTarget, String alertmanagerTarget, String rules, String scrapeInterval)
      throws IOException {
    Path dir = Files.createTempDirectory("ripcord-it-prometheus");
    Files.writeString(dir.resolve("rules.yml"), rules == null ? "groups: []\n" : rules);
    Files.writeString(dir.resolve("prometheus.yml"), """
        global: {scrape_interval: %s, evaluation_interval: 1s}
        rule_files: [rules.yml]
        %s
        scrape_configs:
          - job_name: genai
            static_configs: [{targets: ['%s']}]
        """.formatted(scrapeInterval, alertmanagerTarget == null ? "" : """
        alerting:
          alertmanagers:
            - static_configs: [{targets: ['%s']}]""".formatted(alertmanagerTarget), exporterTarget));
    proc = Proc.start("prometheus", List.of(Components.prometheus().toString(),
        "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"), Map.of());
    proc.awaitHttp(url() + "/-/ready", Duration.ofSeconds(60));
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    proc.stop();
  }
}
