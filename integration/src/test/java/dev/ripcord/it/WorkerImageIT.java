package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.integration.Components;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Proc;
import dev.ripcord.integration.Releases;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker image as shipped: built by {@code deploy/image/build.sh} (a Debian base made by debootstrap from Debian's
 * packages, the production jar, podman build; no Docker daemon, no registry) and run by podman with runc. It runs as
 * user 10001 with the JVM's container settings, records its base by digest, runs a release on the dev server, stops
 * cleanly on SIGTERM, and without a Temporal address stops at once saying what to set.
 */
class WorkerImageIT {
  private static final String IMAGE = "localhost/ripcord-worker:it";
  /** What podman needs here: runc (crun refuses hybrid cgroups), host networking, ulimits the sandbox allows. */
  private static final List<String> RUN = List.of("podman", "--runtime", "runc", "run", "--rm", "--network", "host",
      "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096");
  static DevServer server;
  static ReferenceGateway gateway;

  @BeforeAll
  static void up() throws Exception {
    Proc build = Proc.start("image-build", List.of("bash", Components.root().resolve("deploy/image/build.sh")
        .toString(), "it"), Map.of("RIPCORD_WORKER_JAR", Components.productionWorkerJar().toString()));
    assertEquals(0, build.waitFor(Duration.ofMinutes(10)), "deploy/image/build.sh failed:\n" + build.logTail());
    server = new DevServer();
    gateway = ReferenceGateway.start(0);
  }

  @AfterAll
  static void down() {
    if (gateway != null) gateway.close();
    if (server != null) server.close();
  }

  private static String podman(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("podman", "--runtime", "runc"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd));
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
    return out.strip();
  }

  @Test
  void theImageRunsAsNonRootOnItsRecordedBaseAndItsWorkerRunsAReleaseAndStopsCleanly() throws Exception {
    assertEquals("10001:10001", podman("image", "inspect", "--format", "{{.Config.User}}", IMAGE));
    String base = podman("image", "inspect", "--format",
        "{{index .Labels \"org.opencontainers.image.base.digest\"}}", IMAGE);
    assertTrue(base.startsWith("sha256:"), "the base is recorded by digest: " + base);
    String recorded = java.nio.file.Files.readString(Components.root().resolve("worker/target/image/base.digest"));
    assertTrue(recorded.strip().endsWith("@" + base), recorded + " vs " + base);

    int port = Components.freePort();
    List<String> cmd = new ArrayList<>(RUN);
    cmd.addAll(List.of("--name", "ripcord-worker-it", "-e", "TEMPORAL_ADDRESS=" + server.address(),
        "-e", "RIPCORD_HTTP_PORT=" + port, IMAGE));
    Proc worker = Proc.start("worker-image", cmd, Map.of());
    try {
      worker.awaitHttp("http://127.0.0.1:" + port + "/actuator/health/readiness", Duration.ofSeconds(120));
      assertEquals("10001", podman("exec", "ripcord-worker-it", "id", "-u"), "runs as the image's user");
      assertTrue(worker.logText().contains("Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=75"),
          "the JVM sizes its heap from the container: " + worker.logTail());

      ReleasePolicy p = PolicyBuilder.chat().model("image").router(gateway.url()).pushed().interval("1s")
          .inconclusive(1000, null).promotesOnTime().stage("canary", 10, "3s").stage("full", 100, "2s").build();
      ReleaseWorkflow wf = Releases.start(server.client(), p);
      assertEquals(ReleaseState.COMPLETED, Releases.result(wf, Duration.ofSeconds(90)).state());
    } finally {
      int exit = worker.terminate(Duration.ofSeconds(60)); // SIGTERM to podman, which passes it on
      assertNotEquals(-1, exit, "the container stops within its grace");
    }
    assertTrue(worker.logText().contains("shut down cleanly"), worker.logTail());
  }

  @Test
  void withoutATemporalAddressTheContainerStopsAtOnceSayingWhatToSet() throws Exception {
    List<String> cmd = new ArrayList<>(RUN);
    cmd.add(IMAGE);
    Proc bare = Proc.start("worker-image-bare", cmd, Map.of());
    int exit = bare.waitFor(Duration.ofSeconds(90));
    assertNotEquals(0, exit, bare.logTail());
    assertNotEquals(-1, exit, "it stopped by itself: " + bare.logTail());
    assertTrue(bare.logText().contains("TEMPORAL_ADDRESS"), bare.logTail());
  }
}
