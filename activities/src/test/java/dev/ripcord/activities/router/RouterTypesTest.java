package dev.ripcord.activities.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.activity.RouterActivities.WeightCommand;
import dev.ripcord.workflows.activity.RouterFailures;
import dev.ripcord.workflows.policy.RouterSpec;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A policy's router.type picks the router; a type no worker has is a clear, non-retryable refusal. */
class RouterTypesTest {

  /** A team's own router, as a bean would add it. */
  static final class Recording implements TrafficRouter {
    final List<Integer> set = new ArrayList<>();

    @Override
    public String type() {
      return "x-recording";
    }

    @Override
    public WeightChange setWeight(WeightCommand c) {
      set.add(c.to());
      return new WeightChange(c.from(), c.to(), c.idempotencyKey(), true, c.reason());
    }

    @Override
    public int readWeight(RouterSpec router, String candidate) {
      return set.isEmpty() ? 0 : set.get(set.size() - 1);
    }
  }

  @Test
  void eachCallGoesToTheRouterOfThePolicysType() {
    Recording own = new Recording();
    RouterTypes routers = new RouterTypes(List.of(new HttpRouterActivities(), own,
        new HaproxyRouterActivities(Duration.ofSeconds(1))));
    RouterSpec spec = new RouterSpec("x-recording", "anything", "chat");
    routers.setWeight(new WeightCommand("release-chat-v2", spec, "v2", "v1", 0, 10, "release-chat-v2/1", "canary"));
    assertEquals(List.of(10), own.set);
    assertEquals(10, routers.readWeight(spec, "v2"));
  }

  @Test
  void aTypeNoWorkerHasIsRefusedWithWhatItHas() {
    RouterTypes routers = new RouterTypes(List.of(new HttpRouterActivities()));
    ApplicationFailure f = assertThrows(ApplicationFailure.class,
        () -> routers.readWeight(new RouterSpec("x-envoy", "u", "r"), "v2"));
    assertEquals(RouterFailures.REJECTED, f.getType());
    assertTrue(f.isNonRetryable() && f.getOriginalMessage().contains("'x-envoy' has no router in this worker (it has"
        + " [http])"), f.getOriginalMessage());
  }

  @Test
  void twoRoutersForOneTypeAreAStartupError() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new RouterTypes(List.of(new HttpRouterActivities(), new HttpRouterActivities())));
    assertTrue(e.getMessage().contains("two routers for type 'http'"), e.getMessage());
  }
}
