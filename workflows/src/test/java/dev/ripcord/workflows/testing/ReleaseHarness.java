package dev.ripcord.workflows.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.intake.SignalPayloads;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseInput;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseSearchAttributes;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.release.ReleaseWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.RawValue;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A time-skipping Temporal test environment with the release workflow, a fake router, a recording notifier and
 * scripted observations. With {@code -Dripcord.recordHistories=DIR} every finished release's history is written there
 * (how the stored histories under src/test/resources/histories were made).
 */
public final class ReleaseHarness implements AutoCloseable, org.junit.jupiter.api.extension.AfterEachCallback {
  public static final ObjectMapper JSON = new ObjectMapper();
  public final TestWorkflowEnvironment env;
  public final FakeRouter router = new FakeRouter();
  public final RecordingNotifier notifier = new RecordingNotifier();
  public final ScriptedObservations observations = new ScriptedObservations();
  public final FakePlaybook playbook = new FakePlaybook();
  public final FakeIssuer issuer = new FakeIssuer();
  public final FakeEvidence evidence = new FakeEvidence();
  public final FakeReleaseFacts releaseFacts = new FakeReleaseFacts();
  public final FakeSpentTokens spentTokens = new FakeSpentTokens();
  public final WorkflowClient client;

  public ReleaseHarness() {
    this((com.uber.m3.tally.Scope) null);
  }

  /** A harness whose workflows report their metrics to {@code metrics} (a tally scope), or to none when null. */
  public ReleaseHarness(com.uber.m3.tally.Scope metrics) {
    this(metrics, null);
  }

  /** A harness whose client and worker calls to the test server pass {@code grpc} (e.g. a {@link FirstTaskGate}). */
  public ReleaseHarness(com.uber.m3.tally.Scope metrics, io.grpc.ClientInterceptor grpc) {
    this(metrics, grpc, null);
  }

  /** A harness whose client and worker use {@code converter} (e.g. one that encrypts payloads), or the SDK's. */
  public ReleaseHarness(io.temporal.common.converter.DataConverter converter) {
    this(null, null, converter);
  }

