package dev.ripcord.starter.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ripcord.activities.temporal.SearchAttributeRegistration;
import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.drill.DrillRequest;
import dev.ripcord.workflows.drill.DrillWorkflow;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.DecisionAnswer;
import dev.ripcord.workflows.release.ReleaseInput;
import dev.ripcord.workflows.release.ReleaseStatus;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.List;

/** What release tooling uses: start a release from a validated policy, read it, decide on it, push to it. */
public final class RipcordClient implements AutoCloseable {
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final String namespace;
  private CliTracing tracing = CliTracing.off();

  public RipcordClient(WorkflowClient client) {
    this.client = client;
    this.service = client.getWorkflowServiceStubs();
    this.namespace = client.getOptions().getNamespace();
  }

  public static RipcordClient connect(String address, String namespace) {
    return connect(address, namespace, new Tls(null, null, null));
  }

  /**
   * How to reach a frontend that requires TLS: a CA to trust (else the JVM's default trust store), and for mutual
   * TLS a client certificate and its PKCS#8 key. All null: plaintext.
   */
  public record Tls(java.nio.file.Path ca, java.nio.file.Path cert, java.nio.file.Path key) {
    boolean on() {
      return ca != null || cert != null || key != null;
    }

    io.grpc.netty.shaded.io.netty.handler.ssl.SslContext context() {
      if ((cert == null) != (key == null)) {
        throw new IllegalArgumentException("--tls-cert and --tls-key go together (mutual TLS needs both)");
      }
      try {
        io.temporal.serviceclient.SimpleSslContextBuilder b;
        if (cert != null) {
          // The builder reads its streams in build(): hand it the bytes, not open files.
          b = io.temporal.serviceclient.SimpleSslContextBuilder.forPKCS8(
              new java.io.ByteArrayInputStream(java.nio.file.Files.readAllBytes(cert)),
              new java.io.ByteArrayInputStream(java.nio.file.Files.readAllBytes(key)));
        } else {
          b = io.temporal.serviceclient.SimpleSslContextBuilder.noKeyOrCertChain();
        }
        if (ca != null) {
          b.setTrustManager(trusting(ca));
        }
        return b.build();
      } catch (java.io.IOException | java.security.GeneralSecurityException e) {
        throw new IllegalArgumentException("cannot set up TLS from " + (cert != null ? cert + ", " + key : "")
            + (ca != null ? (cert != null ? " and " : "") + ca : "") + ": " + e.getMessage(), e);
      }
    }

    private static javax.net.ssl.TrustManager trusting(java.nio.file.Path pem)
        throws java.io.IOException, java.security.GeneralSecurityException {
      java.security.KeyStore ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
      ks.load(null, null);
      try (var in = java.nio.file.Files.newInputStream(pem)) {
        int i = 0;
        for (var c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          ks.setCertificateEntry("ca-" + i++, c);
        }
        if (i == 0) {
          throw new java.security.cert.CertificateException("no certificate in " + pem);
        }
      }
      javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
          javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      return tmf.getTrustManagers()[0];
    }
  }

  public static RipcordClient connect(String address, String namespace, Tls tls) {
    return connect(address, namespace, tls, CliTracing.off());
  }

  /** As {@link #connect(String, String, Tls)}, tracing the client's calls; the client closes {@code tracing}. */
  public static RipcordClient connect(String address, String namespace, Tls tls, CliTracing tracing) {
    return connect(address, namespace, tls, tracing, dev.ripcord.activities.temporal.codec.CodecKeys.configured());
  }

  /** As {@link #connect(String, String, Tls, CliTracing)}, encrypting with {@code keys} (none: plain JSON). */
  public static RipcordClient connect(String address, String namespace, Tls tls, CliTracing tracing,
      java.util.Optional<dev.ripcord.activities.temporal.codec.CodecKeys> keys) {
    WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder().setTarget(address);
    if (tls.on()) {
      options.setSslContext(tls.context());
    }
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(options.build());
    RipcordClient client = new RipcordClient(WorkflowClient.newInstance(stubs,
        WorkflowClientOptions.newBuilder().setNamespace(namespace)
            .setInterceptors(tracing.interceptors().toArray(
                new io.temporal.common.interceptors.WorkflowClientInterceptor[0]))
            .setDataConverter(dev.ripcord.activities.temporal.RipcordDataConverter.create(keys)).build()));
    client.tracing = tracing;
    return client;
  }

  /**
   * Starts the release of a loaded (so already validated) policy. A re-release of a finished id starts a new run;
   * starting a release that is still running is refused by Temporal.
   */
  public String start(PolicyLoader.Loaded loaded, String taskQueue) {
    return start(loaded, taskQueue, null);
  }

