package dev.ripcord.sandbox.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-process reference gateway used by the demo and the tests: a real HTTP server on loopback that keeps traffic
 * splits per route, honours idempotency keys (a repeated key changes nothing and says so), and collects webhook
 * notifications. It can be told to fail, to show what Ripcord does when a router is down.
 *
 * <ul>
 *   <li>{@code PUT /routes/<route>} with {@code {"weights": {"v2": 10, "v1": 90}}} and an {@code Idempotency-Key}</li>
 *   <li>{@code GET /routes/<route>} answers {@code {"weights": {...}}}</li>
 *   <li>{@code POST /hooks/<name>} records a Slack-style message</li>
 * </ul>
 */
public final class ReferenceGateway implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final Map<String, Map<String, Integer>> routes = new ConcurrentHashMap<>();
  private final Map<String, String> requestByKey = new ConcurrentHashMap<>();
  private final List<Change> changes = new ArrayList<>();
  private final List<Message> messages = new ArrayList<>();
  private final Map<String, AtomicInteger> putsByKey = new ConcurrentHashMap<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicInteger loseAnswerOfNext = new AtomicInteger();
  private volatile int failStatus = 503;
  private volatile boolean down;
  private volatile java.time.Duration stallNext;
  private final java.util.concurrent.LinkedBlockingQueue<String> stalled = new java.util.concurrent.LinkedBlockingQueue<>();

  /** A change the gateway actually applied, with the W3C {@code traceparent} it came with (null without one). */
  public record Change(String route, String key, Map<String, Integer> weights, Instant at, String traceparent) {}

  /** A notification it received. */
  public record Message(String hook, String text, String event, String release) {}

  private ReferenceGateway(HttpServer server) {
    this.server = server;
  }

  /** Starts on 127.0.0.1; port 0 picks a free one. */
  public static ReferenceGateway start(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    ReferenceGateway g = new ReferenceGateway(server);
    server.createContext("/routes/", g::route);
    server.createContext("/hooks/", g::hook);
    server.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "reference-gateway");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return g;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String hookUrl(String name) {
    return url() + "/hooks/" + name;
  }

  /** The candidate's current weight on {@code route}. */
  public int weight(String route, String version) {
    Map<String, Integer> w = routes.get(route);
    return w == null ? 0 : w.getOrDefault(version, 0);
  }

  public synchronized List<Change> changes() {
    return List.copyOf(changes);
  }

  public synchronized List<Message> messages() {
    return List.copyOf(messages);
  }

  /** How many PUTs carried {@code key} (retries included). */
  public int putsWithKey(String key) {
    AtomicInteger n = putsByKey.get(key);
    return n == null ? 0 : n.get();
  }

  /** The next {@code n} route requests fail with {@code status}. */
  public void failNext(int n, int status) {
    failStatus = status;
    failNext.set(n);
  }

  /** The next {@code n} PUTs are applied but answered with a 502, as if the answer was lost on the way back. */
  public void loseAnswerOfNext(int n) {
    loseAnswerOfNext.set(n);
  }

  /**
   * The next PUT is applied, then its answer is held back for {@code d}: a slow router, for killing the caller
   * mid-call. {@link #awaitStalled} returns its idempotency key once it has arrived.
   */
  public void stallNextPut(java.time.Duration d) {
    stallNext = d;
  }

  public String awaitStalled(java.time.Duration timeout) throws InterruptedException {
    return stalled.poll(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** While down, every route request is answered 503. */
  public void setDown(boolean down) {
    this.down = down;
  }

  private void route(HttpExchange ex) throws IOException {
    try (ex) {
      String route = ex.getRequestURI().getPath().substring("/routes/".length());
      if (down || failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
        respond(ex, down ? 503 : failStatus, "{\"error\":\"gateway unavailable (injected)\"}");
        return;
      }
      switch (ex.getRequestMethod()) {
        case "GET" -> respond(ex, 200, weightsJson(route, null).toString());
        case "PUT" -> put(ex, route);
        default -> respond(ex, 405, "{\"error\":\"use GET or PUT\"}");
      }
    }
  }

  private void put(HttpExchange ex, String route) throws IOException {
    String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
    if (key == null || key.isBlank()) {
      respond(ex, 400, "{\"error\":\"Idempotency-Key header is required\"}");
      return;
    }
    putsByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    JsonNode weights;
    try {
      weights = JSON.readTree(body).path("weights");
    } catch (IOException e) {
      respond(ex, 400, "{\"error\":\"body is not JSON\"}");
      return;
    }
    if (!weights.isObject() || weights.isEmpty()) {
      respond(ex, 400, "{\"error\":\"weights is required, e.g. {\\\"v2\\\": 10, \\\"v1\\\": 90}\"}");
      return;
    }
    Map<String, Integer> w = new LinkedHashMap<>();
    int total = 0;
    for (var it = weights.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0 || e.getValue().asInt() > 100) {
        respond(ex, 422, "{\"error\":\"weight of " + e.getKey() + " must be 0..100\"}");
        return;
      }
      w.put(e.getKey(), e.getValue().asInt());
      total += e.getValue().asInt();
    }
    if (total != 100) {
      respond(ex, 422, "{\"error\":\"weights must add up to 100, got " + total + "\"}");
      return;
    }
    String canonical = route + " " + w;
    boolean applied;
    synchronized (this) {
      String earlier = requestByKey.putIfAbsent(key, canonical);
      if (earlier != null && !earlier.equals(canonical)) {
        respond(ex, 422, "{\"error\":\"Idempotency-Key reused for a different change\"}");
        return;
      }
      applied = earlier == null;
      if (applied) {
        routes.put(route, w);
        changes.add(new Change(route, key, Map.copyOf(w), Instant.now(),
            ex.getRequestHeaders().getFirst("traceparent")));
      }
    }
    java.time.Duration stall = stallNext;
    if (applied && stall != null) {
      stallNext = null;
      stalled.add(key);
      try {
        Thread.sleep(stall.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (applied && loseAnswerOfNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      respond(ex, 502, "{\"error\":\"answer lost (injected)\"}");
      return;
    }
    respond(ex, 200, weightsJson(route, applied).toString());
  }

  private ObjectNode weightsJson(String route, Boolean applied) {
    ObjectNode n = JSON.createObjectNode();
    n.put("route", route);
    if (applied != null) {
      n.put("applied", applied);
    }
    ObjectNode w = n.putObject("weights");
    routes.getOrDefault(route, Map.of()).forEach(w::put);
    return n;
  }

  private void hook(HttpExchange ex) throws IOException {
    try (ex) {
      String name = ex.getRequestURI().getPath().substring("/hooks/".length());
      JsonNode body = JSON.readTree(ex.getRequestBody());
      synchronized (this) {
        messages.add(new Message(name, body.path("text").asText(), body.path("event").asText(null),
            body.path("release").asText(null)));
      }
      respond(ex, 200, "ok");
    }
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
