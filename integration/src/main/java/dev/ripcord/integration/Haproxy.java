package dev.ripcord.integration;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HAProxy (Debian's package) on loopback in front of one small HTTP backend per version, each counting the
 * requests it serves; the Runtime API on a TCP port ({@code stats socket ... level admin}). Backend {@code models},
 * its servers named after the versions; every server starts at weight 0 but the first (the baseline) at 100, and the
 * backend balances with {@code random} (see the config), or, {@linkplain #sticky sticky}, hashes a user header onto a
 * consistent-hashing ring. The client keeps its connection alive, as real callers do.
 */
public final class Haproxy implements AutoCloseable {
  public final int port = Components.freePort();
  public final int adminPort = Components.freePort();
  public static final String USER_HEADER = "X-User-Id";
  private final Map<String, AtomicInteger> served = new LinkedHashMap<>();
  /** The versions that served each user (by the value of {@link #USER_HEADER}) since the last count. */
  private final Map<String, Set<String>> byUser = new ConcurrentHashMap<>();
  private final List<HttpServer> backends = new java.util.ArrayList<>();
  private final Proc proc;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public Haproxy(String... versions) throws IOException {
    this(RANDOM, versions);
  }

  // random, not roundrobin: weighted round robin keeps position state, so after a server's weight comes back from 0
  // (the baseline after the full stage) the split follows the weights only after many requests (measured: 0 of 800
  // requests to a candidate weighted 10 of 100); random follows them from the next request.
  private static final String RANDOM = "  balance random\n";

  /** A backend that keeps each user ({@link #USER_HEADER}) on one version: the header hashed onto a weighted ring. */
  public static Haproxy sticky(String... versions) throws IOException {
    return new Haproxy("  balance hdr(" + USER_HEADER + ")\n  hash-type consistent\n", versions);
  }

  private Haproxy(String balance, String... versions) throws IOException {
    StringBuilder servers = new StringBuilder();
    for (int i = 0; i < versions.length; i++) {
      String v = versions[i];
      AtomicInteger count = new AtomicInteger();
      served.put(v, count);
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      s.createContext("/", ex -> {
        count.incrementAndGet();
        String user = ex.getRequestHeaders().getFirst(USER_HEADER);
        if (user != null) {
          byUser.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(v);
        }
        byte[] body = v.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
      });
      s.start();
      backends.add(s);
      servers.append("  server ").append(v).append(" 127.0.0.1:").append(s.getAddress().getPort())
          .append(" weight ").append(i == 0 ? 100 : 0).append('\n');
    }
    Path dir = Files.createTempDirectory("ripcord-it-haproxy");
    Path cfg = dir.resolve("haproxy.cfg");
    Files.writeString(cfg, """
        global
          stats socket ipv4@127.0.0.1:%d level admin
        defaults
          mode http
          timeout connect 2s
          timeout client 10s
          timeout server 10s
          # The test's backends (the JDK's HttpServer) answer a kept-alive connection about 40 ms late; closing
          # HAProxy's server-side connections brings a request to a few ms. It does not change the split.
          option http-server-close
        frontend models-in
          bind 127.0.0.1:%d
          default_backend models
        backend models
        %s%s""".formatted(adminPort, port, balance, servers));
    proc = Proc.start("haproxy", List.of(Components.haproxy().toString(), "-db", "-f", cfg.toString()), Map.of());
    proc.awaitUntil("HAProxy's Runtime API on " + adminPort, Duration.ofSeconds(30), () -> {
      try (Socket ignored = new Socket("127.0.0.1", adminPort)) {
        return true;
      } catch (IOException e) {
        return false;
      }
    });
  }

  /** The router.url for the Runtime API. */
  public String runtimeApi() {
    return "tcp://127.0.0.1:" + adminPort;
  }

  /** Sends {@code n} requests through HAProxy and returns how many each version served (counters reset first). */
  public Map<String, Integer> send(int n) throws Exception {
    served.values().forEach(c -> c.set(0));
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/generate"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("HAProxy answered " + r.statusCode() + ": " + r.body());
      }
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    served.forEach((v, c) -> out.put(v, c.get()));
    return out;
  }

  /**
   * Sends {@code requestsEach} requests as each of {@code users} (in turns, as users come back) and returns the
   * versions that served each user.
   */
  public Map<String, Set<String>> sendAs(List<String> users, int requestsEach) throws Exception {
    byUser.clear();
    for (int i = 0; i < requestsEach; i++) {
      for (String user : users) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/generate"))
            .header(USER_HEADER, user).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new AssertionError("HAProxy answered " + r.statusCode() + ": " + r.body());
        }
      }
    }
    return new TreeMap<>(byUser);
  }

  @Override
  public void close() {
    proc.stop();
    backends.forEach(s -> s.stop(0));
  }
}