  /** As {@link #start(PolicyLoader.Loaded, String)}, recording who starts it ({@code releasedBy}). */
  public String start(PolicyLoader.Loaded loaded, String taskQueue, String releasedBy) {
    return start(loaded, taskQueue, releasedBy, null);
  }

  /**
   * As {@link #start(PolicyLoader.Loaded, String, String)}, with the starter's signed token: under verified identity
   * the release verifies it, and only it says who started the release.
   */
  public String start(PolicyLoader.Loaded loaded, String taskQueue, String releasedBy, String token) {
    return start(loaded, taskQueue, releasedBy, token, null);
  }

  /** The same, naming where the release pages are served ({@code pages}): the UI's details then link its page. */
  public String start(PolicyLoader.Loaded loaded, String taskQueue, String releasedBy, String token, String pages) {
    SearchAttributeRegistration.ensure(service, namespace);
    ReleasePolicy p = loaded.policy();
    ReleaseWorkflow wf = client.newWorkflowStub(ReleaseWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(p.releaseId())
        .setTaskQueue(taskQueue)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
        .setStaticSummary("Release of " + p.release().model() + " " + p.release().candidate() + " over "
            + p.release().baseline() + " (" + p.stages().size() + " stages)")
        .setStaticDetails("policy " + loaded.hash() + "\nsignals: " + p.signals().stream().map(s -> s.name()).toList()
            + "\ncriteria: " + p.criteria().stream().map(c -> c.name() + " → " + c.action()).toList()
            + (p.governance().verifiesIdentity() ? "\nidentity verified by " + p.governance().identity().issuer()
                + "\nsignal approve/reject/pause/resume/rollback with {\"token\": \"<your token>\"}"
                : "\nsignal approve/reject/pause/resume/rollback with {\"by\": \"you@example.com\"}")
            + (releasedBy == null || p.governance().verifiesIdentity() ? "" : "\nreleased by " + releasedBy)
            + (pages == null ? "" : "\n[release page](" + ReleaseInput.page(pages, p.releaseId()) + ")"))
        .build());
    WorkflowClient.start(wf::run, ReleaseInput.start(p, loaded.hash(), releasedBy, token, pages));
    return p.releaseId();
  }

  public ReleaseWorkflow release(String releaseId) {
    return client.newWorkflowStub(ReleaseWorkflow.class, releaseId);
  }

  /** The issuer a release verifies its deciders with, or null when it takes names as typed. */
  public String verifyingIssuer(String releaseId) {
    String identity = status(releaseId).identity();
    if (identity == null || !identity.startsWith("verified by ")) {
      return null;
    }
    String rest = identity.substring("verified by ".length());
    int end = rest.indexOf(" (audience");
    return end < 0 ? rest.strip() : rest.substring(0, end);
  }

  public ReleaseStatus status(String releaseId) {
    return release(releaseId).status();
  }

  /**
   * The report of a release that has ended, from its result, when no worker can answer its queries (under Worker
   * Versioning they go to the build it ran on, which may be gone); null while it runs or when a worker answers.
   */
  public dev.ripcord.workflows.release.ReleaseReport endedWithoutWorker(String releaseId, RuntimeException asked) {
    if (!(asked instanceof io.temporal.client.WorkflowException || asked instanceof io.grpc.StatusRuntimeException)) {
      return null;
    }
    var stub = client.newUntypedWorkflowStub(releaseId);
    if (stub.describe().getStatus() == io.temporal.api.enums.v1.WorkflowExecutionStatus
        .WORKFLOW_EXECUTION_STATUS_RUNNING) {
      return null;
    }
    return stub.getResult(dev.ripcord.workflows.release.ReleaseReport.class);
  }

