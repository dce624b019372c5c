package dev.ripcord.workflows.release;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.workflows.activity.RouterActivities.WeightChange;
import dev.ripcord.workflows.approval.Gates;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.intake.PushedAlert;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.release.state.Answer;
import dev.ripcord.workflows.release.state.Hold;
import dev.ripcord.workflows.release.state.Inbox;
import dev.ripcord.workflows.release.state.Moments;
import dev.ripcord.workflows.release.state.RollbackRequest;
import dev.ripcord.workflows.release.state.TrustedKeys;
import dev.ripcord.workflows.testing.PolicyBuilder;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one state record as continue-as-new writes and reads it, including inputs older runs wrote. */
class ProgressJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final io.temporal.common.converter.DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;

  private static JsonNode storedInput(String history) throws Exception {
    JsonNode h = JSON.readTree(Files.readString(Path.of("src/test/resources/histories", history)));
    String data = h.get("events").get(0).get("workflowExecutionStartedEventAttributes").get("input")
        .get("payloads").get(0).get("data").asText();
    return JSON.readTree(Base64.getDecoder().decode(data));
  }

  private static ReleaseInput read(JsonNode input) throws Exception {
    Payload p = CONVERTER.toPayload(input).orElseThrow();
    return CONVERTER.fromPayload(p, ReleaseInput.class, ReleaseInput.class);
  }

  @Test
  void anInputCarriedByAnOlderRunReadsWithDefaultsForWhatItLacks() throws Exception {
    JsonNode input = storedInput("continued-as-new-final-run.json"); // written before alertsActedOn existed
    JsonNode carried = input.get("carried");
    assertTrue(carried.get("alertsActedOn") == null && carried.get("exposedAt") == null, carried.toString());
    Progress p = read(input).carried();
    assertEquals(ReleaseState.valueOf(carried.get("state").asText()), p.state);
    assertEquals(carried.get("stageIndex").asInt(), p.stageIndex);
    assertEquals(carried.get("bakedMillis").asLong(), p.bake.bakedMillis());
    assertEquals(carried.get("windowStartedAt").asLong(), p.bake.windowStartedAt());
    assertEquals(carried.get("audit").size(), p.audit.size());
    assertEquals(carried.get("engine").get("windows").asInt(), p.engine.windows());
    assertTrue(p.inbox.empty());
    assertTrue(p.inbox.alert(new PushedAlert("ModelSafetySpike", "firing", null, null, null)), "none acted on yet");
    assertEquals(0, p.rereleases);
    assertNull(p.moments.exposedAt());
    assertNull(p.moments.triggeredAt());
  }

  @Test
  void everyFieldOfTheRecordIsWrittenAndReadBack() throws Exception {
    Progress p = new Progress();
    p.state = ReleaseState.AWAITING_ROLLBACK_APPROVAL;
    p.stageIndex = 1;
    p.weight = 25;
    p.bake.enterStage(1_000);
    p.bake.startWatching(1_000);
    p.bake.tick(61_000, false);
    p.bake.countSamples(400);
    p.bake.pushed();
    p.actionSeq = 7;
    p.engine = new dev.ripcord.workflows.decision.CriteriaEngine().start(PolicyBuilder.chat().build());
    p.lastDecision = new dev.ripcord.workflows.decision.WindowVerdict(3, "2026-12-01T10:00:00Z", "canary",
        dev.ripcord.workflows.decision.Verdict.CONTINUE, List.of(), List.of(), List.of(), "all within limits");
    DecisionRight right = new DecisionRight(List.of("on-call"), "30m", "rollback");
    p.waitingFor = Gates.ask("rollback", right, 61_000, "why", List.of("hallucination-limit"));
    p.hold.investigate(List.of("hallucination-limit"), "investigate");
    p.hold.reducedFrom(50);
    p.inbox.push(Observation.empty("2026-12-01T10:00:00Z", "canary", "pushed"));
    p.inbox.alert(new PushedAlert("ModelSafetySpike", "firing", null, null, null));
    p.audit.add(new AuditEntry(1, "2026-12-01T10:00:00Z", "STATE", null, null, "started"));
    p.actions.add(new WeightChange(0, 25, "r/1", true, "stage canary"));
    p.runs = 2;
    p.rereleases = 1;
    p.moments.exposed(2_000L);
    p.moments.triggered(3_000L);
    p.moments.mitigated(4_000L);
    p.answer.give("approve", "alice");
    p.rereleaseOpenUntil = "2026-12-08T10:00:00Z";
    p.arithmetic = "v4";
    p.mirroring = true;
    p.rollback = new RollbackRequest("alice", "manual", "break-glass rollback by alice");
    p.trusted.read("{\"keys\": []}");
    p.trusted.tried(5_000L);
    p.trusted.spent(new java.util.TreeMap<>(java.util.Map.of("jti-1", 6_000L)));
    p.releasedBy = "bob";
    p.sampleRatio = new dev.ripcord.workflows.decision.SampleRatio.State("canary", 10, 160, 1_840, "mismatch");
    p.watchesAfterPromotion = true;
    p.pages = "https://ripcord.example.com";
    ReleaseInput input = new ReleaseInput(PolicyBuilder.chat().build(), "sha256:x", p);

    JsonNode written = JSON.readTree(CONVERTER.toPayload(input).orElseThrow().getData().toByteArray());
    JsonNode carried = written.get("carried");
    Set<String> names = new HashSet<>();
    for (Iterator<String> it = carried.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    for (Class<?> c : List.of(Progress.class, dev.ripcord.workflows.rollout.BakeClock.class, Answer.class,
        Hold.class, Inbox.class, Moments.class, TrustedKeys.class)) {
      for (Field f : c.getDeclaredFields()) {
        boolean carriedField = !Modifier.isStatic(f.getModifiers()) && !f.isAnnotationPresent(JsonUnwrapped.class)
            && !f.getName().equals("lastTick") && !f.getName().equals("rollback");
        assertTrue(!carriedField || names.contains(f.getName()), f.getName() + " is not carried: " + names);
      }
    }
    assertEquals(written, JSON.readTree(CONVERTER.toPayload(read(written)).orElseThrow().getData().toByteArray()),
        "read back, the record writes the same JSON");
    assertEquals(60_000, read(written).carried().bake.bakedMillis());
    assertTrue(names.containsAll(Set.of("rollbackRequestedBy", "rollbackReason", "breakGlass")),
        "the rollback request is carried under the names older runs wrote: " + names);
    assertEquals(p.rollback, read(written).carried().rollback);
  }
}