  private ReleaseHarness(com.uber.m3.tally.Scope metrics, io.grpc.ClientInterceptor grpc,
      io.temporal.common.converter.DataConverter converter) {
    var options = io.temporal.testing.TestEnvironmentOptions.newBuilder();
    if (converter != null) {
      options.setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(converter).build());
    }
    if (metrics != null) {
      options.setMetricsScope(metrics);
    }
    if (grpc != null) {
      options.setWorkflowServiceStubsOptions(io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder()
          .addGrpcClientInterceptor(grpc).build());
    }
    env = TestWorkflowEnvironment.newInstance(options.build());
    ReleaseSearchAttributes.ALL.forEach(k ->
        env.registerSearchAttribute(k.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    // Behind a gate on the normal task queue, a busy machine must not push a cached run's task off the sticky queue
    // (after Temporal's 5 s default) onto the gated one, where it would wait for the gate.
    Worker worker = grpc == null ? env.newWorker(ReleaseWorkflow.TASK_QUEUE) : env.newWorker(
        ReleaseWorkflow.TASK_QUEUE, io.temporal.worker.WorkerOptions.newBuilder()
            .setStickyQueueScheduleToStartTimeout(java.time.Duration.ofMinutes(10)).build());
    worker.registerWorkflowImplementationTypes(ReleaseWorkflowImpl.class,
        dev.ripcord.workflows.ledger.LedgerWorkflowImpl.class);
    worker.registerActivitiesImplementations(router, notifier, observations, playbook, issuer, evidence,
        releaseFacts, spentTokens);
    env.start();
    client = env.getWorkflowClient();
  }

  public ReleaseWorkflow start(ReleasePolicy policy) {
    return start(policy, null);
  }

  /** Starts the release as {@code releasedBy} (who started it, for separation of duties; null: not said). */
  public ReleaseWorkflow start(ReleasePolicy policy, String releasedBy) {
    return start(policy, releasedBy, null);
  }

  /** Starts the release with the starter's token (verified identity), or as {@code releasedBy} typed. */
  public ReleaseWorkflow start(ReleasePolicy policy, String releasedBy, String token) {
    return start(ReleaseInput.start(policy, PolicyLoader.hash(policy), releasedBy, token), policy.releaseId());
  }

  /** Starts a first run from {@code input} under {@code workflowId}. */
  public ReleaseWorkflow start(ReleaseInput input, String workflowId) {
    ReleaseWorkflow wf = client.newWorkflowStub(ReleaseWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(ReleaseWorkflow.TASK_QUEUE)
        .build());
    WorkflowClient.start(wf::run, input);
    return wf;
  }

  /**
   * Starts a run from {@code input} with {@code signal} in the same request (signal-with-start): the signal is in the
   * history before the run's first workflow task, as when it is sent while every worker is down or busy.
   */
  public ReleaseWorkflow startWithSignal(String workflowId, ReleaseInput input, String signal, RawValue payload) {
    WorkflowStub stub = client.newUntypedWorkflowStub(ReleaseWorkflow.TYPE, options(workflowId));
    stub.signalWithStart(signal, new Object[] {payload}, new Object[] {input});
    return client.newWorkflowStub(ReleaseWorkflow.class, workflowId);
  }

  /** A new release of {@code policy} with {@code signal} sent before its first workflow task. */
  public ReleaseWorkflow startWithSignal(ReleasePolicy policy, String signal, RawValue payload) {
    return startWithSignal(policy.releaseId(), ReleaseInput.start(policy, PolicyLoader.hash(policy)), signal, payload);
  }

  /**
   * Starts a run from {@code input} with an update in the same request (update-with-start), so the update reaches the
   * run in its first workflow task; returns the update's answer.
   */
  public <R> R startWithUpdate(String workflowId, ReleaseInput input,
      java.util.function.Function<ReleaseWorkflow, R> update, Class<R> answer) {
    ReleaseWorkflow wf = client.newWorkflowStub(ReleaseWorkflow.class, WorkflowOptions.newBuilder(
        options(workflowId)).setWorkflowIdConflictPolicy(
            io.temporal.api.enums.v1.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL).build());
    var start = new io.temporal.client.WithStartWorkflowOperation<>(wf::run, input);
    io.temporal.workflow.Functions.Func<R> call = () -> update.apply(wf);
    return WorkflowClient.executeUpdateWithStart(call, io.temporal.client.UpdateOptions
        .<R>newBuilder().setResultClass(answer).setWaitForStage(io.temporal.client.WorkflowUpdateStage.COMPLETED)
        .build(), start);
  }

  private static WorkflowOptions options(String workflowId) {
    return WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(ReleaseWorkflow.TASK_QUEUE).build();
  }

  /** The input a run continued as new with (the last event of {@code run}). */
  public static ReleaseInput continuedWith(WorkflowExecutionHistory run) {
    var e = run.getLastEvent();
    if (!e.hasWorkflowExecutionContinuedAsNewEventAttributes()) {
      throw new AssertionError("the run did not continue as new: " + e.getEventType());
    }
    var payloads = e.getWorkflowExecutionContinuedAsNewEventAttributes().getInput();
    return io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0,
        java.util.Optional.of(payloads), ReleaseInput.class, ReleaseInput.class);
  }

  /**
   * The names of the signals in {@code history} that arrived before its first workflow task started (so they reached
   * their handlers before the workflow method ran).
   */
  public static List<String> signalsBeforeFirstTask(WorkflowExecutionHistory history) {
    // The first task the workflow ran is the first that completed (an attempt that timed out ran nothing); the
    // signals before it started are those its handlers saw before the workflow method.
    List<String> names = new java.util.ArrayList<>();
    List<String> beforeThisAttempt = List.of();
    for (var e : history.getEvents()) {
      if (e.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
        beforeThisAttempt = List.copyOf(names);
      } else if (e.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
        return beforeThisAttempt;
      } else if (e.hasWorkflowExecutionSignaledEventAttributes()) {
        names.add(e.getWorkflowExecutionSignaledEventAttributes().getSignalName());
      }
    }
    return names;
  }