  /**
   * The Worker Deployment build the release's current run is on, as Temporal records it (e.g.
   * {@code ripcord:2026.12.1 (pinned)}); null when it runs unversioned.
   */
  public String build(String releaseId) {
    var info = service.blockingStub().describeWorkflowExecution(
        io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder().setNamespace(namespace)
            .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId(releaseId)).build())
        .getWorkflowExecutionInfo().getVersioningInfo();
    return dev.ripcord.activities.temporal.RunBuilds.describe(info.hasDeploymentVersion() ? info.getDeploymentVersion() : null, info.getBehavior());
  }

  /**
   * The release's audit log, asked of the release; for a release that has ended, read from its result when no worker
   * can answer (under Worker Versioning a query goes to the build the release ran on, which may be gone).
   */
  public List<AuditEntry> audit(String releaseId) {
    try {
      return release(releaseId).audit();
    } catch (RuntimeException e) {
      var report = endedWithoutWorker(releaseId, e);
      if (report == null) {
        throw e;
      }
      return report.audit();
    }
  }

  /** Sends a decision as an update and returns the workflow's answer (accepted or refused, with the reason). */
  public DecisionAnswer decide(String releaseId, HumanDecision decision) {
    return release(releaseId).decide(decision);
  }

  /** Asks a rolled-back release to roll the fixed version out again; the answer says accepted or why refused. */
  public DecisionAnswer rerelease(String releaseId, dev.ripcord.workflows.approval.RereleaseRequest request) {
    return release(releaseId).requestRerelease(request);
  }

  /**
   * Creates (or, when it exists, replaces) a Temporal Schedule that starts the drill workflow every {@code every} on
   * the release task queue. Overlapping runs are skipped. Returns true when it was created, false when updated.
   */
  public boolean scheduleDrill(String scheduleId, DrillRequest request, Duration every, boolean triggerNow) {
    Schedule schedule = Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(DrillWorkflow.class)
            .setArguments(request)
            .setOptions(WorkflowOptions.newBuilder()
                .setWorkflowId(scheduleId)
                .setTaskQueue(ReleaseWorkflow.TASK_QUEUE)
                .build())
            .build())
        .setSpec(ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(every))).build())
        .setPolicy(SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP).build())
        .setState(ScheduleState.newBuilder().setNote("ripcord drill " + request.name() + " every " + every).build())
        .build();
    ScheduleClient schedules = schedules();
    try {
      schedules.createSchedule(scheduleId, schedule,
          ScheduleOptions.newBuilder().setTriggerImmediately(triggerNow).build());
      return true;
    } catch (ScheduleAlreadyRunningException e) {
      ScheduleHandle h = schedules.getHandle(scheduleId);
      h.update(in -> new ScheduleUpdate(schedule));
      if (triggerNow) {
        h.trigger();
      }
      return false;
    }
  }

  /** Deletes a drill schedule; runs already started finish. */
  public void unscheduleDrill(String scheduleId) {
    schedules().getHandle(scheduleId).delete();
  }

  public ScheduleDescription describeSchedule(String scheduleId) {
    return schedules().getHandle(scheduleId).describe();
  }

  private ScheduleClient schedules() {
    return ScheduleClient.newInstance(service, ScheduleClientOptions.newBuilder().setNamespace(namespace).build());
  }

  /**
   * Sends a label to the accuracy ledger, starting the ledger on {@code taskQueue} if it is not running, and waits
   * (up to {@code wait}) for the ledger's log line about it: {@code LABELLED ...} or {@code REFUSED ...}; null when
   * none came in time.
   */
  public String label(dev.ripcord.workflows.ledger.LabelRequest q, String taskQueue, Duration wait)
      throws InterruptedException {
    WorkflowStub stub = client.newUntypedWorkflowStub("AccuracyLedger", io.temporal.client.WorkflowOptions.newBuilder()
        .setWorkflowId(dev.ripcord.workflows.ledger.LedgerWorkflow.ID).setTaskQueue(taskQueue).build());
    int before = ledgerLog().size();
    stub.signalWithStart("label", new Object[] {q}, new Object[] {null});
    long until = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < until) {
      List<String> log = ledgerLog();
      for (String line : log.subList(Math.min(before, log.size()), log.size())) {
        // A signed label is logged under the token's person, whom only the ledger knows.
        if ((q.by() == null || line.contains(" " + q.by() + ": ")) && line.contains(q.releaseId())) {
          return line;
        }
      }
      Thread.sleep(200);
    }
    return null;
  }

  private List<String> ledgerLog() {
    try {
      return ledger().log();
    } catch (io.temporal.client.WorkflowNotFoundException | io.temporal.client.WorkflowQueryException e) {
      return List.of();
    }
  }

  public dev.ripcord.workflows.ledger.LedgerWorkflow ledger() {
    return client.newWorkflowStub(dev.ripcord.workflows.ledger.LedgerWorkflow.class,
        dev.ripcord.workflows.ledger.LedgerWorkflow.ID);
  }

  /** Sends one observation (a backtest-format line) as the {@code observe} signal. */
  public void observe(String releaseId, JsonNode observation) {
    WorkflowStub.fromTyped(release(releaseId)).signal("observe", observation);
  }

  public WorkflowExecutionHistory history(String releaseId) {
    return client.fetchHistory(releaseId);
  }

  /** The releases in the namespace, from Temporal's visibility ({@code ripcord list}). */
  public List<dev.ripcord.activities.evidence.view.ReleaseList.Row> list(String model, String state) {
    return new dev.ripcord.activities.evidence.view.ReleaseList(client).rows(model, state);
  }

  /** Every run of a release, oldest first, following continue-as-new links back from the latest run. */
  public List<WorkflowExecutionHistory> allRuns(String releaseId) {
    return dev.ripcord.activities.history.ReleaseRuns.of(client, releaseId, null);
  }

  @Override
  public void close() {
    service.shutdown();
    tracing.close();
  }
}
