package dev.ripcord.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonDiff;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The stand-in for a Kubernetes API server: fabric8's mock server in CRUD mode on loopback, which stores and serves
 * the objects it is sent, with the Gateway API {@code HTTPRoute} and KServe {@code InferenceService} kinds known. No
 * Kubernetes API server can run on this machine, so this is what the Kubernetes routers are tested against.
 *
 * <p>The mock does not implement server-side apply (it answers HTTP 415). This one records each apply (its path
 * names the field manager and {@code force}) and stores it as an RFC 7386 merge patch (objects merge, lists are
 * replaced): for what the routers write (a map of annotations, one scalar, the rules, an atomic list) that is the
 * object a server-side apply with {@code force=true} leaves. It keeps no {@code managedFields}, so field ownership
 * is not tested here.
 */
final class KubernetesApi implements AutoCloseable {
  static final CustomResourceDefinitionContext HTTP_ROUTE = new CustomResourceDefinitionContext.Builder()
      .withGroup("gateway.networking.k8s.io").withVersion("v1").withKind("HTTPRoute").withPlural("httproutes")
      .withScope("Namespaced").build();
  static final CustomResourceDefinitionContext INFERENCE_SERVICE = new CustomResourceDefinitionContext.Builder()
      .withGroup("serving.kserve.io").withVersion("v1beta1").withKind("InferenceService")
      .withPlural("inferenceservices").withScope("Namespaced").build();

  /** The path and query of every server-side apply, in order. */
  final List<String> applies = new CopyOnWriteArrayList<>();
  final KubernetesMockServer server;
  final NamespacedKubernetesClient client;

  KubernetesApi() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new ApplyingDispatcher(applies), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
  }

  /** The API server's URL, for {@code router.url}. */
  String url() {
    return client.getConfiguration().getMasterUrl();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  private static final class ApplyingDispatcher extends KubernetesCrudDispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> applies;

    ApplyingDispatcher(List<String> applies) {
      super(List.of(HTTP_ROUTE, INFERENCE_SERVICE));
      this.applies = applies;
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
      String type = request.getHeader("Content-Type");
      if (type == null || !type.startsWith("application/apply-patch")) {
        return super.handlePatch(request);
      }
      applies.add(request.getPath());
      MockResponse current = handleGet(request.getPath().replaceFirst("\\?.*", ""));
      if (current.code() != 200) {
        return current; // the routers never create by applying: they read first
      }
      try {
        JsonNode before = JSON.readTree(current.getBody().getBytes());
        JsonNode after = mergePatch(before.deepCopy(), JSON.readTree(request.getBody().getBytes()));
        byte[] patch = JSON.writeValueAsBytes(JsonDiff.asJson(before, after));
        return super.handlePatch(new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(),
            request.getHeaders().newBuilder().removeAll("Content-Type").removeAll("content-type")
                .add("Content-Type", "application/json-patch+json").build(), new Buffer(patch)));
      } catch (java.io.IOException e) {
        return new MockResponse().setResponseCode(400).setBody(e.toString());
      }
    }

    /** RFC 7386: objects merge key by key, null removes, anything else (lists too) replaces. */
    private static JsonNode mergePatch(JsonNode target, JsonNode patch) {
      if (!patch.isObject() || !target.isObject()) {
        return patch;
      }
      ObjectNode t = (ObjectNode) target;
      patch.fields().forEachRemaining(e -> {
        if (e.getValue().isNull()) {
          t.remove(e.getKey());
        } else {
          t.set(e.getKey(), mergePatch(t.has(e.getKey()) ? t.get(e.getKey()) : JSON.createObjectNode(), e.getValue()));
        }
      });
      return t;
    }
  }
}
