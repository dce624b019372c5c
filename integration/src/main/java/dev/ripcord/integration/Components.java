package dev.ripcord.integration;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Arrays;

/**
 * Where the real components are. Each must be installed (by {@code .ci/run} in CI); a missing one fails the test
 * with the command that installs it. Only with {@code RIPCORD_IT_SKIP_MISSING=true} (a laptop without them) is a
 * missing component a skip instead.
 */
public final class Components {
  private Components() {}

  public static Path temporal() {
    return require("the Temporal CLI (dev server + Web UI)", firstExisting(
            System.getenv("RIPCORD_TEMPORAL_BIN"),
            cacheBin().resolve("temporal").toString(),
            onPath("temporal")),
        "GOBIN=~/.cache/ripcord/bin go install github.com/temporalio/cli/cmd/temporal@v1.5.1 (or run .ci/run)");
  }

  /** The Temporal server (v1.32.1), built from the Go module proxy by components.sh and cached. */
  public static Path temporalServer() {
    return cached("temporal-server", "the Temporal server", "go.temporal.io/server/cmd/server@v1.32.1");
  }

  /** The Temporal server's SQL schema tool, from the same module and version as the server. */
  public static Path temporalSqlTool() {
    return cached("temporal-sql-tool", "the Temporal SQL schema tool", "go.temporal.io/server/cmd/tools/sql@v1.32.1");
  }

  /** The standalone Temporal UI server, from the Go module proxy. */
  public static Path temporalUiServer() {
    return cached("temporal-ui-server", "the Temporal UI server",
        "github.com/temporalio/ui-server/v2/cmd/server@" + UI_SERVER_VERSION);
  }

  /** Helm, which lints and renders the worker's chart (deploy/helm). */
  public static Path helm() {
    return cached("helm", "Helm", "helm.sh/helm/v4/cmd/helm@v4.3.2");
  }

  /** The newest ui-server tag whose go.mod asks for no newer Go than this machine's 1.26.8. */
  public static final String UI_SERVER_VERSION = "v2.55.0";

