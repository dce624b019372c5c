package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The traffic router the release drives. {@code type: http} is a gateway that accepts
 * {@code PUT <url>/routes/<route>} with absolute weights and an {@code Idempotency-Key} header; {@code type: haproxy}
 * is HAProxy's Runtime API at {@code url} ({@code tcp://host:port} or {@code unix:///path}), {@code route} being the
 * backend whose servers are named after the versions; {@code x-<name>} is a router a worker adds as a bean;
 * {@code external} is judge mode: another controller (Flagger, Argo Rollouts) moves traffic, and Ripcord evaluates,
 * asks people and answers that controller's webhooks or metric queries ({@code route} may name its object).
 * {@code type: gateway-api} is a Kubernetes Gateway API {@code HTTPRoute} ({@code route}: {@code namespace/name},
 * backends named after the versions) and {@code type: kserve} a KServe {@code InferenceService} (its
 * {@code canaryTrafficPercent}); {@code url}, when given, is the Kubernetes API server (otherwise the worker's
 * kubeconfig or in-cluster account). {@code mirror: true} asks the router to mirror every request to the candidate
 * during a shadow (0 %) stage, and to stop when the release leaves it (Gateway API's {@code RequestMirror} filter).
 * {@code stickiness} keeps each user on one version ({@link Stickiness}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouterSpec(String type, String url, String route, Boolean mirror, Stickiness stickiness) {
  public static final String EXTERNAL = "external";

  public RouterSpec(String type, String url, String route, Boolean mirror) {
    this(type, url, route, mirror, null);
  }

  public RouterSpec(String type, String url, String route) {
    this(type, url, route, null, null);
  }

  /** A Kubernetes router ({@code gateway-api}, {@code kserve}): its route names an object as namespace/name. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean namesKubernetesObject() {
    return "gateway-api".equals(type) || "kserve".equals(type);
  }

  /** Whether shadow stages mirror requests to the candidate. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean mirrorsShadow() {
    return Boolean.TRUE.equals(mirror);
  }

  /** Judge mode: Ripcord does not move traffic itself. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isExternal() {
    return EXTERNAL.equals(type);
  }
}
