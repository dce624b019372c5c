package dev.ripcord.activities.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ripcord.workflows.activity.ObservationActivities.ObservationRequest;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.policy.ObservationSpec;
import dev.ripcord.workflows.policy.ObservationSpec.ArmPaths;
import dev.ripcord.workflows.policy.ObservationSpec.HttpSpec;
import dev.ripcord.workflows.policy.ObservationSpec.SignalPaths;
import io.temporal.failure.ApplicationFailure;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The http observation source against a real HTTP server on loopback. */
class HttpJsonObservationActivitiesTest {
  private HttpServer server;
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> body = new AtomicReference<>();
  private final AtomicReference<String> lastQuery = new AtomicReference<>();
  private final AtomicReference<String> lastAuth = new AtomicReference<>();
  private final HttpJsonObservationActivities source = new HttpJsonObservationActivities(HttpClient.newHttpClient(),
      Duration.ofSeconds(5), name -> name.equals("EVALS_TOKEN") ? "Bearer s3cret" : null);

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/windows", exchange -> {
      lastQuery.set(exchange.getRequestURI().getRawQuery());
      lastAuth.set(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status.get(), b.length);
      exchange.getResponseBody().write(b);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private ObservationRequest request(String authFromEnv) {
    HttpSpec http = new HttpSpec("http://127.0.0.1:" + server.getAddress().getPort()
        + "/windows?model={model}&candidate={candidate}&to={to}", authFromEnv == null ? null : "Authorization",
        authFromEnv, Map.of(
            "hallucination", new SignalPaths(new ArmPaths("$.candidate.bad", "$.candidate.n", null),
                new ArmPaths("$.baseline.bad", "$.baseline.n", null)),
            "latency_p99_ms", new SignalPaths(new ArmPaths(null, null, "$.candidate.p99"), null)));
    return new ObservationRequest("release-chat-v2", new ObservationSpec("http", null, null, null, http),
        List.of("hallucination", "latency_p99_ms"), "canary", 10, 3, "2026-12-01T10:00:00Z", "2026-12-01T10:01:00Z",
        "chat", "v2", "v1");
  }

  @Test
  void readsEachArmAtItsPathAndSendsTheHeaderFromTheEnvironment() {
    body.set("{\"candidate\": {\"bad\": 30, \"n\": 10000, \"p99\": 812.5}, \"baseline\": {\"bad\": 5, \"n\": 90000}}");
    Observation o = source.read(request("EVALS_TOKEN"));
    assertEquals(30L, o.signals().get("hallucination").candidate().events());
    assertEquals(90000L, o.signals().get("hallucination").baseline().trials());
    assertEquals(812.5, o.signals().get("latency_p99_ms").candidate().value());
    assertEquals("Bearer s3cret", lastAuth.get());
    assertEquals("model=chat&candidate=v2&to=2026-12-01T10%3A01%3A00Z", lastQuery.get());
    assertEquals("http", o.source());
    assertTrue(o.query().contains("/windows?model=chat"), o.query());
  }

