package dev.ripcord.workflows.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.ReplayResults;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.workflow.WorkflowInit;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every run records the generation of the build that started it (marker {@code build-generation}), so a build older
 * than a history cannot silently replay it with its own, older logic: it fails the workflow task instead, and Temporal
 * retries it until a build that knows every marker takes it.
 */
class ReleaseBuildGenerationTest {
  private static final Path HISTORIES = Path.of("src/test/resources/histories");
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  /** This build, as a build one marker older would have run a release: same code, one generation lower. */
  public static class OlderBuild extends ReleaseWorkflowImpl {
    @WorkflowInit
    public OlderBuild(ReleaseInput input) {
      super(input, Versions.GENERATION - 1);
    }
  }

  @Test
  void everyMarkerIsListedOnceSoANewOneRaisesTheGeneration() throws IllegalAccessException {
    var declared = new HashSet<String>();
    for (Field f : Versions.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        declared.add((String) f.get(null));
      }
    }
    assertEquals(declared, new HashSet<>(Versions.ALL), "Versions.ALL lists every marker constant");
    assertEquals(Versions.ALL.size(), new HashSet<>(Versions.ALL).size(), "no marker twice");
    assertEquals(Versions.ALL.size(), Versions.GENERATION);
    assertEquals(Versions.BUILD_GENERATION, Versions.ALL.get(Versions.ALL.size() - 1), "new markers go last");
  }

  @Test
  void aRunRecordsTheGenerationOfTheBuildThatStartedItAndAnOlderBuildRefusesToReplayIt() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build());
    assertEquals(ReleaseState.COMPLETED, h.result(wf).state());
    String id = io.temporal.client.WorkflowStub.fromTyped(wf).getExecution().getWorkflowId();
    WorkflowExecutionHistory history = h.history(id);
    assertEquals(Integer.valueOf(Versions.GENERATION), generationRecorded(history));

    assertEquals("", errors(history, ReleaseWorkflowImpl.class), "this build replays its own history");
    String older = errors(history, OlderBuild.class);
    assertTrue(older.contains("build-generation") && older.contains("not supported"), older);
  }

  @Test
  void theStoredHistoryOfANewerBuildFailsOnAnOlderOneWhileOlderHistoriesStillReplayThere() throws Exception {
    WorkflowExecutionHistory newer = stored("build-generation-completed.json");
    assertNotNull(generationRecorded(newer), "recorded with the marker");
    assertEquals("", errors(newer, ReleaseWorkflowImpl.class));
    String refused = errors(newer, OlderBuild.class);
    assertTrue(refused.contains("build-generation"), refused);

    // A history from before the marker records no generation: the older build still takes it.
    WorkflowExecutionHistory before = stored("completed.json");
    assertEquals(null, generationRecorded(before));
    assertEquals("", errors(before, OlderBuild.class));
  }

  private static WorkflowExecutionHistory stored(String name) throws java.io.IOException {
    return WorkflowExecutionHistory.fromJson(Files.readString(HISTORIES.resolve(name)), name);
  }

  private static String errors(WorkflowExecutionHistory history, Class<?> build) {
    try {
      ReplayResults r = WorkflowReplayer.replayWorkflowExecutions(List.of(history), false, build);
      return r.allErrors().stream().map(e -> String.valueOf(e.exception)).collect(Collectors.joining("\n"));
    } catch (Exception e) {
      return String.valueOf(e);
    }
  }

  /** The version the {@code build-generation} marker recorded, or null without one. */
  private static Integer generationRecorded(WorkflowExecutionHistory history) {
    for (HistoryEvent e : history.getEvents()) {
      if (!e.hasMarkerRecordedEventAttributes()) {
        continue;
      }
      var details = e.getMarkerRecordedEventAttributes().getDetailsMap();
      var change = details.get("changeId");
      if (change != null && change.getPayloads(0).getData().toString(StandardCharsets.UTF_8)
          .equals("\"" + Versions.BUILD_GENERATION + "\"")) {
        return Integer.valueOf(details.get("version").getPayloads(0).getData().toString(StandardCharsets.UTF_8));
      }
    }
    return null;
  }
}
