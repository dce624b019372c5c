package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.integration.Cli;
import dev.ripcord.integration.Components;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The defect this guards: twelve {@code alert} signals with a 190 KB alertname once made continue-as-new exceed
 * gRPC's limit, so every workflow task after it failed and the release could not be rolled back. Here the Temporal
 * CLI (a sender Ripcord did not write) floods a release on the real dev server with oversized, mis-encoded,
 * duplicated and unknown signals; the release continues as new, still answers queries, and {@code ripcord rollback}
 * rolls it back.
 */
class InputFloodIT {
  private DevServer server;

  private void temporal(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Components.temporal().toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--address", server.address(), "--namespace", "default"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", cmd.subList(0, 6)) + ":\n" + out);
  }

  private void signal(String id, String name, Path input, String... meta) throws Exception {
    List<String> args = new ArrayList<>(List.of("workflow", "signal", "-w", id, "--name", name, "--input-file",
        input.toString()));
    for (String m : meta) {
      args.addAll(List.of("--input-meta", m));
    }
    temporal(args.toArray(String[]::new));
  }

  @Test
  void aFloodFromTheTemporalCliNeverStopsARollback() throws Exception {
    try (DevServer s = new DevServer(); WorkerProcess worker = new WorkerProcess(s);
        ReferenceGateway gateway = ReferenceGateway.start(0)) {
      server = s;
      flood(gateway);
    }
  }

  private void flood(ReferenceGateway gateway) throws Exception {
    ReleasePolicy p = PolicyBuilder.chat().model("flood").router(gateway.url()).pushed().interval("1s")
        .inconclusive(1000, null).promotesOnTime().windowsPerRun(10).alert("ModelSafetySpike", "rollback")
        .stage("canary", 10, "30m").stage("full", 100, "2s").build();
    ReleaseWorkflow wf = Releases.start(server.client(), p);
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
    String id = p.releaseId();
    Path dir = Files.createTempDirectory("flood");
    String huge = "x".repeat(190_000);
    Path alert = Files.writeString(dir.resolve("alert.json"), "{\"alertname\": \"" + huge + "\", \"status\": \"firing\"}");
    Path fields = Files.writeString(dir.resolve("fields.json"), "{\"by\": \"" + huge.substring(0, 20_000)
        + "\", \"step\": \"" + huge.substring(0, 20_000) + "\", \"outcome\": \"" + huge.substring(0, 20_000)
        + "\", \"" + huge.substring(0, 20_000) + "\": 1}");
    Path duplicate = Files.writeString(dir.resolve("dup.json"),
        "{\"by\": \"mallory@evil.example\", \"by\": \"carol@example.com\"}");
    Path plain = Files.writeString(dir.resolve("plain.txt"), "{\"by\": \"carol@example.com\"}");
    for (int i = 0; i < 12; i++) {
      signal(id, "alert", alert);
    }
    for (String name : List.of("approve", "reject", "pause", "resume", "rollback", "investigate", "observe",
        "acknowledge", "rerelease", "no-such-signal")) {
      signal(id, name, fields);
      signal(id, name, duplicate);
      signal(id, name, plain, "encoding=binary/plain");
    }
    long until = System.currentTimeMillis() + 60_000;
    while (runs(id) < 3 && System.currentTimeMillis() < until) {
      Thread.sleep(500);
    }
    assertTrue(runs(id) >= 3, "the release continued as new after the flood");
    assertEquals(ReleaseState.ROLLING_OUT, wf.status().state(), "queries still answer; nothing changed the release");

    Cli.Run r = Cli.run("rollback", id, "--by", "carol@example.com", "--comment", "after the flood", "--address",
        server.address());
    assertEquals(0, r.exit(), r.output());
    ReleaseReport report = Releases.result(wf, Duration.ofSeconds(60));
    assertEquals(ReleaseState.ROLLED_BACK, report.state(), report.audit().toString());
    assertEquals(0, gateway.weight(p.router().route(), p.release().candidate()), "candidate at 0 %");
    for (AuditEntry e : report.audit()) {
      assertTrue(e.message().length() <= 1000 && (e.actor() == null || e.actor().length() <= 200), e.toString());
    }
    assertTrue(report.audit().stream().noneMatch(e -> "mallory@evil.example".equals(e.actor())));
    assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(history(id)), "no workflow task failed");
  }

  private int runs(String id) {
    int n = 1;
    for (HistoryEvent e : history(id)) {
      if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) {
        n++;
      }
    }
    return n;
  }

  /** Every event of every run of the release, following the continue-as-new chain from the first run. */
  private List<HistoryEvent> history(String id) {
    var stub = server.client().getWorkflowServiceStubs().blockingStub();
    List<HistoryEvent> all = new ArrayList<>();
    String runId = firstRun(id);
    while (runId != null) {
      var events = stub.getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
          .setNamespace("default").setExecution(WorkflowExecution.newBuilder().setWorkflowId(id).setRunId(runId))
          .build()).getHistory().getEventsList();
      all.addAll(events);
      HistoryEvent last = events.get(events.size() - 1);
      runId = last.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
          ? last.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId() : null;
    }
    return all;
  }

  private String firstRun(String id) {
    var stub = server.client().getWorkflowServiceStubs().blockingStub();
    var latest = stub.getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
        .setNamespace("default").setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build())
        .getHistory().getEvents(0);
    return latest.getWorkflowExecutionStartedEventAttributes().getFirstExecutionRunId();
  }
}
