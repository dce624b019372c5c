package dev.ripcord.activities.router;

import dev.ripcord.workflows.activity.RouterActivities;

/**
 * One kind of traffic router, chosen by a policy's {@code router.type}. The worker registers every
 * {@code TrafficRouter} bean it has with {@link RouterTypes}; a team adds its own router by declaring one more bean
 * (type names of your own start with {@code x-}, e.g. {@code x-envoy}), without forking Ripcord.
 */
public interface TrafficRouter extends RouterActivities {
  /** The {@code router.type} this router serves. */
  String type();
}
