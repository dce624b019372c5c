package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.activities.router.kubernetes.GatewayApiRouterActivities;
import dev.ripcord.activities.router.kubernetes.KubernetesObjects;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.workflows.activity.RouterActivities;
import dev.ripcord.workflows.activity.RouterActivities.WeightChange;
import dev.ripcord.workflows.activity.RouterActivities.WeightCommand;
import dev.ripcord.workflows.activity.RouterFailures;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.policy.Stickiness;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code router.type: gateway-api} against fabric8's Kubernetes mock server in CRUD mode ({@link KubernetesApi}: it
 * stores and serves what it is sent; no Kubernetes API server can run on this machine). What the router writes is
 * read back through the typed Gateway API model, so it is a well-formed HTTPRoute; every write is checked to be a
 * server-side apply under Ripcord's field manager.
 */
class GatewayApiRouterIT {
  private final KubernetesApi api = new KubernetesApi();
  private final KubernetesClient client = api.client;
  private GatewayApiRouterActivities router;
  private final RouterSpec spec = new RouterSpec("gateway-api", null, "models/chat");
  private static final RouterActivities.BundleIds BUNDLES =
      new RouterActivities.BundleIds("bundle:" + "c".repeat(64), "bundle:" + "b".repeat(64));

  @AfterEach
  void close() {
    api.close();
  }

  @BeforeEach
  void route() {
    router = new GatewayApiRouterActivities(new KubernetesObjects(client));
    client.resource(new HTTPRouteBuilder()
        .withNewMetadata().withName("chat").withNamespace("models").endMetadata()
        .withNewSpec()
        .addNewParentRef().withName("inference-gateway").endParentRef()
        .addNewRule().addNewMatch().withNewPath().withType("PathPrefix").withValue("/v1/chat").endPath().endMatch()
        .addNewBackendRef().withName("chat-v1").withPort(8080).withWeight(100).endBackendRef()
        .addNewBackendRef().withName("chat-v2").withPort(8080).withWeight(0).endBackendRef().endRule()
        .addNewRule().addNewMatch().withNewPath().withType("PathPrefix").withValue("/healthz").endPath().endMatch()
        .addNewBackendRef().withName("health").withPort(80).endBackendRef().endRule()
        .endSpec().build()).create();
  }

  private HTTPRoute stored() {
    return client.resources(HTTPRoute.class).inNamespace("models").withName("chat").get();
  }

  private static int weightOf(HTTPRouteRule rule, String name) {
    return rule.getBackendRefs().stream().filter(b -> b.getName().equals(name)).findFirst()
        .map(HTTPBackendRef::getWeight).orElseThrow();
  }

  private WeightChange set(int from, int to, int seq, Boolean mirror) {
    return router.setWeight(new WeightCommand("release-chat-v2", spec, "chat-v2", "chat-v1", from, to,
        "release-chat-v2/" + seq, "stage", mirror, BUNDLES));
  }

  @Test
  void stagesAndARollbackSetTheSplitRuleByServerSideApply() throws Exception {
    int from = 0;
    int seq = 0;
    for (int to : new int[] {5, 25, 100, 10, 0}) {
      WeightChange c = set(from, to, ++seq, null);
      assertTrue(c.applied());
      assertEquals(seq, api.applies.size(), "one server-side apply per change");
      String apply = api.applies.get(seq - 1);
      assertTrue(apply.startsWith("/apis/gateway.networking.k8s.io/v1/namespaces/models/httproutes/chat?")
          && apply.contains("fieldManager=ripcord") && apply.contains("force=true"), apply);
      HTTPRoute r = stored();
      HTTPRouteRule split = r.getSpec().getRules().get(0);
      assertEquals(to, weightOf(split, "chat-v2"));
      assertEquals(100 - to, weightOf(split, "chat-v1"));
      assertEquals(to, router.readWeight(spec, "chat-v2"));
      assertEquals("release-chat-v2/" + seq, r.getMetadata().getAnnotations().get(KubernetesObjects.CHANGE_ANNOTATION));
      assertEquals(BUNDLES.candidate(),
          r.getMetadata().getAnnotations().get(KubernetesObjects.CANDIDATE_BUNDLE_ANNOTATION));
      assertEquals(BUNDLES.baseline(), r.getMetadata().getAnnotations().get(KubernetesObjects.BASELINE_BUNDLE_ANNOTATION));
      from = to;
    }
    HTTPRoute r = stored();
    assertEquals("inference-gateway", r.getSpec().getParentRefs().get(0).getName(), "parentRefs left alone");
    assertEquals("/v1/chat", r.getSpec().getRules().get(0).getMatches().get(0).getPath().getValue());
    assertEquals("health", r.getSpec().getRules().get(1).getBackendRefs().get(0).getName(), "other rules untouched");
    assertNull(r.getSpec().getRules().get(1).getBackendRefs().get(0).getWeight());

    assertFalse(set(0, 0, seq, null).applied(), "a retry of the last step writes nothing");
    assertEquals(seq, api.applies.size(), "no apply for a retry");
  }

