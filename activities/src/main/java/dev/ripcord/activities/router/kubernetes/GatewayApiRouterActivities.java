package dev.ripcord.activities.router.kubernetes;

import dev.ripcord.activities.router.TrafficRouter;
import dev.ripcord.activities.router.kubernetes.KubernetesObjects.Ref;
import dev.ripcord.workflows.activity.RouterFailures;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.policy.Stickiness;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilterBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SessionPersistenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a Kubernetes Gateway API {@code HTTPRoute} ({@code router.type: gateway-api}, {@code router.route}:
 * {@code namespace/name}). Every rule whose {@code backendRefs} name both the candidate and the baseline version
 * gets absolute weights (candidate = the stage's percentage, baseline = the rest); with {@code router.mirror} a
 * shadow stage adds a {@code RequestMirror} filter to those rules that copies every request to the candidate, and the
 * next stage or a rollback removes it; with {@code router.stickiness} those rules get session persistence on the
 * header or cookie. The change is a server-side apply of {@code spec.rules} under the field
 * manager {@code ripcord}, forcing ownership of the rules (an atomic list), so a GitOps tool that also applies the
 * route must ignore {@code spec.rules} managed by {@code ripcord}. A route already as asked is not written again
 * ({@code applied: false}); absolute weights make retries and replays harmless.
 */
public class GatewayApiRouterActivities implements TrafficRouter {
  private static final Logger log = LoggerFactory.getLogger(GatewayApiRouterActivities.class);
  private static final String MIRROR = "RequestMirror";
  private final KubernetesObjects k8s;

  public GatewayApiRouterActivities(KubernetesObjects k8s) {
    this.k8s = k8s;
  }

  @Override
  public String type() {
    return "gateway-api";
  }

  @Override
  public WeightChange setWeight(WeightCommand c) {
    Ref ref = k8s.ref(c.router());
    HTTPRoute route = get(c.router(), ref);
    List<HTTPRouteRule> rules = route.getSpec() == null || route.getSpec().getRules() == null ? List.of()
        : route.getSpec().getRules();
    List<HTTPRouteRule> wanted = new ArrayList<>();
    boolean matched = false;
    for (HTTPRouteRule rule : rules) {
      if (splits(rule, c.candidate(), c.baseline())) {
        matched = true;
        wanted.add(withSessions(withWeights(rule, c.candidate(), c.baseline(), c.to(), c.mirror()),
            c.router().stickiness()));
      } else {
        wanted.add(rule);
      }
    }
    if (!matched) {
      throw ApplicationFailure.newNonRetryableFailure("HTTPRoute " + ref + " has no rule whose backendRefs name both '"
          + c.candidate() + "' and '" + c.baseline() + "' (it has " + backendNames(rules) + "); name the backends"
          + " after the release's candidate and baseline versions", RouterFailures.REJECTED);
    }
    boolean already = wanted.equals(rules);
    if (!already) {
      HTTPRoute apply = new HTTPRouteBuilder()
          .withNewMetadata().withName(ref.name()).withNamespace(ref.namespace())
          .addToAnnotations(KubernetesObjects.RELEASE_ANNOTATION, c.releaseId())
          .addToAnnotations(KubernetesObjects.CHANGE_ANNOTATION, c.idempotencyKey())
          .addToAnnotations(KubernetesObjects.bundleAnnotations(c)).endMetadata()
          .withNewSpec().withRules(wanted).endSpec()
          .build();
      try {
        k8s.client(c.router()).resource(apply).fieldManager(KubernetesObjects.FIELD_MANAGER).forceConflicts()
            .serverSideApply();
      } catch (KubernetesClientException e) {
        throw KubernetesObjects.failure("applying HTTPRoute " + ref, e);
      }
    }
    log.info("{}: HTTPRoute {} {} -> {} % ({}){}", c.releaseId(), ref, c.candidate(), c.to(),
        already ? "already set" : "applied", c.mirror() == null ? "" : c.mirror() ? ", mirrored" : ", not mirrored");
    return new WeightChange(c.from(), c.to(), c.idempotencyKey(), !already, c.reason());
  }

  /**
   * The candidate's share of its rules' weight, in percent. When rules disagree (someone edited one by hand), the
   * largest share: the exposure the release must account for, and unlike the one it asked for, so it applies again.
   */
  @Override
  public int readWeight(RouterSpec router, String candidate) {
    Ref ref = k8s.ref(router);
    HTTPRoute route = get(router, ref);
    List<HTTPRouteRule> rules = route.getSpec() == null || route.getSpec().getRules() == null ? List.of()
        : route.getSpec().getRules();
    int share = -1;
    for (HTTPRouteRule rule : rules) {
      List<HTTPBackendRef> refs = rule.getBackendRefs() == null ? List.of() : rule.getBackendRefs();
      if (refs.stream().noneMatch(b -> candidate.equals(b.getName()))) {
        continue;
      }
      int total = refs.stream().mapToInt(GatewayApiRouterActivities::weight).sum();
      int mine = refs.stream().filter(b -> candidate.equals(b.getName())).mapToInt(GatewayApiRouterActivities::weight)
          .sum();
      share = Math.max(share, total == 0 ? 0 : (int) Math.round(100.0 * mine / total));
    }
    if (share < 0) {
      throw ApplicationFailure.newNonRetryableFailure("HTTPRoute " + ref + " has no backendRef named '" + candidate
          + "' (it has " + backendNames(rules) + ")", RouterFailures.REJECTED);
    }
    return share;
  }

  /** Gateway API's default weight is 1. */
  private static int weight(HTTPBackendRef b) {
    return b.getWeight() == null ? 1 : b.getWeight();
  }

  private static boolean splits(HTTPRouteRule rule, String candidate, String baseline) {
    List<HTTPBackendRef> refs = rule.getBackendRefs() == null ? List.of() : rule.getBackendRefs();
    return refs.stream().anyMatch(b -> candidate.equals(b.getName()))
        && refs.stream().anyMatch(b -> baseline.equals(b.getName()));
  }

  /** A copy of the rule with the candidate at {@code to} %, the baseline at the rest, and mirroring as asked. */
  static HTTPRouteRule withWeights(HTTPRouteRule rule, String candidate, String baseline, int to, Boolean mirror) {
    HTTPRouteRule out = new HTTPRouteRuleBuilder(rule).build();
    List<HTTPBackendRef> refs = new ArrayList<>();
    HTTPBackendRef candidateRef = null;
    for (HTTPBackendRef b : rule.getBackendRefs()) {
      HTTPBackendRef copy = new HTTPBackendRefBuilder(b).build();
      if (candidate.equals(b.getName())) {
        copy.setWeight(to);
        candidateRef = copy;
      } else if (baseline.equals(b.getName())) {
        copy.setWeight(100 - to);
      }
      refs.add(copy);
    }
    out.setBackendRefs(refs);
    if (mirror != null) {
      List<HTTPRouteFilter> filters = new ArrayList<>(rule.getFilters() == null ? List.of() : rule.getFilters());
      filters.removeIf(f -> MIRROR.equals(f.getType()) && f.getRequestMirror() != null
          && f.getRequestMirror().getBackendRef() != null
          && candidate.equals(f.getRequestMirror().getBackendRef().getName()));
      if (mirror) {
        HTTPBackendRef from = Objects.requireNonNull(candidateRef);
        filters.add(new HTTPRouteFilterBuilder().withType(MIRROR).withNewRequestMirror()
            .withBackendRef(new BackendObjectReferenceBuilder().withGroup(from.getGroup()).withKind(from.getKind())
                .withName(from.getName()).withNamespace(from.getNamespace()).withPort(from.getPort()).build())
            .endRequestMirror().build());
      }
      out.setFilters(filters.isEmpty() && rule.getFilters() == null ? null : filters);
    }
    return out;
  }

  /**
   * With {@code router.stickiness}, the rule's {@code sessionPersistence} (Gateway API's session persistence, GEP-1619:
   * experimental channel; the gateway must support it) keyed on the header or cookie; otherwise the rule as it is.
   */
  static HTTPRouteRule withSessions(HTTPRouteRule rule, Stickiness sticky) {
    if (sticky == null) {
      return rule;
    }
    HTTPRouteRule out = new HTTPRouteRuleBuilder(rule).build();
    out.setSessionPersistence(new SessionPersistenceBuilder().withType(sticky.header() != null ? "Header" : "Cookie")
        .withSessionName(sticky.header() != null ? sticky.header() : sticky.cookie()).build());
    return out;
  }

  private HTTPRoute get(RouterSpec router, Ref ref) {
    HTTPRoute route;
    try {
      route = k8s.client(router).resources(HTTPRoute.class).inNamespace(ref.namespace()).withName(ref.name()).get();
    } catch (KubernetesClientException e) {
      throw KubernetesObjects.failure("reading HTTPRoute " + ref, e);
    }
    if (route == null) {
      throw KubernetesObjects.missing("HTTPRoute", ref);
    }
    return route;
  }

  private static List<String> backendNames(List<HTTPRouteRule> rules) {
    return rules.stream().flatMap(r -> r.getBackendRefs() == null ? Stream.empty()
        : r.getBackendRefs().stream()).map(HTTPBackendRef::getName).distinct().toList();
  }
}