  @Test
  void aSignalWithUnitsReadsEachArmsUnitStatisticsFromTheObjectAtItsPath() {
    HttpSpec http = new HttpSpec("http://127.0.0.1:" + server.getAddress().getPort() + "/windows", null, null,
        Map.of("flagged", new SignalPaths(
            new ArmPaths("$.c.bad", "$.c.n", null, null, null, null, null, null, "$.c.users"),
            new ArmPaths("$.b.bad", "$.b.n", null, null, null, null, null, null, "$.b.users"))));
    ObservationRequest r = new ObservationRequest("release-chat-v2", new ObservationSpec("http", null, null, null,
        http), List.of("flagged"), "canary", 10, 3, "2026-12-01T10:00:00Z", "2026-12-01T10:01:00Z", "chat", "v2",
        "v1");
    body.set("{\"c\": {\"bad\": 4, \"n\": 1000, \"users\": {\"units\": 310, \"unitEventsSq\": 40,"
        + " \"unitTrialsSq\": 52000, \"unitEventsTrials\": 900}}, \"b\": {\"bad\": 30, \"n\": 9000, \"users\":"
        + " {\"units\": 2800, \"unitEventsSq\": 300, \"unitTrialsSq\": 470000, \"unitEventsTrials\": 7000}}}");
    Observation o = source.read(r);
    var c = o.signals().get("flagged").candidate();
    assertEquals(4L, c.events());
    assertEquals(310L, c.units());
    assertEquals(52000.0, c.unitTrialsSq());
    assertEquals(7000.0, o.signals().get("flagged").baseline().unitEventsTrials());
    body.set("{\"c\": {\"bad\": 4, \"n\": 1000, \"users\": {\"units\": 310}}, \"b\": {\"bad\": 30, \"n\": 9000}}");
    ApplicationFailure missing = assertThrows(ApplicationFailure.class, () -> source.read(r));
    assertTrue(missing.getOriginalMessage().contains("no number for flagged.candidate.unitEventsSq at"
        + " $.c.users.unitEventsSq"), missing.getOriginalMessage());
  }

  @Test
  void aHistogramWithUnitsReadsItsSumsByBucketBoundFromTheObjectAtItsPath() {
    HttpSpec http = new HttpSpec("http://127.0.0.1:" + server.getAddress().getPort() + "/windows", null, null,
        Map.of("latency_ms", new SignalPaths(
            new ArmPaths(null, null, null, null, null, null, null, "$.c.hist", "$.c.users"),
            new ArmPaths(null, null, null, null, null, null, null, "$.b.hist", null))));
    ObservationRequest r = new ObservationRequest("release-chat-v2", new ObservationSpec("http", null, null, null,
        http), List.of("latency_ms"), "canary", 10, 3, "2026-12-01T10:00:00Z", "2026-12-01T10:01:00Z", "chat", "v2",
        "v1");
    body.set("{\"c\": {\"hist\": {\"500\": 850, \"+Inf\": 1000}, \"users\": {\"units\": 40, \"unitBucketsSq\":"
        + " {\"500\": 500.5, \"+Inf\": 1000}, \"unitBucketsTrials\": {\"500\": 700, \"+Inf\": 1000}}},"
        + " \"b\": {\"hist\": {\"500\": 8000, \"+Inf\": 9000}}}");
    var c = source.read(r).signals().get("latency_ms").candidate();
    assertEquals(40L, c.units());
    assertEquals(Map.of("500", 500.5, "+Inf", 1000.0), c.unitBucketsSq());
    assertEquals(700.0, c.unitBucketsTrials().get("500"));
    body.set("{\"c\": {\"hist\": {\"500\": 850, \"+Inf\": 1000}, \"users\": {\"units\": 40, \"unitBucketsSq\":"
        + " {\"500\": 500.5, \"+Inf\": 1000}}}, \"b\": {\"hist\": {\"500\": 8000, \"+Inf\": 9000}}}");
    ApplicationFailure missing = assertThrows(ApplicationFailure.class, () -> source.read(r));
    assertTrue(missing.getOriginalMessage().startsWith("no sums by bucket bound for latency_ms.candidate"
        + ".unitBucketsTrials at $.c.users.unitBucketsTrials"), missing.getOriginalMessage());
  }

  @Test
  void whatCannotBeReadFailsNamingTheSignalAndThePath() {
    body.set("{\"candidate\": {\"bad\": 30, \"p99\": 812.5}, \"baseline\": {\"bad\": 5, \"n\": 90000}}");
    ApplicationFailure missing = assertThrows(ApplicationFailure.class, () -> source.read(request(null)));
    assertEquals(HttpJsonObservationActivities.NO_DATA, missing.getType());
    assertTrue(missing.getOriginalMessage().startsWith("no number for hallucination.candidate.trials at"
        + " $.candidate.n"), missing.getOriginalMessage());

    body.set("{\"candidate\": {\"bad\": 30, \"n\": 20, \"p99\": 1}, \"baseline\": {\"bad\": 5, \"n\": 9}}");
    assertTrue(assertThrows(ApplicationFailure.class, () -> source.read(request(null))).getOriginalMessage()
        .contains("is not a count"));

    body.set("<html>oops</html>");
    ApplicationFailure notJson = assertThrows(ApplicationFailure.class, () -> source.read(request(null)));
    assertEquals(HttpJsonObservationActivities.REJECTED, notJson.getType());
    assertTrue(notJson.isNonRetryable());
  }