  /** A PostgreSQL server program ({@code postgres}, {@code initdb}, {@code pg_isready}) from Debian's packages. */
  public static Path postgresBin(String name) {
    Path found = null;
    try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      found = versions.map(v -> v.resolve("bin/" + name)).filter(Files::isExecutable)
          .max(java.util.Comparator.comparing(Path::toString)).orElse(null);
    } catch (IOException | java.io.UncheckedIOException noDebianLayout) {
      String onPath = onPath(name);
      found = onPath == null ? null : Path.of(onPath);
    }
    return require("PostgreSQL's " + name, found, "apt-get install postgresql");
  }

  /** Where components.sh caches what it builds: {@code $RIPCORD_CACHE/bin}, by default ~/.cache/ripcord/bin. */
  static Path cacheBin() {
    String cache = System.getenv("RIPCORD_CACHE");
    return (cache == null || cache.isBlank() ? Path.of(System.getProperty("user.home"), ".cache/ripcord")
        : Path.of(cache)).resolve("bin");
  }

  private static Path cached(String binary, String what, String module) {
    return require(what, firstExisting(cacheBin().resolve(binary).toString()),
        "bash integration/components.sh (it runs go install " + module + " and caches the binary as ~/.cache/ripcord/bin/"
        + binary + ")");
  }

  public static Path prometheus() {
    return require("Prometheus", firstExisting("/usr/bin/prometheus", onPath("prometheus")),
        "apt-get install prometheus");
  }

  /** Prometheus's rule checker and unit-test runner, from the same Debian package as the server. */
  public static Path promtool() {
    return require("promtool", firstExisting("/usr/bin/promtool", onPath("promtool")), "apt-get install prometheus");
  }

  public static Path haproxy() {
    return require("HAProxy", firstExisting("/usr/sbin/haproxy", onPath("haproxy")), "apt-get install haproxy");
  }

  public static Path alertmanager() {
    return require("Alertmanager", firstExisting("/usr/bin/prometheus-alertmanager", onPath("alertmanager")),
        "apt-get install prometheus-alertmanager");
  }

  public static Path chromium() {
    return require("Chromium", firstExisting("/usr/bin/chromium", onPath("chromium")), "apt-get install chromium");
  }

  public static Path chromedriver() {
    return require("ChromeDriver", firstExisting("/usr/bin/chromedriver", onPath("chromedriver")),
        "apt-get install chromium-driver");
  }

  /** Keycloak's server distribution, unpacked by the integration module's build (maven-dependency-plugin). */
  public static Path keycloak() {
    String home = System.getProperty("ripcord.keycloak.home");
    return require("Keycloak's server distribution", home != null && Files.isRegularFile(Path.of(home, "bin/kc.sh"))
        ? Path.of(home) : null, "mvn -pl integration verify unpacks org.keycloak:keycloak-quarkus-dist from Maven"
        + " Central into integration/target/keycloak");
  }

  /** A Java 21 or newer for Keycloak's server (Ripcord itself runs on 17): RIPCORD_JAVA21_HOME or Temurin 25. */
  public static Path java21Home() {
    String[] candidates = {System.getenv("RIPCORD_JAVA21_HOME"), "/usr/lib/jvm/temurin-25-jdk-amd64",
        "/usr/lib/jvm/temurin-21-jdk-amd64", "/usr/lib/jvm/java-21-openjdk-amd64"};
    Path found = null;
    for (String c : candidates) {
      if (c != null && Files.isExecutable(Path.of(c, "bin/java"))) {
        found = Path.of(c);
        break;
      }
    }
    return require("a Java 21+ runtime for Keycloak", found, "install Temurin 21+ or set RIPCORD_JAVA21_HOME");
  }

  public static Path root() {
    return Path.of(System.getProperty("ripcord.root", "..")).toAbsolutePath().normalize();
  }

  public static Path workerJar() {
    return built(root().resolve("worker/target/ripcord-worker.jar"));
  }

  /**
   * The production build of the worker ({@code -Pproduction}: no sandbox, no test server), built once per run from
   * this checkout with the Maven that runs the build ({@code maven.home}), or {@code mvn} on the path.
   */
  public static synchronized Path productionWorkerJar() {
    Path jar = root().resolve("worker/target/ripcord-worker-production.jar");
    if (productionBuilt) {
      return jar;
    }
    String home = System.getProperty("maven.home");
    String mvn = home != null && Files.isExecutable(Path.of(home, "bin/mvn")) ? Path.of(home, "bin/mvn").toString()
        : "mvn";
    Proc build = Proc.start("production-worker-build", List.of(mvn, "-B", "-q", "-f", root().resolve("pom.xml")
        .toString(), "-pl", "worker", "-am", "-Pproduction", "package", "-DskipTests"),
        Map.of());
    int exit = build.waitFor(Duration.ofMinutes(10));
    if (exit != 0 || !Files.isRegularFile(jar)) {
      throw new AssertionError("the production worker did not build (exit " + exit + "):\n" + build.logTail());
    }
    productionBuilt = true;
    return jar;
  }

  private static boolean productionBuilt;

  public static Path cliJar() {
    return built(root().resolve("starter/target/ripcord.jar"));
  }

  /** Screenshots, exported histories and process logs, kept after the run. */
  public static Path artifacts() {
    Path p = Path.of(System.getProperty("ripcord.it.artifacts", "target/it-artifacts")).toAbsolutePath();
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return p;
  }

  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private static final java.util.Random PORTS = new java.util.Random();

  /**
   * A free loopback port for a server a test starts, chosen below the kernel's ephemeral range: a port from
   * {@code bind(0)} is an ephemeral one, and between our probe and the server's bind an outgoing connection (the
   * dev server opens many to itself while starting) can take it ("bind: address already in use").
   */
  public static int freePort() {
    return freePortBelow(ephemeralLow());
  }

  /**
   * A free loopback port below {@code limit} (and the ephemeral range): the Temporal server keeps its services'
   * membership table in a PostgreSQL {@code smallint} (each service's gRPC port), so those must be below 32,768.
   */
  public static int freePortBelow(int limit) {
    int below = Math.min(limit, ephemeralLow());
    for (int attempt = 0; attempt < 200 && below > 11_000; attempt++) {
      int p = 10_000 + PORTS.nextInt(below - 10_000);
      if (HANDED_OUT.contains(p)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new java.net.InetSocketAddress("127.0.0.1", p));
        if (HANDED_OUT.add(p)) {
          return p;
        }
      } catch (IOException taken) {
        // try another
      }
    }
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int ephemeralLow() {
    try {
      // readAllLines, not readString: this kernel reports a /proc file's size wrongly and readString, which trusts
      // it, returned "3" for "32768 60999", so every port came from bind(0), in the ephemeral range after all.
      return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).strip()
          .split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768; // Linux's default
    }
  }

  private static Path built(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: the integration suite and the benchmarks run the jars the"
          + " build makes; run mvn -B -q package -DskipTests from the root");
    }
    return jar;
  }

  private static Path require(String what, Path found, String install) {
    if (found != null) {
      return found;
    }
    String message = what + " is not installed; install it with: " + install;
    if ("true".equals(System.getenv("RIPCORD_IT_SKIP_MISSING"))) {
      throw new org.opentest4j.TestAbortedException(message + " (skipped because RIPCORD_IT_SKIP_MISSING=true)");
    }
    throw new IllegalStateException(message + ". Integration tests fail rather than skip when a component is missing; set"
        + " RIPCORD_IT_SKIP_MISSING=true to skip them on a machine without it.");
  }

  private static Path firstExisting(String... candidates) {
    return Arrays.stream(candidates).filter(c -> c != null && Files.isExecutable(Path.of(c))).map(Path::of)
        .findFirst().orElse(null);
  }

  private static String onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}
