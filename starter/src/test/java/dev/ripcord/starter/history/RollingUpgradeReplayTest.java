package dev.ripcord.starter.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ripcord.workflows.release.ReleaseWorkflowImpl;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling upgrade: an older worker takes over a release a newer build has worked on, whose history holds activity
 * results with a field the older build does not know (the notes' case: a record that gained a component). Made here
 * from a stored history by adding such a field to every JSON activity result, in memory; the stored file is not
 * touched.
 */
class RollingUpgradeReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path STORED = Path.of("../workflows/src/test/resources/histories/demo-automatic-rollback.json");

  /** The stored history as a newer build would have written it: every JSON object result has one more field. */
  private static Path writtenByANewerBuild(Path dir) throws Exception {
    JsonNode history = JSON.readTree(STORED.toFile());
    int changed = 0;
    for (JsonNode event : history.path("events")) {
      JsonNode payloads = event.path("activityTaskCompletedEventAttributes").path("result").path("payloads");
      for (JsonNode p : payloads) {
        JsonNode value = JSON.readTree(Base64.getDecoder().decode(p.path("data").asText()));
        if (value instanceof ObjectNode o) {
          o.putObject("addedByANewerBuild").put("weight", 0.5);
          ((ObjectNode) p).put("data", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(o)));
          changed++;
        }
      }
    }
    assertTrue(changed > 10, "the history has JSON activity results to change: " + changed);
    Path out = dir.resolve("demo-automatic-rollback-newer-build.json");
    JSON.writeValue(out.toFile(), history);
    return out;
  }

  @Test
  void anOlderWorkerReplaysAHistoryWithFieldsOfANewerBuild(@TempDir Path dir) throws Exception {
    Path newer = writtenByANewerBuild(dir);
    List<HistoryReplay.Result> results = HistoryReplay.replay(List.of(STORED, newer));
    assertEquals(2, results.size());
    for (HistoryReplay.Result r : results) {
      assertTrue(r.clean(), r.file() + ": " + r.error());
    }
  }

  @Test
  void withTheSdksDefaultConverterTheSameHistoryFailsEveryWorkflowTask(@TempDir Path dir) throws Exception {
    Path newer = writtenByANewerBuild(dir);
    Exception e = assertThrows(Exception.class, () -> WorkflowReplayer.replayWorkflowExecution(
        HistoryReplay.load(newer), ReleaseWorkflowImpl.class));
    String chain = "";
    for (Throwable t = e; t != null; t = t.getCause()) {
      chain += t + "\n";
    }
    assertTrue(chain.contains("addedByANewerBuild"), chain);
  }
}