  @Test
  void aServiceThatIsDownIsRetriedOneThatRefusesIsNot() {
    body.set("{}");
    status.set(503);
    ApplicationFailure down = assertThrows(ApplicationFailure.class, () -> source.read(request(null)));
    assertEquals(HttpJsonObservationActivities.UNAVAILABLE, down.getType());
    assertFalse(down.isNonRetryable());
    status.set(404);
    ApplicationFailure refused = assertThrows(ApplicationFailure.class, () -> source.read(request(null)));
    assertEquals(HttpJsonObservationActivities.REJECTED, refused.getType());
    assertTrue(refused.isNonRetryable());
  }

  @Test
  void aMissingTokenVariableIsNamedNotSentEmpty() {
    body.set("{}");
    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> source.read(request("OTHER_TOKEN")));
    assertTrue(f.getOriginalMessage().contains("no environment variable OTHER_TOKEN"), f.getOriginalMessage());
    assertEquals(null, lastQuery.get(), "nothing was sent");
  }

  @Test
  void aScoreIsReadWithItsSampleAndALatencyWithItsHistogram() {
    HttpSpec http = new HttpSpec("http://127.0.0.1:" + server.getAddress().getPort() + "/windows", null, null, Map.of(
        "utility_score", new SignalPaths(new ArmPaths(null, null, "$.candidate.utility.mean", "$.candidate.utility.n",
            "$.candidate.utility.sd", null, null, null), new ArmPaths(null, null, null, "$.baseline.utility.n", null,
            "$.baseline.utility.sum", "$.baseline.utility.sumSquares", null)),
        "latency_ms", new SignalPaths(new ArmPaths(null, null, null, null, null, null, null, "$.candidate.latency"),
            null)));
    ObservationRequest r = new ObservationRequest("release-chat-v2", new ObservationSpec("http", null, null, null,
        http), List.of("utility_score", "latency_ms"), "canary", 10, 3, "2026-12-01T10:00:00Z", "2026-12-01T10:01:00Z",
        "chat", "v2", "v1");
    body.set("{\"candidate\": {\"utility\": {\"mean\": 0.79, \"n\": 200, \"sd\": 0.25},"
        + " \"latency\": {\"250\": 180, \"500\": 190, \"+Inf\": 200}},"
        + " \"baseline\": {\"utility\": {\"n\": 1800, \"sum\": 1440.0, \"sumSquares\": 1264.5}}}");
    Observation o = source.read(r);
    Observation.Arm cand = o.signals().get("utility_score").candidate();
    assertEquals(200L, cand.n());
    assertEquals(0.25, cand.sd());
    assertEquals(1264.5, o.signals().get("utility_score").baseline().sumSquares());
    assertEquals(Map.of("250", 180L, "500", 190L, "+Inf", 200L), o.signals().get("latency_ms").candidate().buckets());

    body.set("{\"candidate\": {\"utility\": {\"mean\": 0.79, \"n\": 200, \"sd\": 0.25}, \"latency\": 7},"
        + " \"baseline\": {\"utility\": {\"n\": 1800, \"sum\": 1440.0, \"sumSquares\": 1264.5}}}");
    ApplicationFailure notAHistogram = assertThrows(ApplicationFailure.class, () -> source.read(r));
    assertTrue(notAHistogram.getOriginalMessage().startsWith("no histogram for latency_ms.candidate.buckets at"
        + " $.candidate.latency"), notAHistogram.getOriginalMessage());
  }
}
