package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ripcord.integration.Cli;
import dev.ripcord.integration.Components;
import dev.ripcord.integration.Proc;
import dev.ripcord.integration.Releases;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml started for real: the Compose CLI against podman's Docker-compatible API ({@code podman system
 * service}), with the file's image variables pointed at local builds (deploy/image/build.sh and stack-images.sh) since
 * no registry is reachable. PostgreSQL, the schema set-up, the Temporal server, the namespace, the UI, two workers and
 * Prometheus with the shipped rules; Grafana is left out (it is not in Debian's archive, so there is no local image).
 * Every service is healthy or exited 0, both workers are ready and scraped, the UI answers, and a release rolls back
 * through the composed stack, its payloads sealed with the keys the file mounts as a secret.
 */
class ComposeIT {
  private static final String PROJECT = "ripcord-it";
  private static final List<String> SERVICES = List.of("postgresql", "temporal-schema", "temporal",
      "temporal-namespace", "temporal-ui", "ripcord-worker-1", "ripcord-worker-2", "prometheus");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static Path dir;
  static Path keys;
  static Proc service;
  static Thread health;
  static final Map<String, String> env = new HashMap<>();

  @BeforeAll
  static void up() throws Exception {
    dir = Files.createDirectories(Components.artifacts().resolve("compose"));
    run(Map.of(), "bash", Components.root().resolve("deploy/image/build.sh").toString(), "it");
    String vars = run(Map.of(), "bash", Components.root().resolve("deploy/image/stack-images.sh").toString());
    vars.lines().filter(l -> l.startsWith("RIPCORD_") && l.contains("=")).forEach(l ->
        env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    env.put("RIPCORD_WORKER_IMAGE", "localhost/ripcord-worker:it");

    // This machine's podman: runc (crun refuses its cgroups) and ulimits the sandbox allows, for every container.
    Path conf = dir.resolve("containers.conf");
    Files.writeString(conf, "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=4096:4096\"]\n"
        + "[engine]\nruntime = \"runc\"\n");
    Path socket = dir.resolve("podman.sock");
    Files.deleteIfExists(socket);
    service = Proc.start("podman-service", List.of("podman", "system", "service", "--time=0", "unix://" + socket),
        Map.of("CONTAINERS_CONF", conf.toString()));
    Proc.eventually("podman's API socket", Duration.ofSeconds(30), () -> Files.exists(socket), () -> "");
    env.put("DOCKER_HOST", "unix://" + socket);
    env.put("CONTAINERS_CONF", conf.toString());

    keys = dir.resolve("codec-keys.json");
    Files.deleteIfExists(keys);
    Cli.Run key = Cli.run("codec", "new-key", "--file", keys.toString());
    assertEquals(0, key.exit(), key.output());
    run(Map.of(), "chown", "10001:10001", keys.toString()); // the worker image's user reads the mounted secret
    env.put("RIPCORD_CODEC_KEYS_FILE", keys.toString());

    compose("down", "-v", "--remove-orphans");
    health = new Thread(ComposeIT::runHealthChecks, "compose-health");
    health.setDaemon(true);
    health.start();
    List<String> upArgs = new ArrayList<>(List.of("up", "-d", "--wait", "--wait-timeout", "300"));
    upArgs.addAll(SERVICES);
    compose(upArgs.toArray(String[]::new));
  }

  @AfterAll
  static void down() throws Exception {
    if (health != null) health.interrupt();
    if (service != null) {
      try {
        Files.writeString(Components.artifacts().resolve("logs/compose-services.log"), compose("logs", "--no-color"));
        compose("down", "-v", "--remove-orphans");
      } finally {
        service.stop();
      }
    }
  }

  /**
   * Podman 4.3 schedules health checks with systemd timers, and no systemd runs here: this runs each running
   * container's own check (the file's {@code healthcheck}) every two seconds, as those timers would.
   */
  private static void runHealthChecks() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        for (String name : run(Map.of(), "podman", "ps", "--format", "{{.Names}}").lines().toList()) {
          if (name.startsWith(PROJECT + "-")) {
            new ProcessBuilder("podman", "healthcheck", "run", name).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
          }
        }
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        return;
      } catch (IOException | AssertionError e) {
        Proc.sleep(2_000);
      }
    }
  }

  private static String compose(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("docker", "compose", "-p", PROJECT, "-f",
        Components.root().resolve("docker-compose.yml").toString()));
    cmd.addAll(List.of(args));
    return run(env, cmd.toArray(String[]::new));
  }

  private static String run(Map<String, String> extra, String... cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(extra);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(15, TimeUnit.MINUTES), String.join(" ", cmd));
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
    return out;
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static boolean answers(String url, String contains) {
    try {
      var r = get(url);
      return r.statusCode() == 200 && r.body().contains(contains);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void theComposedStackRunsHealthyScrapesBothWorkersAndRollsAReleaseBack() throws Exception {
    JsonNode ps = Releases.JSON.readTree("[" + String.join(",", compose("ps", "-a", "--format", "json").lines()
        .filter(l -> l.startsWith("{")).toList()) + "]");
    Map<String, String> states = new HashMap<>();
    for (JsonNode c : ps.isArray() && ps.size() == 1 && ps.get(0).isArray() ? ps.get(0) : ps) {
      states.put(c.path("Service").asText(), c.path("State").asText() + "/" + c.path("Health").asText() + "/"
          + c.path("ExitCode").asText());
    }
    for (String s : SERVICES) {
      String state = states.getOrDefault(s, "missing");
      boolean oneShot = s.equals("temporal-schema") || s.equals("temporal-namespace");
      assertTrue(oneShot ? state.startsWith("exited/") && state.endsWith("/0") : state.startsWith("running/"),
          s + ": " + state + " (all: " + states + ")");
    }
    for (String s : List.of("postgresql", "temporal", "ripcord-worker-1", "ripcord-worker-2", "prometheus")) {
      String[] health = {""};
      Proc.eventually(s + " healthy by its own check", Duration.ofSeconds(120), () -> {
        try {
          health[0] = run(Map.of(), "podman", "inspect", "--format", "{{.State.Health.Status}}", PROJECT + "-" + s
              + "-1").strip();
        } catch (IOException | InterruptedException | AssertionError e) {
          health[0] = String.valueOf(e.getMessage());
        }
        return health[0].equals("healthy");
      }, () -> health[0]);
    }
    for (int port : new int[] {8081, 8082}) {
      Proc.eventually("worker on " + port + " ready", Duration.ofSeconds(120),
          () -> answers("http://127.0.0.1:" + port + "/actuator/health/readiness", "\"UP\""), () -> "");
    }
    Proc.eventually("Prometheus scrapes both workers", Duration.ofSeconds(90), () -> {
      try {
        JsonNode targets = Releases.JSON.readTree(get("http://127.0.0.1:9090/api/v1/targets").body());
        long up = 0;
        for (JsonNode t : targets.path("data").path("activeTargets")) {
          if (t.path("scrapeUrl").asText().contains("ripcord-worker") && t.path("health").asText().equals("up")) {
            up++;
          }
        }
        return up == 2;
      } catch (IOException | InterruptedException e) {
        return false;
      }
    }, () -> "");
    assertTrue(answers("http://127.0.0.1:9090/api/v1/rules", "\"name\":\"ripcord\""), "the shipped rules are loaded");
    assertTrue(answers("http://127.0.0.1:8080/", "<"), "the UI answers");

    ReleasePolicy p = PolicyBuilder.chat().model("composed").router(new RouterSpec(RouterSpec.EXTERNAL, null, "models",
        null)).pushed().interval("2s").inconclusive(1000, null).stage("canary", 10, "30m")
        .hallucinationLimit(8, "rollback", 2, 3).build();
    Path policy = dir.resolve("composed.json");
    Files.writeString(policy, PolicyLoader.toJson(p));
    Map<String, String> cli = Map.of("RIPCORD_CODEC_KEYS", keys.toString());
    Cli.Run started = Cli.run(cli, "release", "start", "--policy", policy.toString(), "--address", "127.0.0.1:7233");
    assertEquals(0, started.exit(), started.output());
    String[] last = {""};
    Proc.eventually("canary", Duration.ofSeconds(60), () -> {
      last[0] = Cli.run(cli, "status", p.releaseId(), "--address", "127.0.0.1:7233").output();
      return last[0].contains("ROLLING_OUT");
    }, () -> last[0]);
    for (int i = 0; i < 2; i++) { // two windows over the limit: the criterion fires (two of three)
      Cli.Run observed = Cli.run(cli, "observe", p.releaseId(), "--address", "127.0.0.1:7233", "--json",
          Releases.JSON.writeValueAsString(Releases.windowJson("canary", 40)));
      assertEquals(0, observed.exit(), observed.output());
    }
    Proc.eventually("rolled back", Duration.ofSeconds(90), () -> {
      last[0] = Cli.run(cli, "status", p.releaseId(), "--address", "127.0.0.1:7233").output();
      return last[0].contains("ROLLED_BACK");
    }, () -> last[0]);
    assertTrue(last[0].contains("build: ripcord:0.1.0 (pinned)"), "the composed workers' build: " + last[0]);
  }
}
