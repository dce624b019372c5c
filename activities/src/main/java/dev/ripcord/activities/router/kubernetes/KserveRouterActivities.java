package dev.ripcord.activities.router.kubernetes;

import dev.ripcord.activities.router.TrafficRouter;
import dev.ripcord.activities.router.kubernetes.KubernetesObjects.Ref;
import dev.ripcord.workflows.activity.RouterFailures;
import dev.ripcord.workflows.policy.RouterSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a KServe {@code InferenceService} ({@code router.type: kserve}, {@code router.route}: {@code namespace/name})
 * through its canary rollout: the InferenceService's spec already describes the candidate (its latest revision), the
 * previously rolled-out revision is the baseline, and {@code spec.predictor.canaryTrafficPercent} is the candidate's
 * share. A change is a server-side apply of that one field under the field manager {@code ripcord}; a rollback sets
 * it to 0 (KServe routes everything to the previous revision) and a promotion to 100. When the object carries the
 * annotation {@value #CANDIDATE_ANNOTATION}, it must name the release's candidate, so a release never moves traffic
 * onto a model it did not test. Reads prefer the controller's status (the traffic KServe really routes) once it has
 * caught up with the spec, and otherwise wait for it; without any status (no controller), the spec.
 */
public class KserveRouterActivities implements TrafficRouter {
  private static final Logger log = LoggerFactory.getLogger(KserveRouterActivities.class);
  public static final String CANDIDATE_ANNOTATION = "ripcord.dev/candidate";
  static final ResourceDefinitionContext INFERENCE_SERVICE = new ResourceDefinitionContext.Builder()
      .withGroup("serving.kserve.io").withVersion("v1beta1").withKind("InferenceService")
      .withPlural("inferenceservices").withNamespaced(true).build();
  private final KubernetesObjects k8s;

  public KserveRouterActivities(KubernetesObjects k8s) {
    this.k8s = k8s;
  }

  @Override
  public String type() {
    return "kserve";
  }

  @Override
  public WeightChange setWeight(WeightCommand c) {
    Ref ref = k8s.ref(c.router());
    GenericKubernetesResource isvc = get(c.router(), ref);
    String declared = isvc.getMetadata().getAnnotations() == null ? null
        : isvc.getMetadata().getAnnotations().get(CANDIDATE_ANNOTATION);
    if (declared != null && !declared.equals(c.candidate())) {
      throw ApplicationFailure.newNonRetryableFailure("InferenceService " + ref + " describes '" + declared + "' ("
          + CANDIDATE_ANNOTATION + "), but the release's candidate is '" + c.candidate() + "'; apply the candidate's"
          + " predictor first, or start the release for '" + declared + "'", RouterFailures.REJECTED);
    }
    Integer now = specPercent(isvc);
    boolean already = now != null && now == c.to();
    if (!already) {
      GenericKubernetesResource apply = new GenericKubernetesResourceBuilder()
          .withApiVersion("serving.kserve.io/v1beta1").withKind("InferenceService")
          .withNewMetadata().withName(ref.name()).withNamespace(ref.namespace())
          .addToAnnotations(KubernetesObjects.RELEASE_ANNOTATION, c.releaseId())
          .addToAnnotations(KubernetesObjects.CHANGE_ANNOTATION, c.idempotencyKey())
          .addToAnnotations(KubernetesObjects.bundleAnnotations(c)).endMetadata()
          .addToAdditionalProperties("spec", Map.of("predictor", Map.of("canaryTrafficPercent", c.to())))
          .build();
      try {
        services(c.router(), ref).resource(apply).fieldManager(KubernetesObjects.FIELD_MANAGER).forceConflicts()
            .serverSideApply();
      } catch (KubernetesClientException e) {
        throw KubernetesObjects.failure("applying InferenceService " + ref, e);
      }
    }
    log.info("{}: InferenceService {} canaryTrafficPercent {} -> {} ({})", c.releaseId(), ref, now, c.to(),
        already ? "already set" : "applied");
    return new WeightChange(c.from(), c.to(), c.idempotencyKey(), !already, c.reason());
  }

  @Override
  public int readWeight(RouterSpec router, String candidate) {
    Ref ref = k8s.ref(router);
    GenericKubernetesResource isvc = get(router, ref);
    Map<String, Object> status = map(isvc.getAdditionalProperties().get("status"));
    Object traffic = map(map(map(status.get("components")).get("predictor"))).get("traffic");
    if (traffic instanceof List<?> entries && !entries.isEmpty()) {
      Long generation = isvc.getMetadata().getGeneration();
      Object observed = status.get("observedGeneration");
      if (generation != null && observed instanceof Number n && n.longValue() < generation) {
        throw ApplicationFailure.newFailure("InferenceService " + ref + " has not reconciled yet (observedGeneration "
            + n + " < generation " + generation + "); KServe is still moving traffic", RouterFailures.UNAVAILABLE);
      }
      int latest = 0;
      for (Object e : entries) {
        Map<String, Object> entry = map(e);
        if (Boolean.TRUE.equals(entry.get("latestRevision")) && entry.get("percent") instanceof Number p) {
          latest += p.intValue();
        }
      }
      return latest;
    }
    Integer percent = specPercent(isvc);
    return percent == null ? 100 : percent; // without a canary percentage KServe sends all traffic to the latest
  }

  private static Integer specPercent(GenericKubernetesResource isvc) {
    Object v = map(map(isvc.getAdditionalProperties().get("spec")).get("predictor")).get("canaryTrafficPercent");
    return v instanceof Number n ? n.intValue() : null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private NonNamespaceOperation<GenericKubernetesResource, ?, Resource<GenericKubernetesResource>> services(
      RouterSpec router, Ref ref) {
    return k8s.client(router).genericKubernetesResources(INFERENCE_SERVICE).inNamespace(ref.namespace());
  }

  private GenericKubernetesResource get(RouterSpec router, Ref ref) {
    GenericKubernetesResource isvc;
    try {
      isvc = services(router, ref).withName(ref.name()).get();
    } catch (KubernetesClientException e) {
      throw KubernetesObjects.failure("reading InferenceService " + ref, e);
    }
    if (isvc == null) {
      throw KubernetesObjects.missing("InferenceService", ref);
    }
    return isvc;
  }
}
