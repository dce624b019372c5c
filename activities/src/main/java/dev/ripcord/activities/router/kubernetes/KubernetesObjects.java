package dev.ripcord.activities.router.kubernetes;

import dev.ripcord.workflows.activity.RouterActivities;
import dev.ripcord.workflows.activity.RouterFailures;
import dev.ripcord.workflows.policy.RouterSpec;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the Kubernetes routers share: one client per API server (the worker's kubeconfig or in-cluster account by
 * default, {@code router.url} to name another server with the same credentials), the object a policy's
 * {@code router.route} names, and Kubernetes' answers turned into the router failures the workflow tells apart.
 * Every write is a server-side apply under the field manager {@value #FIELD_MANAGER}.
 */
public final class KubernetesObjects implements AutoCloseable {
  /** The field manager of every server-side apply, so {@code managedFields} say which fields Ripcord owns. */
  public static final String FIELD_MANAGER = "ripcord";
  /** Annotations each write leaves on the object: the release and the idempotency key of the last change. */
  public static final String RELEASE_ANNOTATION = "ripcord.dev/release";
  public static final String CHANGE_ANNOTATION = "ripcord.dev/change";
  /** With {@code release.bundle}: the bundle ids each side serves, so {@code kubectl describe} names them. */
  public static final String CANDIDATE_BUNDLE_ANNOTATION = "ripcord.dev/candidate-bundle";
  public static final String BASELINE_BUNDLE_ANNOTATION = "ripcord.dev/baseline-bundle";

  /** The bundle annotations of a change: none without a bundle, the baseline's only when the policy names it. */
  public static Map<String, String> bundleAnnotations(RouterActivities.WeightCommand c) {
    Map<String, String> out = new java.util.TreeMap<>();
    if (c.bundles() != null) {
      out.put(CANDIDATE_BUNDLE_ANNOTATION, c.bundles().candidate());
      if (c.bundles().baseline() != null) {
        out.put(BASELINE_BUNDLE_ANNOTATION, c.bundles().baseline());
      }
    }
    return out;
  }

  private final KubernetesClient defaultClient;
  private final Map<String, KubernetesClient> byUrl = new ConcurrentHashMap<>();

  public KubernetesObjects(KubernetesClient defaultClient) {
    this.defaultClient = defaultClient;
  }

  /**
   * A client configured as {@code kubectl} would be: kubeconfig, {@code KUBERNETES_*} variables, service account.
   * It does not retry by itself: the router activity's retry policy does, within the activity's timeout.
   */
  public static KubernetesObjects fromEnvironment() {
    return new KubernetesObjects(new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.autoConfigure(null))
        .withRequestRetryBackoffLimit(0).build()).build());
  }

  /** The client for the router's API server. */
  KubernetesClient client(RouterSpec router) {
    if (router.url() == null || router.url().isBlank()) {
      return defaultClient;
    }
    return byUrl.computeIfAbsent(router.url(), url -> new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(defaultClient.getConfiguration()).withMasterUrl(url)
            .withRequestRetryBackoffLimit(0).build()).build());
  }

  /** The object {@code router.route} names: {@code namespace/name}, or {@code name} in the client's namespace. */
  Ref ref(RouterSpec router) {
    String route = router.route();
    int slash = route.indexOf('/');
    if (slash > 0) {
      return new Ref(route.substring(0, slash), route.substring(slash + 1));
    }
    String ns = client(router).getNamespace();
    return new Ref(ns == null ? "default" : ns, route);
  }

  /** A namespaced object's coordinates. */
  record Ref(String namespace, String name) {
    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  /**
   * Kubernetes' answer as a router failure: a missing object, a refused permission or an invalid object cannot be
   * fixed by retrying ({@link RouterFailures#REJECTED}); a conflict, a timeout or a server error can.
   */
  static ApplicationFailure failure(String what, KubernetesClientException e) {
    int code = e.getCode();
    String why = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
        : e.getMessage();
    if (code == 401 || code == 403) {
      return ApplicationFailure.newNonRetryableFailure(what + ": Kubernetes refused the worker's account (HTTP " + code
          + "): " + why + "; grant it get and patch on this resource", RouterFailures.REJECTED);
    }
    if (code == 400 || code == 404 || code == 422) {
      return ApplicationFailure.newNonRetryableFailure(what + ": Kubernetes answered HTTP " + code + ": " + why,
          RouterFailures.REJECTED);
    }
    return ApplicationFailure.newFailure(what + ": Kubernetes API unavailable" + (code > 0 ? " (HTTP " + code + ")"
        : "") + ": " + why, RouterFailures.UNAVAILABLE);
  }

  static ApplicationFailure missing(String kind, Ref ref) {
    return ApplicationFailure.newNonRetryableFailure("there is no " + kind + " " + ref + " (router.route); create it"
        + " or name the one that routes this model", RouterFailures.REJECTED);
  }

  @Override
  public void close() {
    byUrl.values().forEach(KubernetesClient::close);
    defaultClient.close();
  }
}
