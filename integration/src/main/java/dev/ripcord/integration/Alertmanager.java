package dev.ripcord.integration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real Alertmanager (Debian's package) on loopback, routing every alert to Ripcord's webhook ingress. */
public final class Alertmanager implements AutoCloseable {
  public final int port = Components.freePort();
  private final Proc proc;

  public Alertmanager(String ingressUrl, String bearerToken) throws IOException {
    Path dir = Files.createTempDirectory("ripcord-it-alertmanager");
    Files.writeString(dir.resolve("alertmanager.yml"), """
        route:
          receiver: ripcord
          group_by: [alertname, ripcord_release]
          group_wait: 0s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: ripcord
            webhook_configs:
              - url: '%s'
                send_resolved: true
                http_config:
                  authorization: {type: Bearer, credentials: '%s'}
        """.formatted(ingressUrl, bearerToken));
    proc = Proc.start("alertmanager", List.of(Components.alertmanager().toString(),
        "--config.file=" + dir.resolve("alertmanager.yml"), "--storage.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=", "--log.level=warn"), Map.of());
    proc.awaitHttp(url() + "/-/ready", Duration.ofSeconds(60));
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public String target() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    proc.stop();
  }
}
