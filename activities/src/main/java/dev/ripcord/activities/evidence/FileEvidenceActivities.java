package dev.ripcord.activities.evidence;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.activities.evidence.view.EvidenceAssembly;
import dev.ripcord.activities.evidence.view.EvidencePage;
import dev.ripcord.activities.history.HistoryObservations;
import dev.ripcord.activities.history.ReleaseRuns;
import dev.ripcord.activities.temporal.codec.HistoryPayloads;
import dev.ripcord.activities.temporal.codec.TokenRedaction;
import dev.ripcord.workflows.activity.EvidenceActivities;
import dev.ripcord.workflows.decision.Backtest;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.WindowVerdict;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseInput;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evidence writer for {@code file:} stores: reads every run of the release from Temporal (its histories hold
 * every window and signal), re-derives every window's decision with the engine, asks the release for its audit log,
 * and writes them with the policy as one content-addressed bundle ({@link EvidenceBundles}).
 *
 * <p>Bundle files: {@code policy.json} (the current run's), {@code runs/run-N.json} (each run's history, Temporal's
 * JSON export, oldest first), {@code observations.jsonl} and {@code decisions.jsonl} (one line per window, with its
 * run), {@code report.json} (the release's report as of now) and {@code audit.json}, {@code index.html} (the release
 * page: each criterion's evidence drawn over time, {@link EvidencePage}), and {@code manifest.json}.
 */
public class FileEvidenceActivities implements EvidenceActivities {
  public static final String REJECTED = "EvidenceStoreRejected";
  private static final Logger log = LoggerFactory.getLogger(FileEvidenceActivities.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final java.util.function.Supplier<WorkflowClient> clients;

  public FileEvidenceActivities(WorkflowClient client) {
    this(() -> client);
  }

  /** With the client looked up when a bundle is written (a worker whose client starts after its beans). */
  public FileEvidenceActivities(java.util.function.Supplier<WorkflowClient> clients) {
    this.clients = clients;
  }

  @Override
  public EvidenceRef write(EvidenceRequest q) {
    Path store;
    try {
      store = EvidenceBundles.directory(q.store());
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage() + "; write evidence.store as file:///path",
          REJECTED);
    }
    WorkflowClient client = clients.get();
    // The bundle keeps each run as Temporal stores it (encrypted when the namespace's payloads are: readable with the
    // codec keys); what is derived from them is read from the decoded runs.
    List<WorkflowExecutionHistory> stored = ReleaseRuns.stored(client, q.releaseId(), q.runId());
    List<WorkflowExecutionHistory> runs = stored.stream()
        .map(h -> HistoryPayloads.readable(h, client.getOptions().getDataConverter())).toList();
    Map<String, byte[]> files = new LinkedHashMap<>();
    StringBuilder observations = new StringBuilder();
    StringBuilder decisions = new StringBuilder();
    ReleaseInput current = null;
    List<String> runIds = new ArrayList<>();
    boolean tokensKept = false;
    try {
      for (int i = 0; i < runs.size(); i++) {
        WorkflowExecutionHistory run = runs.get(i);
        runIds.add(run.getWorkflowExecution().getRunId());
        // Tokens leave the bundle where the run still replays without them (it recorded what they proved); a
        // sealed run keeps its sealed payloads as they are.
        boolean redact = TokenRedaction.replayable(run);
        tokensKept |= !redact;
        files.put("runs/run-" + (i + 1) + ".json", (redact ? TokenRedaction.of(stored.get(i)) : stored.get(i))
            .toJson(true).getBytes(StandardCharsets.UTF_8));
        current = ReleaseRuns.input(run.getEvents());
        List<Observation> windows = new ArrayList<>();
        for (JsonNode o : HistoryObservations.of(run)) {
          observations.append("{\"run\":").append(i + 1).append(",\"window\":").append(o).append("}\n");
          windows.add(JSON.treeToValue(o, Observation.class));
        }
        if (current != null) {
          for (WindowVerdict d : Backtest.run(current.policy(), windows).decisions()) {
            decisions.append("{\"run\":").append(i + 1).append(",\"decision\":").append(JSON.writeValueAsString(d))
                .append("}\n");
          }
        }
      }
      files.put("observations.jsonl", observations.toString().getBytes(StandardCharsets.UTF_8));
      files.put("decisions.jsonl", decisions.toString().getBytes(StandardCharsets.UTF_8));
      ReleasePolicy policy = current == null ? null : current.policy();
      if (policy != null) {
        files.put("policy.json", PolicyLoader.toJson(policy).getBytes(StandardCharsets.UTF_8));
      }
      // The release's own account so far (its audit log among it), asked of the workflow while this activity runs.
      var report = client.newWorkflowStub(ReleaseWorkflow.class, q.releaseId()).report();
      files.put("report.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
      files.put("audit.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(report.audit()));
      // The release page as of now, whole in one file: what the worker's page shows, after Temporal's retention too.
      files.put("index.html", EvidencePage.html(EvidenceAssembly.of(runs, report), null)
          .getBytes(StandardCharsets.UTF_8));
      Map<String, Object> about = new LinkedHashMap<>();
      about.put("releaseId", q.releaseId());
      about.put("reason", q.reason());
      about.put("runs", runIds);
      about.put("tokens", tokensKept ? "kept in runs recorded before verification-recorded (spent; redacting them"
          + " would stop those runs replaying)" : "redacted");
      if (current != null) {
        about.put("policyHash", current.policyHash());
        if (policy.release().bundleId() != null) {
          about.put("bundle", policy.release().bundleId());
        }
      }
      EvidenceBundles.Written w = EvidenceBundles.write(store, files, about);
      log.info("{}: evidence bundle ({}) {} {}", q.releaseId(), q.reason(), w.uri(), w.digest());
      return new EvidenceRef(w.uri().toString(), w.digest(), w.files(), w.bytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the evidence of " + q.releaseId(), e);
    }
  }
}
