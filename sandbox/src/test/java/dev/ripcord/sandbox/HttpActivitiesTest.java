package dev.ripcord.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.activities.notify.WebhookNotifierActivities;
import dev.ripcord.activities.router.HttpRouterActivities;
import dev.ripcord.workflows.activity.NotifierActivities.Notification;
import dev.ripcord.workflows.activity.RouterActivities.WeightChange;
import dev.ripcord.workflows.activity.RouterActivities.WeightCommand;
import dev.ripcord.workflows.activity.RouterFailures;
import dev.ripcord.workflows.policy.NotificationSpec;
import dev.ripcord.workflows.policy.RouterSpec;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The activities against a real HTTP server on loopback. */
class HttpActivitiesTest {
  private ReferenceGateway gateway;
  private RouterSpec router;
  private final HttpRouterActivities activities = new HttpRouterActivities();

  @BeforeEach
  void start() throws Exception {
    gateway = ReferenceGateway.start(0);
    router = new RouterSpec("http", gateway.url(), "chat");
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private WeightCommand cmd(int to, String key) {
    return new WeightCommand("release-chat-v2", router, "v2", "v1", 0, to, key, "test");
  }

  @Test
  void setsAbsoluteWeightsAndARepeatedKeyChangesNothing() {
    WeightChange first = activities.setWeight(cmd(10, "release-chat-v2/1"));
    WeightChange again = activities.setWeight(cmd(10, "release-chat-v2/1"));
    assertTrue(first.applied());
    assertFalse(again.applied(), "the gateway recognised the key");
    assertEquals(1, gateway.changes().size());
    assertEquals(Map.of("v2", 10, "v1", 90), gateway.changes().get(0).weights());
    assertEquals(10, activities.readWeight(router, "v2"));
    assertEquals(2, gateway.putsWithKey("release-chat-v2/1"));
  }

  @Test
  void aRejectedCommandIsNotRetriedButUnavailabilityIs() {
    gateway.failNext(1, 409);
    ApplicationFailure rejected = assertThrows(ApplicationFailure.class, () -> activities.setWeight(cmd(10, "k1")));
    assertEquals(RouterFailures.REJECTED, rejected.getType());
    assertTrue(rejected.isNonRetryable());
    assertTrue(rejected.getOriginalMessage().contains("HTTP 409"), rejected.getOriginalMessage());

    gateway.failNext(1, 503);
    ApplicationFailure down = assertThrows(ApplicationFailure.class, () -> activities.setWeight(cmd(10, "k2")));
    assertEquals(RouterFailures.UNAVAILABLE, down.getType());
    assertFalse(down.isNonRetryable());
    assertEquals(0, gateway.changes().size());
  }

  @Test
  void mirroringAndBundlesAreInTheCommandOnlyWhenTheReleaseAsksForThem() throws Exception {
    var bodies = new java.util.concurrent.CopyOnWriteArrayList<String>();
    var server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      bodies.add(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    server.start();
    try {
      RouterSpec gw = new RouterSpec("http", "http://127.0.0.1:" + server.getAddress().getPort(), "chat", true);
      activities.setWeight(new WeightCommand("r", gw, "v2", "v1", 0, 0, "r/1", "stage shadow", true));
      activities.setWeight(new WeightCommand("r", gw, "v2", "v1", 0, 10, "r/2", "stage canary", false));
      activities.setWeight(new WeightCommand("r", gw, "v2", "v1", 10, 100, "r/3", "stage full"));
      activities.setWeight(new WeightCommand("r", gw, "v2", "v1", 100, 0, "r/4", "rollback", null,
          new dev.ripcord.workflows.activity.RouterActivities.BundleIds("bundle:c2", "bundle:b1")));
      assertTrue(bodies.get(0).contains("\"mirror\":true"), bodies.get(0));
      assertTrue(bodies.get(1).contains("\"mirror\":false"), bodies.get(1));
      assertFalse(bodies.get(2).contains("mirror"), bodies.get(2));
      assertFalse(bodies.get(2).contains("bundles"), "no bundle, no bundles field: " + bodies.get(2));
      assertTrue(bodies.get(3).contains("\"bundles\":{\"v2\":\"bundle:c2\",\"v1\":\"bundle:b1\"}"), bodies.get(3));
      assertFalse(bodies.get(3).contains("stickiness"), "no stickiness asked, none sent: " + bodies.get(3));
      RouterSpec sticky = new RouterSpec("http", gw.url(), "chat", null,
          new dev.ripcord.workflows.policy.Stickiness("X-User-Id", null));
      activities.setWeight(new WeightCommand("r", sticky, "v2", "v1", 0, 10, "r/5", "stage canary"));
      assertTrue(bodies.get(4).contains("\"stickiness\":{\"header\":\"X-User-Id\"}"), bodies.get(4));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void tooManyRequestsHonoursRetryAfter() throws Exception {
    var server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      ex.getResponseHeaders().add("Retry-After", "7");
      ex.sendResponseHeaders(429, -1);
      ex.close();
    });
    server.start();
    try {
      RouterSpec busy = new RouterSpec("http", "http://127.0.0.1:" + server.getAddress().getPort(), "chat");
      ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> activities.setWeight(
          new WeightCommand("r", busy, "v2", "v1", 0, 10, "k", "test")));
      assertFalse(f.isNonRetryable());
      assertEquals(Duration.ofSeconds(7), f.getNextRetryDelay());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anUnreachableRouterIsARetryableFailureThatSaysWhere() {
    RouterSpec nowhere = new RouterSpec("http", "http://127.0.0.1:1", "chat");
    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> activities.readWeight(nowhere, "v2"));
    assertEquals(RouterFailures.UNAVAILABLE, f.getType());
    assertTrue(f.getOriginalMessage().contains("http://127.0.0.1:1/routes/chat is unreachable"), f.getOriginalMessage());
  }

  @Test
  void notifierRendersTheTemplateAndPostsSlackStyleJson() {
    WebhookNotifierActivities notifier = new WebhookNotifierActivities();
    var receipt = notifier.notify(new Notification("release-chat-v2",
        new NotificationSpec(gateway.hookUrl("releases"), "#rel", Map.of("triggered", "{model} {candidate}: {reason} {nope}")),
        "triggered", "fallback", Map.of("model", "chat", "candidate", "v2", "reason", "too many hallucinations"), "k"));
    assertTrue(receipt.delivered());
    assertEquals("chat v2: too many hallucinations {nope}", receipt.text(), "unknown placeholders stay visible");
    assertEquals("chat v2: too many hallucinations {nope}", gateway.messages().get(0).text());
    assertEquals("triggered", gateway.messages().get(0).event());

    var logged = notifier.notify(new Notification("r", null, "completed", "done", Map.of(), "k2"));
    assertFalse(logged.delivered());
    assertEquals("done", logged.text());
  }
}