  @Test
  void aShadowStageMirrorsEveryRequestToTheCandidateUntilTheNextStage() {
    assertTrue(set(0, 0, 1, true).applied());
    HTTPRouteRule split = stored().getSpec().getRules().get(0);
    List<HTTPRouteFilter> filters = split.getFilters();
    assertEquals(1, filters.size(), filters.toString());
    assertEquals("RequestMirror", filters.get(0).getType());
    assertEquals("chat-v2", filters.get(0).getRequestMirror().getBackendRef().getName());
    assertEquals(8080, filters.get(0).getRequestMirror().getBackendRef().getPort());
    assertEquals(0, weightOf(split, "chat-v2"), "mirrored, not served");
    assertFalse(set(0, 0, 2, true).applied(), "mirroring already on");

    assertTrue(set(0, 10, 3, false).applied());
    split = stored().getSpec().getRules().get(0);
    assertTrue(split.getFilters() == null || split.getFilters().isEmpty(), String.valueOf(split.getFilters()));
    assertEquals(10, weightOf(split, "chat-v2"));
  }

  /** With sticky users the split rule gets session persistence on the header; other rules are left alone. */
  @Test
  void stickyUsersGetSessionPersistenceOnTheSplitRule() {
    RouterSpec sticky = new RouterSpec("gateway-api", null, "models/chat", null, new Stickiness("X-User-Id", null));
    assertTrue(router.setWeight(new WeightCommand("release-chat-v2", sticky, "chat-v2", "chat-v1", 0, 5,
        "release-chat-v2/1", "stage", null, BUNDLES)).applied());
    List<HTTPRouteRule> rules = stored().getSpec().getRules();
    assertEquals("Header", rules.get(0).getSessionPersistence().getType());
    assertEquals("X-User-Id", rules.get(0).getSessionPersistence().getSessionName());
    assertEquals(5, weightOf(rules.get(0), "chat-v2"));
    assertNull(rules.get(1).getSessionPersistence(), "other rules untouched");
    assertFalse(router.setWeight(new WeightCommand("release-chat-v2", sticky, "chat-v2", "chat-v1", 0, 5,
        "release-chat-v2/1", "stage", null, BUNDLES)).applied(), "a retry writes nothing");

    RouterSpec cookie = new RouterSpec("gateway-api", null, "models/chat", null, new Stickiness(null, "session"));
    assertTrue(router.setWeight(new WeightCommand("release-chat-v2", cookie, "chat-v2", "chat-v1", 5, 25,
        "release-chat-v2/2", "stage", null, BUNDLES)).applied());
    HTTPRouteRule split = stored().getSpec().getRules().get(0);
    assertEquals("Cookie", split.getSessionPersistence().getType());
    assertEquals("session", split.getSessionPersistence().getSessionName());
  }

  @Test
  void aRouteOrBackendThatIsNotThereIsRefusedNotRetried() {
    ApplicationFailure noRoute = assertThrows(ApplicationFailure.class,
        () -> router.readWeight(new RouterSpec("gateway-api", null, "models/nope"), "chat-v2"));
    assertEquals(RouterFailures.REJECTED, noRoute.getType());
    assertTrue(noRoute.isNonRetryable() && noRoute.getOriginalMessage().contains("no HTTPRoute models/nope"),
        noRoute.getOriginalMessage());
    ApplicationFailure noBackend = assertThrows(ApplicationFailure.class,
        () -> router.setWeight(new WeightCommand("r", spec, "chat-v3", "chat-v1", 0, 5, "r/1", "stage")));
    assertTrue(noBackend.isNonRetryable(), noBackend.getOriginalMessage());
    assertTrue(noBackend.getOriginalMessage().contains("no rule whose backendRefs name both 'chat-v3' and 'chat-v1'"
        + " (it has [chat-v1, chat-v2, health])"), noBackend.getOriginalMessage());
    assertEquals(0, weightOf(stored().getSpec().getRules().get(0), "chat-v2"), "nothing written");
  }

  /** v1/v2 as the test policy names them, at 100/0, on the route {@code models/chat-e2e}. */
  private void chatRoute(String name) {
    client.resource(new HTTPRouteBuilder()
        .withNewMetadata().withName(name).withNamespace("models").endMetadata()
        .withNewSpec().addNewParentRef().withName("inference-gateway").endParentRef()
        .addNewRule().addNewBackendRef().withName("v1").withPort(8080).withWeight(100).endBackendRef()
        .addNewBackendRef().withName("v2").withPort(8080).withWeight(0).endBackendRef().endRule()
        .endSpec().build()).create();
  }

