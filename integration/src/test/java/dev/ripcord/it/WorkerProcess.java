package dev.ripcord.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The shipped worker jar as its own JVM, pointed at the dev server: killable with SIGKILL, restartable. */
final class WorkerProcess implements AutoCloseable {
  final int httpPort = Components.freePort();
  private final DevServer server;
  private final List<String> args;
  private Proc proc;

  WorkerProcess(DevServer server, String... args) {
    this.server = server;
    this.args = List.of(args);
    start();
  }

  String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  void start() {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Xmx384m", "-XX:+UseSerialGC", "-jar", Components.workerJar().toString()));
    cmd.addAll(args);
    proc = Proc.start("worker", cmd, Map.of("TEMPORAL_ADDRESS", server.address(),
        "RIPCORD_HTTP_PORT", Integer.toString(httpPort)));
    proc.awaitHttp(url() + "/actuator/health", Duration.ofSeconds(90));
    proc.awaitUntil("search attributes registered", Duration.ofSeconds(30),
        () -> server.hasSearchAttribute("RipcordState"));
  }

  long pid() {
    return proc.pid();
  }

  void kill9() throws InterruptedException {
    proc.kill9();
  }

  boolean alive() {
    return proc.alive();
  }

  @Override
  public void close() {
    proc.stop();
  }
}
