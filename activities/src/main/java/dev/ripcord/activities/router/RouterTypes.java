package dev.ripcord.activities.router;

import dev.ripcord.workflows.activity.RouterActivities;
import dev.ripcord.workflows.activity.RouterFailures;
import dev.ripcord.workflows.policy.RouterSpec;
import io.temporal.failure.ApplicationFailure;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** The router activity the worker registers: hands each call to the {@link TrafficRouter} of the policy's type. */
public final class RouterTypes implements RouterActivities {
  private final Map<String, TrafficRouter> byType = new TreeMap<>();

  public RouterTypes(Collection<? extends TrafficRouter> routers) {
    for (TrafficRouter r : routers) {
      TrafficRouter before = byType.putIfAbsent(r.type(), r);
      if (before != null) {
        throw new IllegalStateException("two routers for type '" + r.type() + "': " + before.getClass().getName()
            + " and " + r.getClass().getName());
      }
    }
  }

  @Override
  public WeightChange setWeight(WeightCommand command) {
    return of(command.router()).setWeight(command);
  }

  @Override
  public int readWeight(RouterSpec router, String candidate) {
    return of(router).readWeight(router, candidate);
  }

  private TrafficRouter of(RouterSpec router) {
    TrafficRouter r = byType.get(router.type());
    if (r == null) {
      throw ApplicationFailure.newNonRetryableFailure("router.type '" + router.type() + "' has no router in this"
          + " worker (it has " + byType.keySet() + "); deploy a worker with a TrafficRouter bean of that type",
          RouterFailures.REJECTED);
    }
    return r;
  }
}