  private static boolean mirrored(HTTPRoute r) {
    List<HTTPRouteFilter> f = r.getSpec().getRules().get(0).getFilters();
    return f != null && f.stream().anyMatch(x -> x.getType().equals("RequestMirror")
        && x.getRequestMirror().getBackendRef().getName().equals("v2"));
  }

  /** Two releases on one dev server and worker: one rolls out from shadow and back, one rolls back from shadow. */
  @Test
  void releasesOnTheDevServerMirrorTheirShadowStageAndStopWhenTheyLeaveIt() throws Exception {
    try (DevServer server = new DevServer(); WorkerProcess worker = new WorkerProcess(server)) {
      shadowCanaryRollback(server);
      rollbackFromShadow(server);
    }
  }

  private void shadowCanaryRollback(DevServer server) throws Exception {
    chatRoute("chat-e2e");
    RouterSpec e2e = new RouterSpec("gateway-api", api.url(), "models/chat-e2e", true);
    ReleasePolicy p = PolicyBuilder.chat().model("gateway-chat").pushed().interval("1s").inconclusive(1000, null)
        .promotesOnTime()
        .router(e2e).stage("shadow", 0, "3s").stage("canary", 10, "60s").stage("full", 100, "2s").build();
    ReleaseWorkflow wf = Releases.start(server.client(), p);
    Releases.awaitState(wf, ReleaseState.SHADOW, Duration.ofSeconds(30));
    HTTPRoute shadow = client.resources(HTTPRoute.class).inNamespace("models").withName("chat-e2e").get();
    assertTrue(mirrored(shadow), "the shadow stage mirrors every request to v2: " + shadow.getSpec());
    assertEquals(0, weightOf(shadow.getSpec().getRules().get(0), "v2"));

    wf.observe(Releases.window("shadow", 5));
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
    HTTPRoute canary = client.resources(HTTPRoute.class).inNamespace("models").withName("chat-e2e").get();
    assertFalse(mirrored(canary), "the canary stage stops mirroring");
    assertEquals(10, weightOf(canary.getSpec().getRules().get(0), "v2"));

    wf.observe(Releases.window("canary", 40));
    wf.observe(Releases.window("canary", 40));
    ReleaseReport r = Releases.result(wf, Duration.ofSeconds(60));
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    HTTPRoute after = client.resources(HTTPRoute.class).inNamespace("models").withName("chat-e2e").get();
    assertEquals(0, weightOf(after.getSpec().getRules().get(0), "v2"));
    assertEquals(100, weightOf(after.getSpec().getRules().get(0), "v1"));
    assertFalse(mirrored(after));
    assertTrue(r.audit().stream().anyMatch(e -> e.message().contains("every request mirrored to it")),
        r.audit().toString());
    assertTrue(r.audit().stream().anyMatch(e -> e.message().contains("10 → 0 %")), r.audit().toString());
  }

  private void rollbackFromShadow(DevServer server) throws Exception {
    chatRoute("chat-shadow");
    RouterSpec e2e = new RouterSpec("gateway-api", api.url(), "models/chat-shadow", true);
    ReleasePolicy p = PolicyBuilder.chat().model("gateway-shadow").pushed().interval("1s").inconclusive(1000, null)
        .promotesOnTime()
        .router(e2e).stage("shadow", 0, "60s").stage("full", 100, "2s").build();
    ReleaseWorkflow wf = Releases.start(server.client(), p);
    Releases.awaitState(wf, ReleaseState.SHADOW, Duration.ofSeconds(30));
    assertTrue(mirrored(client.resources(HTTPRoute.class).inNamespace("models").withName("chat-shadow").get()));
    wf.observe(Releases.window("shadow", 40));
    wf.observe(Releases.window("shadow", 40));
    ReleaseReport r = Releases.result(wf, Duration.ofSeconds(60));
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    assertFalse(mirrored(client.resources(HTTPRoute.class).inNamespace("models").withName("chat-shadow").get()),
        "a rollback from shadow stops mirroring requests to the candidate");
    assertTrue(r.audit().stream().anyMatch(e -> e.message().contains("no longer mirrored")), r.audit().toString());
  }

  @Test
  void anApiServerThatIsDownIsRetried() {
    ApplicationFailure down = assertThrows(ApplicationFailure.class,
        () -> router.readWeight(new RouterSpec("gateway-api", "http://127.0.0.1:1", "models/chat"), "chat-v2"));
    assertEquals(RouterFailures.UNAVAILABLE, down.getType());
    assertFalse(down.isNonRetryable(), down.getOriginalMessage());
  }
}
