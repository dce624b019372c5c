package dev.ripcord.worker.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.worker.RipcordProperties;
import dev.ripcord.workflows.release.ReleaseStatus;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Judge mode's HTTP side ({@code router.type: external}): Flagger's webhooks ({@code POST /judge/flagger/<hook>},
 * the release named in the webhook's {@code metadata.release}) and Argo Rollouts' Web metric
 * ({@code GET /judge/argo/<release id>}). Both read the release's status query and answer with {@link JudgeMode};
 * neither changes the release. The same token as the Alertmanager ingress guards them: a bearer header, or for
 * Flagger (whose webhooks carry no headers) {@code metadata.token}.
 */
@RestController
public class JudgeEndpoints {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final WorkflowClient client;
  private final RipcordProperties.Ingress config;

  public JudgeEndpoints(WorkflowClient client, RipcordProperties props) {
    this.client = client;
    this.config = props.ingress();
  }

  @PostMapping(path = "/judge/flagger/{hook}", produces = "application/json")
  public ResponseEntity<Object> flagger(@PathVariable String hook, @RequestBody(required = false) JsonNode payload,
      @RequestHeader(name = "Authorization", required = false) String authorization) {
    JsonNode metadata = payload == null ? JSON.createObjectNode() : payload.path("metadata");
    ResponseEntity<Object> refused = unauthorised(authorization, metadata.path("token").asText(null));
    if (refused != null) {
      return refused;
    }
    if (!JudgeMode.FLAGGER_HOOKS.contains(hook)) {
      return answer(HttpStatus.NOT_FOUND, "not a Flagger webhook Ripcord answers: use one of " + JudgeMode.FLAGGER_HOOKS);
    }
    String release = metadata.path("release").asText(null);
    if (release == null || release.isBlank()) {
      return answer(HttpStatus.BAD_REQUEST, "name the release in the webhook's metadata: {release: <release id>}"
          + " (the Canary's analysis.webhooks[].metadata)");
    }
    return withStatus(release, s -> {
      JudgeMode.Judgement j = JudgeMode.judge(s);
      boolean proceed = JudgeMode.flaggerMayProceed(hook, j);
      return ResponseEntity.status(proceed ? HttpStatus.OK : HttpStatus.FORBIDDEN).body(Map.of("proceed", proceed,
          "hook", hook, "release", release, "state", j.state().name(), "reason", j.reason()));
    });
  }

  @GetMapping(path = "/judge/argo/{release}", produces = "application/json")
  public ResponseEntity<Object> argo(@PathVariable String release,
      @RequestHeader(name = "Authorization", required = false) String authorization) {
    ResponseEntity<Object> refused = unauthorised(authorization, null);
    if (refused != null) {
      return refused;
    }
    return withStatus(release, s -> ResponseEntity.ok(JudgeMode.judge(s)));
  }

  private ResponseEntity<Object> withStatus(String release,
      java.util.function.Function<ReleaseStatus, ResponseEntity<Object>> then) {
    ReleaseStatus status;
    try {
      status = client.newWorkflowStub(ReleaseWorkflow.class, release).status();
    } catch (WorkflowNotFoundException e) {
      return answer(HttpStatus.NOT_FOUND, "no release " + release);
    } catch (WorkflowServiceException | StatusRuntimeException e) {
      return answer(HttpStatus.SERVICE_UNAVAILABLE, "Temporal did not answer the status query: " + e.getMessage());
    }
    return then.apply(status);
  }

  private ResponseEntity<Object> unauthorised(String authorization, String metadataToken) {
    if (!config.hasToken()) {
      return config.allowUnauthenticated() ? null : answer(HttpStatus.FORBIDDEN, "judge mode answers nothing"
          + " until the worker has ripcord.ingress.token, or ripcord.ingress.allow-unauthenticated=true");
    }
    boolean ok = config.acceptsBearer(authorization) || config.acceptsToken(metadataToken);
    return ok ? null : answer(HttpStatus.UNAUTHORIZED, "missing or wrong token: send Authorization: Bearer"
        + " <ripcord.ingress.token>, or for Flagger metadata.token");
  }

  private static ResponseEntity<Object> answer(HttpStatus status, String message) {
    return ResponseEntity.status(status).body(Map.of("error", message));
  }
}