  public ReleaseReport result(ReleaseWorkflow wf) {
    ReleaseReport r = WorkflowStub.fromTyped(wf).getResult(ReleaseReport.class);
    record(wf);
    return r;
  }

  /**
   * The workflow tasks among {@code events} that failed, except UNHANDLED_COMMAND: Temporal's own race (signals
   * arrived while a task completed), after which the server runs a fresh task at once. Empty when all is well.
   */
  public static List<io.temporal.api.history.v1.HistoryEvent> failedWorkflowTasks(
      Iterable<io.temporal.api.history.v1.HistoryEvent> events) {
    List<io.temporal.api.history.v1.HistoryEvent> failed = new java.util.ArrayList<>();
    for (var e : events) {
      if (e.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED
          && e.getWorkflowTaskFailedEventAttributes().getCause()
          != io.temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND) {
        failed.add(e);
      }
    }
    return failed;
  }

  /** A signal's JSON payload, as any client sends it. */
  public static RawValue json(Object o) {
    return SignalPayloads.json(o);
  }

  public static RawValue person(String by, String role) {
    return role == null ? json(Map.of("by", by)) : json(Map.of("by", by, "role", role));
  }

  public static List<String> messages(List<AuditEntry> audit, String kind) {
    return audit.stream().filter(e -> e.kind().equals(kind)).map(AuditEntry::message).toList();
  }

  /**
   * Terminates the release's current run once it is idle: no workflow task and no activity scheduled or running
   * (waits up to 30 s of wall time). Terminating a run whose task is in flight can leave the time-skipping test
   * server's clock locked, and every later {@code env.sleep} hangs.
   */
  public void terminateWhenIdle(String workflowId, String reason) {
    java.util.Set<io.temporal.api.enums.v1.EventType> busy = java.util.EnumSet.of(
        io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
        io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
        io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
        io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
    for (long until = System.nanoTime() + 30_000_000_000L; System.nanoTime() < until; ) {
      if (!busy.contains(history(workflowId).getLastEvent().getEventType())) {
        break;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    client.newUntypedWorkflowStub(workflowId).terminate(reason);
  }

  public WorkflowExecutionHistory history(String workflowId) {
    return client.fetchHistory(workflowId);
  }

  /** Every run of a release, first to last, found by following each run's link to the one it continued. */
  public List<WorkflowExecutionHistory> runs(String workflowId) {
    List<WorkflowExecutionHistory> runs = new java.util.ArrayList<>();
    WorkflowExecutionHistory run = history(workflowId);
    while (true) {
      runs.add(0, run);
      String previous = run.getEvents().get(0).getWorkflowExecutionStartedEventAttributes()
          .getContinuedExecutionRunId();
      if (previous.isEmpty()) {
        return runs;
      }
      run = client.fetchHistory(workflowId, previous);
    }
  }

  private void record(ReleaseWorkflow wf) {
    String dir = System.getProperty("ripcord.recordHistories");
    if (dir == null) {
      return;
    }
    String id = WorkflowStub.fromTyped(wf).getExecution().getWorkflowId();
    String name = System.getProperty("ripcord.historyName", id);
    try {
      Files.createDirectories(Path.of(dir));
      Files.writeString(Path.of(dir, name + ".json"), history(id).toJson(true));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Advances time 30 s at a time until the release is in {@code state}; fails after 200 minutes of it. */
  public void awaitState(ReleaseWorkflow wf, ReleaseState state) {
    for (int i = 0; i < 400; i++) {
      env.sleep(java.time.Duration.ofSeconds(30));
      if (wf.status().state() == state) {
        return;
      }
    }
    throw new AssertionError("release never reached " + state + "; it is " + wf.status().line());
  }

  /**
   * As a JUnit extension, {@code @RegisterExtension final ReleaseHarness h = new ReleaseHarness();}: each test gets
   * its own test server, closed after it.
   */
  @Override
  public void afterEach(org.junit.jupiter.api.extension.ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    env.close();
  }
}
