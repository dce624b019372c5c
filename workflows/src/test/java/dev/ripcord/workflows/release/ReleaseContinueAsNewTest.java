package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static dev.ripcord.workflows.testing.ReleaseHarness.person;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Long bakes: continue-as-new carrying the release's progress, staggered across releases started together. */
class ReleaseContinueAsNewTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  @Test
  void longBakesContinueAsNewCarryingStateAndAudit() throws Exception {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().windowsPerRun(10).stage("canary", 10, "30m")
        .stage("full", 100, "5m").build());
    h.env.sleep(Duration.ofMinutes(15));
    wf.pause(person("carol@example.com", null));
    h.env.sleep(Duration.ofMinutes(15));
    wf.resume(person("alice@example.com", null));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.COMPLETED, r.state());
    List<String> rollovers = messages(r.audit(), "STATE").stream().filter(m -> m.startsWith("continuing as new"))
        .toList();
    assertTrue(rollovers.size() >= 3, rollovers.toString());
    assertEquals(1, r.audit().get(0).seq(), "the first run's audit entries survive");
    assertEquals(List.of(10, 100), h.router.effectiveWeights(), "no stage re-applied after continue-as-new");
    assertTrue(r.windows() >= 45, "engine state carried: " + r.windows());

    // Each earlier run continued as new after the number of windows its run ID gives (8 to 10 of windowsPerRun 10),
    // and every run replays clean against today's code.
    List<WorkflowExecutionHistory> runs = h.runs(r.releaseId());
    String dir = System.getProperty("ripcord.recordHistories");
    for (int i = 0; dir != null && i < runs.size() - 1; i++) {
      java.nio.file.Files.writeString(java.nio.file.Path.of(dir, "continued-as-new-run-" + (i + 1) + ".json"),
          runs.get(i).toJson(true));
    }
    assertEquals(runs.size() - 1, rollovers.size(), rollovers.toString());
    for (int i = 0; i < runs.size() - 1; i++) {
      String runId = runs.get(i).getEvents().get(0).getWorkflowExecutionStartedEventAttributes()
          .getOriginalExecutionRunId();
      assertEquals(runs.get(i + 1).getEvents().get(0).getWorkflowExecutionStartedEventAttributes()
          .getContinuedExecutionRunId(), runId, "the history records the run's own ID");
      int expected = Rollover.windowsBeforeRollover(10, runId);
      assertTrue(expected >= 8 && expected <= 10, "run " + (i + 1) + ": " + expected);
      assertTrue(rollovers.get(i).startsWith("continuing as new after " + expected + " windows"), rollovers.get(i));
    }
    for (WorkflowExecutionHistory run : runs) {
      WorkflowReplayer.replayWorkflowExecution(run, ReleaseWorkflowImpl.class);
    }
  }

  @Test
  void runsStartedTogetherContinueAsNewAtDifferentWindows() {
    java.util.Set<Integer> lengths = new java.util.TreeSet<>();
    for (int i = 0; i < 1000; i++) {
      String runId = java.util.UUID.nameUUIDFromBytes(("run " + i).getBytes()).toString();
      int n = Rollover.windowsBeforeRollover(500, runId);
      assertTrue(n >= 400 && n <= 500, "between 80 % and all of windowsPerRun: " + n);
      lengths.add(n);
    }
    assertTrue(lengths.size() > 90, "1,000 run IDs spread over the 101 possible lengths: " + lengths.size());
  }

  @Test
  void searchAttributesAndStatusLineShowModelStageAndState() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().hallucinationLimit(8, "rollback-after-approval", 2, 3).build());
    h.awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL);
    var attrs = h.client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(h.client.getOptions().getNamespace())
            .setExecution(WorkflowStub.fromTyped(wf).getExecution()).build())
        .getWorkflowExecutionInfo().getSearchAttributes().getIndexedFieldsMap();
    assertTrue(attrs.get("RipcordState").getData().toStringUtf8().contains("AWAITING_ROLLBACK_APPROVAL"));
    assertTrue(attrs.get("RipcordStage").getData().toStringUtf8().contains("canary"));
    assertTrue(attrs.get("RipcordModel").getData().toStringUtf8().contains("chat"));
    String line = wf.status().line();
    assertTrue(line.startsWith("AWAITING_ROLLBACK_APPROVAL · chat v2 · stage canary (1/2) · candidate 10 %"), line);
    assertTrue(line.contains("waiting for 'rollback' from [safety-lead, on-call]"), line);
    wf.approve(person("alice@example.com", null));
    h.result(wf);
  }
}
