package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.integration.Cli;
import dev.ripcord.integration.Components;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Proc;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.workflows.drill.DrillOutcome;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recurring drills on the real dev server: {@code ripcord drill schedule} creates a Temporal Schedule, the worker
 * process runs the Drill workflow on the release task queue on that cadence, a drill whose expectation fails fails
 * its run and notifies the policy's webhook, and {@code ripcord drill unschedule} removes the schedule.
 */
class DrillScheduleIT {
  static DevServer server;
  static WorkerProcess worker;
  static ReferenceGateway hooks;
  static Path dir;

  @BeforeAll
  static void up() throws Exception {
    server = new DevServer();
    worker = new WorkerProcess(server);
    hooks = ReferenceGateway.start(0);
    dir = Files.createDirectories(Components.artifacts().resolve("drills"));
  }

  @AfterAll
  static void down() {
    if (hooks != null) hooks.close();
    if (worker != null) worker.close();
    if (server != null) server.close();
  }

  private static Cli.Run cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--address", server.address()));
    return Cli.run(all.toArray(String[]::new));
  }

  private static List<WorkflowExecutionMetadata> runs(String scheduleId, WorkflowExecutionStatus status) {
    return server.client().listExecutions("WorkflowType = 'Drill' AND ExecutionStatus = '"
            + status.name().substring("WORKFLOW_EXECUTION_STATUS_".length()).charAt(0)
            + status.name().substring("WORKFLOW_EXECUTION_STATUS_".length() + 1).toLowerCase() + "'")
        .filter(m -> m.getExecution().getWorkflowId().startsWith(scheduleId + "-")).toList();
  }

  @Test
  void aScheduledDrillRunsOnItsCadenceAFailingOneIsAnnouncedAndUnschedulingStopsIt() throws Exception {
    Path examples = Path.of("../examples");
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, Files.readString(examples.resolve("conversational-agent.yaml"))
        .replace("notifications:\n", "notifications:\n  webhook: " + hooks.hookUrl("drills") + "\n"));
    Path passing = examples.resolve("drills/hallucinations-when-exposed.yaml");
    Path strict = dir.resolve("strict.yaml");
    Files.writeString(strict, Files.readString(passing).replace("within: 10m", "within: 1m"));

    Cli.Run created = cli("drill", "schedule", "--policy", policy.toString(), "--scenario", passing.toString(),
        "--every", "5s", "--schedule-id", "drill-pass", "--trigger-now");
    assertEquals(0, created.exit(), created.output());
    assertTrue(created.output().contains("created schedule drill-pass: drill 'hallucinations-when-exposed' every 5s"),
        created.output());

    Proc.eventually("two completed scheduled drills", Duration.ofSeconds(120),
        () -> runs("drill-pass", WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED).size() >= 2,
        () -> "completed: " + runs("drill-pass", WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED).size()
            + ", failed: " + runs("drill-pass", WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED).size());
    WorkflowExecutionMetadata done =
        runs("drill-pass", WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED).get(0);
    DrillOutcome outcome = server.client().newUntypedWorkflowStub(done.getExecution().getWorkflowId())
        .getResult(DrillOutcome.class);
    assertTrue(outcome.passed(), outcome.checks().toString());
    assertTrue(outcome.timeline().stream().anyMatch(l -> l.contains("TRIGGER")), outcome.timeline().toString());
    assertEquals(List.of(), runs("drill-pass", WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED));

    Cli.Run failing = cli("drill", "schedule", "--policy", policy.toString(), "--scenario", strict.toString(),
        "--every", "1h", "--schedule-id", "drill-strict", "--trigger-now");
    assertEquals(0, failing.exit(), failing.output());
    Proc.eventually("the failing drill's run", Duration.ofSeconds(90),
        () -> !runs("drill-strict", WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED).isEmpty(),
        () -> "runs so far: " + runs("drill-strict", WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED));
    String failedId = runs("drill-strict", WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED).get(0)
        .getExecution().getWorkflowId();
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> server.client().newUntypedWorkflowStub(failedId).getResult(DrillOutcome.class));
    ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals("DrillFailed", f.getType());
    assertTrue(f.getOriginalMessage().contains("(expected within 1m)"), f.getOriginalMessage());
    Proc.eventually("the drill-failed notification", Duration.ofSeconds(10),
        () -> hooks.messages().stream().anyMatch(m -> m.text().startsWith("DRILL FAILED hallucinations-when-exposed")
            && m.text().contains(failedId)), () -> hooks.messages().toString());

    Cli.Run updated = cli("drill", "schedule", "--policy", policy.toString(), "--scenario", passing.toString(),
        "--every", "1h", "--schedule-id", "drill-pass");
    assertTrue(updated.output().contains("updated schedule drill-pass"), updated.output());

    for (String id : List.of("drill-pass", "drill-strict")) {
      Cli.Run gone = cli("drill", "unschedule", id);
      assertEquals(0, gone.exit(), gone.output());
    }
    ScheduleClient schedules = ScheduleClient.newInstance(server.client().getWorkflowServiceStubs(),
        ScheduleClientOptions.newBuilder().setNamespace("default").build());
    Proc.eventually("schedules deleted", Duration.ofSeconds(10),
        () -> schedules.listSchedules().noneMatch(s -> s.getScheduleId().startsWith("drill-")),
        () -> schedules.listSchedules().map(s -> s.getScheduleId()).toList().toString());
    assertFalse(hooks.messages().stream().anyMatch(m -> m.text().contains("drill-pass-")),
        "the passing drill never notified");
  }
}
