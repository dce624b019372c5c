package dev.ripcord.integration;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The standalone Temporal UI server (github.com/temporalio/ui-server) with the shipped configuration,
 * {@code deploy/temporal/ui/ripcord.yaml}, in front of a Temporal frontend; {@code env} turns on what that file reads
 * from the environment (sign-in through an identity provider, a codec endpoint).
 */
public final class TemporalUiServer implements AutoCloseable {
  public final int port;
  private final Proc proc;

  public TemporalUiServer(String temporalAddress, Map<String, String> env) {
    this(temporalAddress, Components.freePort(), env);
  }

  public TemporalUiServer(String temporalAddress, int port, Map<String, String> env) {
    this.port = port;
    Map<String, String> all = new HashMap<>(env);
    all.put("TEMPORAL_ADDRESS", temporalAddress);
    all.put("TEMPORAL_UI_PORT", Integer.toString(port));
    all.put("TEMPORAL_UI_PUBLIC_URL", url());
    proc = Proc.start("temporal-ui-server", List.of(Components.temporalUiServer().toString(), "--root",
        Components.root().resolve("deploy/temporal").toString(), "--config", "ui", "--env", "ripcord", "start"), all);
    proc.awaitHttp(url() + "/", Duration.ofSeconds(60));
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public long pid() {
    return proc.pid();
  }

  @Override
  public void close() {
    proc.stop();
  }
}
