package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.activities.router.kubernetes.KserveRouterActivities;
import dev.ripcord.activities.router.kubernetes.KubernetesObjects;
import dev.ripcord.workflows.activity.RouterActivities.WeightCommand;
import dev.ripcord.workflows.activity.RouterFailures;
import dev.ripcord.workflows.policy.RouterSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code router.type: kserve} against fabric8's Kubernetes mock server in CRUD mode ({@link KubernetesApi}; no
 * Kubernetes API server can run here, and fabric8 has no typed KServe model, so the InferenceService is checked by
 * the fields KServe reads): {@code spec.predictor.canaryTrafficPercent} set by server-side apply at every stage and
 * rollback, the rest of the predictor left alone, and the controller's status preferred once it has caught up.
 */
class KserveRouterIT {
  private final KubernetesApi api = new KubernetesApi();
  private final KserveRouterActivities router = new KserveRouterActivities(new KubernetesObjects(api.client));
  private final RouterSpec spec = new RouterSpec("kserve", null, "models/summarizer");

  @AfterEach
  void close() {
    api.close();
  }

  private Resource<GenericKubernetesResource> isvc() {
    return api.client.genericKubernetesResources(KubernetesApi.INFERENCE_SERVICE).inNamespace("models")
        .withName("summarizer");
  }

  private void create(Map<String, String> annotations) {
    api.client.genericKubernetesResources(KubernetesApi.INFERENCE_SERVICE).inNamespace("models").resource(
        new GenericKubernetesResourceBuilder().withApiVersion("serving.kserve.io/v1beta1").withKind("InferenceService")
            .withNewMetadata().withName("summarizer").withNamespace("models").withAnnotations(annotations)
            .endMetadata()
            .addToAdditionalProperties("spec", Map.of("predictor", Map.of("canaryTrafficPercent", 0,
                "model", Map.of("modelFormat", Map.of("name", "huggingface"),
                    "storageUri", "s3://models/summarizer-v2"))))
            .build()).create();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> predictor() {
    return (Map<String, Object>) ((Map<String, Object>) isvc().get().getAdditionalProperties().get("spec"))
        .get("predictor");
  }

  private WeightCommand command(int from, int to, int seq) {
    return new WeightCommand("release-summarizer-v2", spec, "summarizer-v2", "summarizer-v1", from, to,
        "release-summarizer-v2/" + seq, "stage");
  }

  @Test
  void everyStageAndTheRollbackSetTheCanaryPercentageByServerSideApply() {
    create(Map.of(KserveRouterActivities.CANDIDATE_ANNOTATION, "summarizer-v2"));
    int from = 0;
    int seq = 0;
    for (int to : new int[] {10, 50, 100, 20, 0}) {
      assertTrue(router.setWeight(command(from, to, ++seq)).applied());
      String apply = api.applies.get(api.applies.size() - 1);
      assertTrue(apply.startsWith("/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/summarizer?")
          && apply.contains("fieldManager=ripcord") && apply.contains("force=true"), apply);
      assertEquals(to, predictor().get("canaryTrafficPercent"));
      assertEquals(to, router.readWeight(spec, "summarizer-v2"));
      from = to;
    }
    assertEquals(Map.of("modelFormat", Map.of("name", "huggingface"), "storageUri", "s3://models/summarizer-v2"),
        predictor().get("model"), "the predictor's model is left alone");
    assertEquals(5, api.applies.size());
    assertFalse(router.setWeight(command(0, 0, seq)).applied(), "a retry writes nothing");
    assertEquals(5, api.applies.size());
  }

  @Test
  void anInferenceServiceDescribingAnotherModelIsRefused() {
    create(Map.of(KserveRouterActivities.CANDIDATE_ANNOTATION, "summarizer-v3"));
    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> router.setWeight(command(0, 10, 1)));
    assertEquals(RouterFailures.REJECTED, f.getType());
    assertTrue(f.getOriginalMessage().contains("describes 'summarizer-v3'"), f.getOriginalMessage());
    assertEquals(0, predictor().get("canaryTrafficPercent"), "nothing written");
    ApplicationFailure none = assertThrows(ApplicationFailure.class,
        () -> router.readWeight(new RouterSpec("kserve", null, "models/nope"), "summarizer-v2"));
    assertTrue(none.isNonRetryable() && none.getOriginalMessage().contains("no InferenceService models/nope"),
        none.getOriginalMessage());
  }

  @Test
  void theControllersStatusIsWhatIsReadOnceItHasCaughtUp() {
    create(Map.of());
    router.setWeight(command(0, 10, 1));
    GenericKubernetesResource now = isvc().get();
    long generation = now.getMetadata().getGeneration();
    List<Map<String, Object>> traffic = List.of(
        Map.of("revisionName", "summarizer-predictor-00002", "latestRevision", true, "percent", 10),
        Map.of("revisionName", "summarizer-predictor-00001", "latestRevision", false, "percent", 90));
    now.getAdditionalProperties().put("status", Map.of("observedGeneration", generation - 1,
        "components", Map.of("predictor", Map.of("traffic", traffic))));
    isvc().updateStatus(now);
    ApplicationFailure behind = assertThrows(ApplicationFailure.class, () -> router.readWeight(spec, "summarizer-v2"));
    assertEquals(RouterFailures.UNAVAILABLE, behind.getType());
    assertTrue(behind.getOriginalMessage().contains("has not reconciled yet"), behind.getOriginalMessage());

    now = isvc().get();
    now.getAdditionalProperties().put("status", Map.of("observedGeneration", now.getMetadata().getGeneration(),
        "components", Map.of("predictor", Map.of("traffic", traffic))));
    isvc().updateStatus(now);
    assertEquals(10, router.readWeight(spec, "summarizer-v2"));
  }
}
