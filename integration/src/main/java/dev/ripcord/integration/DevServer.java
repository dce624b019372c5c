package dev.ripcord.integration;

import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real Temporal CLI dev server ({@code temporal server start-dev}) on loopback, with its Web UI and SQLite
 * persistence in a file, so it can be stopped and started again without losing workflows.
 */
public final class DevServer implements TemporalService {
  public final int port = Components.freePort();
  public final int uiPort = Components.freePort();
  final Path db;
  private Proc proc;
  private Frontend frontend;

  public DevServer() {
    try {
      db = Files.createTempDirectory("ripcord-it-temporal").resolve("temporal.db");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    start();
  }

  @Override
  public String address() {
    return "127.0.0.1:" + port;
  }

  @Override
  public String uiUrl() {
    return "http://127.0.0.1:" + uiPort;
  }

  /**
   * Extra {@code start-dev} flags from {@code -Dripcord.devserver.args} (benchmarks tune SQLite with it and record
   * what they passed); none by default.
   */
  public static List<String> extraArgs() {
    String extra = System.getProperty("ripcord.devserver.args", "").strip();
    return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
  }

  /** The dev server's process id (for its CPU time). */
  @Override
  public long pid() {
    return proc.pid();
  }

  public void start() {
    List<String> cmd = new ArrayList<>(List.of(Components.temporal().toString(), "server", "start-dev",
        "--ip", "127.0.0.1", "--port", Integer.toString(port), "--ui-port", Integer.toString(uiPort),
        "--http-port", Integer.toString(Components.freePort()),
        "--metrics-port", Integer.toString(Components.freePort()), "--db-filename", db.toString(),
        "--log-level", "warn"));
    cmd.addAll(extraArgs());
    proc = Proc.start("temporal-dev-server", cmd, Map.of());
    proc.awaitHttp(uiUrl() + "/", Duration.ofSeconds(60));
    client();
    proc.awaitUntil("the frontend to answer", Duration.ofSeconds(60), frontend::answers);
  }

  /** SIGTERM and wait: what an operator's restart does. Workflows survive in the database file. */
  public void stop() {
    proc.stop();
  }

  @Override
  public synchronized WorkflowClient client() {
    if (frontend == null) {
      frontend = new Frontend(address());
    }
    return frontend.client();
  }

  @Override
  public void close() {
    if (frontend != null) {
      frontend.close();
    }
    if (proc != null) {
      proc.stop();
    }
  }
}
