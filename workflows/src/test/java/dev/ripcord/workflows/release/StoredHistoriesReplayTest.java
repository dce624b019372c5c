package dev.ripcord.workflows.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.ReplayResults;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every stored history replays clean against today's workflow code, all checked in one pass. */
class StoredHistoriesReplayTest {
  private static final Path DIR = Path.of("src/test/resources/histories");

  @Test
  void everyStoredHistoryReplaysCleanAgainstTodaysCode() throws Exception {
    List<WorkflowExecutionHistory> histories = new ArrayList<>();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        histories.add(WorkflowExecutionHistory.fromJson(Files.readString(f), f.getFileName().toString()));
      }
    }
    assertTrue(histories.size() >= 6, "the stored histories are there: " + histories.size());
    ReplayResults results = WorkflowReplayer.replayWorkflowExecutions(histories, false, ReleaseWorkflowImpl.class,
        dev.ripcord.workflows.ledger.LedgerWorkflowImpl.class,
        dev.ripcord.workflows.identity.SpentTokensWorkflowImpl.class);
    assertEquals("", results.allErrors().stream()
        .map(e -> e.workflowId + ": " + e.exception).collect(Collectors.joining("\n")));
  }

  @Test
  void aChangedCommandSequenceIsCaughtAsNonDeterminism() throws Exception {
    // The history says the first router call was "SetWeight"; pretend the code once called another activity.
    String json = Files.readString(DIR.resolve("completed.json")).replaceFirst("\"SetWeight\"", "\"SetRoute\"");
    WorkflowExecutionHistory tampered = WorkflowExecutionHistory.fromJson(json, "tampered");
    ReplayResults results = WorkflowReplayer.replayWorkflowExecutions(List.of(tampered), false,
        ReleaseWorkflowImpl.class);
    assertEquals(1, results.allErrors().size());
    assertTrue(String.valueOf(results.allErrors().iterator().next().exception).contains("SetRoute"),
        "the error names the offending activity");
  }
}
