package dev.ripcord.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The shipped worker jar as its own JVM, pointed at a Temporal service: killable with SIGKILL, restartable. */
public final class WorkerProcess implements AutoCloseable {
  public final int httpPort = Components.freePort();
  private final TemporalService server;
  private final List<String> args;
  private final List<String> jvmArgs;
  private final java.nio.file.Path jar;
  private Proc proc;

  public WorkerProcess(TemporalService server, String... args) {
    this(server, List.of("-Xmx384m", "-XX:+UseSerialGC"), args);
  }

  public WorkerProcess(TemporalService server, List<String> jvmArgs, String... args) {
    this(server, Components.workerJar(), jvmArgs, args);
  }

  /** A worker from {@code jar}, e.g. {@link Components#productionWorkerJar()}. */
  public WorkerProcess(TemporalService server, java.nio.file.Path jar, List<String> jvmArgs, String... args) {
    this.server = server;
    this.jar = jar;
    this.jvmArgs = List.copyOf(jvmArgs);
    this.args = List.of(args);
    start();
  }

  /** The worker's whole log so far. */
  public String log() {
    try {
      return java.nio.file.Files.readString(proc.log);
    } catch (java.io.IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  public void start() {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-jar", jar.toString()));
    cmd.addAll(args);
    proc = Proc.start("worker", cmd, Map.of("TEMPORAL_ADDRESS", server.address(),
        "RIPCORD_HTTP_PORT", Integer.toString(httpPort)));
    proc.awaitHttp(url() + "/actuator/health", Duration.ofSeconds(90));
    proc.awaitUntil("search attributes registered", Duration.ofSeconds(30),
        () -> server.hasSearchAttribute("RipcordState"));
  }

  /** SIGTERM, as a deploy sends it; returns the exit code, or -1 when it had to be killed after {@code timeout}. */
  public int terminate(Duration timeout) {
    return proc.terminate(timeout);
  }

  public long pid() {
    return proc.pid();
  }

  public void kill9() throws InterruptedException {
    proc.kill9();
  }

  public boolean alive() {
    return proc.alive();
  }

  @Override
  public void close() {
    proc.stop();
  }
}
