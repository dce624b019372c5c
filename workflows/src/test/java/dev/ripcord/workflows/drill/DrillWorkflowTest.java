package dev.ripcord.workflows.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.drill.DrillActivities;
import dev.ripcord.workflows.policy.NotificationSpec;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.RecordingNotifier;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DrillWorkflowTest {
  private TestWorkflowEnvironment env;
  private final RecordingNotifier notifier = new RecordingNotifier();
  private volatile Function<DrillRequest, DrillOutcome> drill;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker w = env.newWorker(ReleaseWorkflow.TASK_QUEUE);
    w.registerWorkflowImplementationTypes(DrillWorkflowImpl.class);
    w.registerActivitiesImplementations(notifier, (DrillActivities) r -> drill.apply(r));
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private DrillWorkflow start() {
    return env.getWorkflowClient().newWorkflowStub(DrillWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId("drill-x").setTaskQueue(ReleaseWorkflow.TASK_QUEUE).build());
  }

  private static DrillOutcome outcome(boolean passed, String... checks) {
    return new DrillOutcome("x", passed, "ROLLED_BACK", "sha256:1", List.of(checks), List.of("+0ms STATE ..."),
        new NotificationSpec("http://hooks.test/drills", "#releases", null));
  }

  @Test
  void aPassingDrillCompletesWithItsOutcomeAndNotifiesNobody() {
    drill = r -> outcome(true, "PASS  final state ROLLED_BACK (expected ROLLED_BACK)");
    DrillOutcome o = start().run(new DrillRequest("x", "policy", "scenario"));
    assertTrue(o.passed());
    assertEquals(List.of(), notifier.events());
  }

  @Test
  void aFailedExpectationFailsTheRunAndTellsThePolicysChannel() {
    drill = r -> outcome(false, "PASS  final state ROLLED_BACK (expected ROLLED_BACK)",
        "FAIL  rolled back 3m after stage 'early' began (expected within 1m)");
    DrillWorkflow wf = start();
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> wf.run(new DrillRequest("x", "policy", "scenario")));
    ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals("DrillFailed", f.getType());
    assertEquals("drill 'x' failed: FAIL  rolled back 3m after stage 'early' began (expected within 1m)",
        f.getOriginalMessage());
    assertEquals(List.of("drill-failed"), notifier.events());
    assertEquals("http://hooks.test/drills", notifier.sent().get(0).spec().webhook());
    assertEquals("FAIL  rolled back 3m after stage 'early' began (expected within 1m)",
        notifier.sent().get(0).facts().get("reason"));
  }

  @Test
  void aDrillThatCannotRunFailsWithTheReasonAndIsNotRetried() {
    int[] calls = {0};
    drill = r -> {
      calls[0]++;
      throw ApplicationFailure.newNonRetryableFailure("$.stages: required", DrillActivities.INVALID);
    };
    DrillWorkflow wf = start();
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> wf.run(new DrillRequest("x", "policy", "scenario")));
    ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals("DrillError", f.getType());
    assertTrue(f.getOriginalMessage().contains("could not run: $.stages: required"), f.getOriginalMessage());
    assertEquals(1, calls[0]);
  }
}
