package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.integration.Components;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The worker's Helm chart (deploy/helm/ripcord-worker), checked by the real Helm (v4): it lints strictly, and what it
 * renders reads as typed Kubernetes objects with no field the API does not define (fabric8's models keep unknown
 * fields aside; none may be there), with the probes, the drain and the disruption budget the operating guide promises.
 */
class HelmChartIT {
  private static final Path CHART = Components.root().resolve("deploy/helm/ripcord-worker");

  private record Run(int exit, String output) {}

  private static Run helm(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Components.helm().toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    return new Run(p.waitFor(), out);
  }

  /** Every field the objects carry is one the model defines: fabric8 keeps the others in additionalProperties. */
  private static void collectUnknown(Object o, String path, List<String> unknown) throws Exception {
    if (o == null || !o.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
      if (o instanceof Collection<?> c) {
        int i = 0;
        for (Object e : c) {
          collectUnknown(e, path + "[" + i++ + "]", unknown);
        }
      } else if (o instanceof Map<?, ?> m) {
        for (var e : m.entrySet()) {
          collectUnknown(e.getValue(), path + "." + e.getKey(), unknown);
        }
      }
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getName().equals("getClass")) {
        continue;
      }
      Object v = m.invoke(o);
      if (m.getName().equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + ": " + extra.keySet());
        }
      } else {
        collectUnknown(v, path + "." + m.getName().substring(3), unknown);
      }
    }
  }

  @Test
  void theChartLintsStrictlyAndRendersValidObjectsWithProbesDrainAndABudget() throws Exception {
    Run lint = helm("lint", "--strict", CHART.toString());
    assertEquals(0, lint.exit(), lint.output());

    List<HasMetadata> objects = objects(helm("template", "ripcord", CHART.toString(), "--set",
        "temporal.address=temporal:7233"));
    List<String> unknown = new ArrayList<>();
    for (HasMetadata object : objects) {
      collectUnknown(object, object.getKind(), unknown);
    }
    assertEquals(List.of(), unknown, "fields Kubernetes does not define");
    assertEquals(new TreeSet<>(List.of("ConfigMap", "Deployment", "PodDisruptionBudget", "Service")),
        objects.stream().map(HasMetadata::getKind).collect(Collectors.toCollection(TreeSet::new)));

    Deployment d = only(objects, Deployment.class);
    var pod = d.getSpec().getTemplate().getSpec();
    Container worker = pod.getContainers().get(0);
    assertEquals("/actuator/health/readiness", worker.getReadinessProbe().getHttpGet().getPath());
    assertEquals("/actuator/health/liveness", worker.getLivenessProbe().getHttpGet().getPath());
    assertTrue(pod.getTerminationGracePeriodSeconds() > 30, "longer than ripcord.shutdown-grace (30 s)");
    assertEquals(0, d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal(),
        "a deploy replaces one worker at a time");
    Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
    assertTrue(podLabels.entrySet().containsAll(d.getSpec().getSelector().getMatchLabels().entrySet()));

    PodDisruptionBudget pdb = only(objects, PodDisruptionBudget.class);
    assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
    assertTrue(podLabels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()),
        "the budget covers the worker's pods");
    ConfigMap config = only(objects, ConfigMap.class);
    assertEquals("temporal:7233", config.getData().get("TEMPORAL_ADDRESS"));
    assertTrue(worker.getEnvFrom().stream().anyMatch(e -> e.getConfigMapRef().getName()
        .equals(config.getMetadata().getName())), "the worker reads that configuration");
  }

  @Test
  void payloadsAreEncryptedByDefaultWithTheKeysSecretMountedReadOnlyAndTheCodecServerConfigured() throws Exception {
    Run on = helm("template", "ripcord", CHART.toString(), "--set", "codec.issuer=https://login.example.com/realms/r",
        "--set", "codec.jwks=https://login.example.com/realms/r/protocol/openid-connect/certs",
        "--set", "codec.allowedOrigins={https://temporal-ui.example.com}");
    List<HasMetadata> objects = objects(on);
    var pod = only(objects, Deployment.class).getSpec().getTemplate().getSpec();
    var volume = pod.getVolumes().stream().filter(v -> v.getName().equals("codec-keys")).findFirst().orElseThrow();
    assertEquals("ripcord-codec-keys", volume.getSecret().getSecretName());
    assertEquals(0440, volume.getSecret().getDefaultMode(), "read by the pod's group only");
    var security = only(objects, Deployment.class).getSpec().getTemplate().getSpec().getSecurityContext();
    assertEquals(10001L, security.getFsGroup(), "the secret's files belong to the worker's group");
    assertEquals(security.getRunAsGroup(), security.getFsGroup());
    var mount = pod.getContainers().get(0).getVolumeMounts().stream().filter(m -> m.getName().equals("codec-keys"))
        .findFirst().orElseThrow();
    assertTrue(mount.getReadOnly());
    Map<String, String> env = only(objects, ConfigMap.class).getData();
    assertEquals(mount.getMountPath() + "/codec-keys.json", env.get("RIPCORD_CODEC_KEYS"));
    assertEquals("https://login.example.com/realms/r", env.get("RIPCORD_CODEC_ISSUER"));
    assertEquals("ripcord", env.get("RIPCORD_CODEC_AUDIENCE"));
    assertEquals("https://temporal-ui.example.com", env.get("RIPCORD_CODEC_ALLOWEDORIGINS"));

    Run off = helm("template", "ripcord", CHART.toString(), "--set", "codec.enabled=false");
    assertEquals(0, off.exit(), off.output());
    assertFalse(off.output().contains("codec-keys") || off.output().contains("RIPCORD_CODEC"), off.output());
    Run noSecret = helm("template", "ripcord", CHART.toString(), "--set", "codec.existingSecret=");
    assertNotEquals(0, noSecret.exit());
    assertTrue(noSecret.output().contains("codec.existingSecret is required"), noSecret.output());
  }

  @Test
  void eachWorkerPollsAsTheBuildOfItsImageUnderWorkerVersioning() throws Exception {
    Map<String, String> env = configMap(helm("template", "ripcord", CHART.toString(), "--set", "image.tag=2026.12.1"));
    assertEquals("ripcord", env.get("RIPCORD_DEPLOYMENT"));
    assertEquals("2026.12.1", env.get("RIPCORD_BUILD_ID"), "the image tag is the build");
    assertEquals("b7", configMap(helm("template", "ripcord", CHART.toString(), "--set", "deployment.buildId=b7"))
        .get("RIPCORD_BUILD_ID"));
    Map<String, String> off = configMap(helm("template", "ripcord", CHART.toString(),
        "--set", "deployment.versioning=false"));
    assertFalse(off.containsKey("RIPCORD_BUILD_ID"), off.toString());
  }

  @Test
  void temporalTlsMaterialAndTheEvidenceStoreAreMountedWhenGiven() throws Exception {
    Run r = helm("template", "ripcord", CHART.toString(), "--set", "temporal.tls.existingSecret=ripcord-temporal-tls",
        "--set", "temporal.tls.trustStoreKey=ca.p12", "--set", "evidence.existingClaim=ripcord-evidence");
    List<HasMetadata> objects = objects(r);
    var pod = only(objects, Deployment.class).getSpec().getTemplate().getSpec();
    var mounts = pod.getContainers().get(0).getVolumeMounts();
    var tls = mounts.stream().filter(m -> m.getName().equals("temporal-tls")).findFirst().orElseThrow();
    assertEquals("/etc/ripcord/tls", tls.getMountPath());
    assertTrue(tls.getReadOnly());
    var evidence = mounts.stream().filter(m -> m.getName().equals("evidence")).findFirst().orElseThrow();
    assertEquals("/var/lib/ripcord/evidence", evidence.getMountPath());
    assertFalse(Boolean.TRUE.equals(evidence.getReadOnly()), "bundles are written there");
    var volumes = pod.getVolumes();
    assertEquals("ripcord-temporal-tls", volumes.stream().filter(v -> v.getName().equals("temporal-tls")).findFirst()
        .orElseThrow().getSecret().getSecretName());
    assertEquals("ripcord-evidence", volumes.stream().filter(v -> v.getName().equals("evidence")).findFirst()
        .orElseThrow().getPersistentVolumeClaim().getClaimName());
    Map<String, String> env = only(objects, ConfigMap.class).getData();
    assertEquals("/etc/ripcord/tls/tls.crt", env.get("SPRING_TEMPORAL_CONNECTION_MTLS_CERTCHAINFILE"));
    assertEquals("/etc/ripcord/tls/tls.key", env.get("SPRING_TEMPORAL_CONNECTION_MTLS_KEYFILE"));
    assertTrue(env.get("JDK_JAVA_OPTIONS").contains("-Djavax.net.ssl.trustStore=/etc/ripcord/tls/ca.p12"),
        env.toString());

    Map<String, String> plain = configMap(helm("template", "ripcord", CHART.toString()));
    assertFalse(plain.containsKey("SPRING_TEMPORAL_CONNECTION_MTLS_CERTCHAINFILE") || plain.containsKey(
        "JDK_JAVA_OPTIONS"), plain.toString());
  }

  private static Map<String, String> configMap(Run rendered) {
    return only(objects(rendered), ConfigMap.class).getData();
  }

  /** Every object {@code helm template} rendered, read as a typed Kubernetes object; the render must succeed. */
  private static List<HasMetadata> objects(Run rendered) {
    assertEquals(0, rendered.exit(), rendered.output());
    KubernetesSerialization k8s = new KubernetesSerialization();
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : rendered.output().split("(?m)^---\\s*$")) {
      if (!doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        objects.add(k8s.unmarshal(doc, HasMetadata.class));
      }
    }
    return objects;
  }

  @Test
  void withoutATemporalAddressTheChartRefusesToRenderSayingWhatToSet() throws Exception {
    Run r = helm("template", "ripcord", CHART.toString(), "--set", "temporal.address=");
    assertNotEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("temporal.address is required"), r.output());
  }

  private static <T> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> of = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertEquals(1, of.size(), type.getSimpleName() + ": " + Arrays.toString(of.toArray()));
    return of.get(0);
  }
}
