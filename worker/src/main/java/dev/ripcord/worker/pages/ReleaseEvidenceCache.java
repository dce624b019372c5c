package dev.ripcord.worker.pages;

import dev.ripcord.activities.evidence.view.EvidenceAssembly;
import dev.ripcord.activities.evidence.view.EvidenceAssembly.RunWindows;
import dev.ripcord.activities.evidence.view.ReleaseEvidence;
import dev.ripcord.activities.temporal.codec.HistoryPayloads;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A release's evidence for its page. Runs that continued as new never change, so each is read
 * and judged once and kept (the {@code capacity} most recently viewed); the running one is read again on each view,
 * and continue-as-new keeps it short. So a long release costs one short history read per view, not its whole past.
 */
public final class ReleaseEvidenceCache {
  private final WorkflowClient client;
  private final Map<String, RunWindows> ended;

  public ReleaseEvidenceCache(WorkflowClient client, int capacity) {
    this.client = client;
    this.ended = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, RunWindows> eldest) {
        return size() > capacity;
      }
    });
  }

  /** How many ended runs are kept judged. */
  public int size() {
    return ended.size();
  }

  /** The evidence of release {@code id}, with its report asked of the release itself. */
  public ReleaseEvidence of(String id) {
    List<RunWindows> judged = new ArrayList<>();
    WorkflowExecutionHistory current = client.fetchHistory(id);
    judged.add(0, judgeOnce(current));
    String previous = current.getEvents().get(0).getWorkflowExecutionStartedEventAttributes()
        .getContinuedExecutionRunId();
    while (!previous.isEmpty()) {
      RunWindows known = ended.get(previous);
      WorkflowExecutionHistory run = known == null ? client.fetchHistory(id, previous) : null;
      RunWindows r = known != null ? known : judgeOnce(run);
      judged.add(0, r);
      previous = r.continuedFrom();
    }
    ReleaseReport report = client.newWorkflowStub(ReleaseWorkflow.class, id).report();
    return EvidenceAssembly.ofJudged(judged, report);
  }

  private RunWindows judgeOnce(WorkflowExecutionHistory stored) {
    WorkflowExecutionHistory run = HistoryPayloads.readable(stored, client.getOptions().getDataConverter());
    RunWindows r = EvidenceAssembly.judge(run);
    if (run.getLastEvent().hasWorkflowExecutionContinuedAsNewEventAttributes()) {
      ended.put(run.getWorkflowExecution().getRunId(), r);
    }
    return r;
  }
}
