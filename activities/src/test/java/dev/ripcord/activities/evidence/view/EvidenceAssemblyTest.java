package dev.ripcord.activities.evidence.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.audit.AuditEntry;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The release page's data, assembled from the stored histories: each window the workflow wrote into its audit
 * ("window N: verdict — why") is judged again to the same verdict and the same words, numbers included, so the
 * statistics drawn are the ones the release acted on.
 */
class EvidenceAssemblyTest {
  static final Path STORED = Path.of("../workflows/src/test/resources/histories");
  private static final Pattern DECISION = Pattern.compile("window (\\d+): ([a-z-]+) — (.*)", Pattern.DOTALL);

  static WorkflowExecutionHistory history(String name) throws Exception {
    return WorkflowExecutionHistory.fromJson(Files.readString(STORED.resolve(name)));
  }

  @Test
  void everyWindowTheWorkflowAuditedIsJudgedAgainToTheSameVerdictAndNumbers() throws Exception {
    Map<String, Integer> checked = new TreeMap<>();
    List<String> differ = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(STORED)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    for (Path f : files) {
      WorkflowExecutionHistory h = history(f.getFileName().toString());
      var started = h.getEvents().get(0).getWorkflowExecutionStartedEventAttributes();
      if (!started.getWorkflowType().getName().equals("Release")) {
        continue;
      }
      ReleaseEvidence e = EvidenceAssembly.of(List.of(h), null);
      if (e.events().isEmpty()) {
        continue; // a run that did not complete: its audit is not in the history
      }
      int n = 0;
      for (AuditEntry a : auditOf(e)) {
        Matcher m = DECISION.matcher(a.message());
        if (!"DECISION".equals(a.kind()) || !m.matches() || a.at().compareTo(e.header().started()) < 0) {
          continue; // a decision of an earlier run (a re-release carries the rolled-back rollout's audit)
        }
        int window = Integer.parseInt(m.group(1));
        ReleaseEvidence.Window w = e.windows().stream().filter(x -> x.window() == window).findFirst().orElse(null);
        if (w == null) {
          continue; // a window of an earlier run, not in this file
        }
        n++;
        if (!m.group(2).equals(w.verdict()) || !m.group(3).equals(w.explanation())) {
          differ.add(f.getFileName() + " window " + window + ":\n  audited: " + m.group(2) + " — " + m.group(3)
              + "\n  judged:  " + w.verdict() + " — " + w.explanation());
        }
      }
      if (n > 0) {
        checked.put(f.getFileName().toString(), n);
      }
    }
    assertEquals(List.of(), differ);
    assertTrue(checked.size() >= 20 && checked.values().stream().mapToInt(i -> i).sum() >= 60, checked.toString());
  }

  private static List<AuditEntry> auditOf(ReleaseEvidence e) {
    return e.events().stream().map(ev -> new AuditEntry(0, ev.t(), ev.kind(), ev.actor(), null, ev.text())).toList();
  }

  @Test
  void aRolledBackReleaseHasItsTriggerWindowAndTheStatisticBeyondItsThresholdThere() throws Exception {
    ReleaseEvidence e = EvidenceAssembly.of(List.of(history("msprt-pinned-v6-rolled-back.json")), null);
    assertEquals("ROLLED_BACK", e.header().state());
    assertEquals("v6", e.header().arithmetic(), "the arithmetic the release was pinned to");
    assertEquals(List.of("unversioned"), e.header().builds(), "recorded by a worker without Worker Versioning");
    ReleaseEvidence.Criterion fired = e.criteria().stream().filter(c -> c.firedWindow() != null).findFirst()
        .orElseThrow();
    ReleaseEvidence.Series leaf = fired.leaves().get(0);
    assertEquals("log-LR", leaf.statistic());
    ReleaseEvidence.Point at = leaf.points().stream().filter(p -> p.window() == fired.firedWindow()).findFirst()
        .orElseThrow();
    assertTrue(at.value() >= at.threshold() && "FIRED".equals(at.status()), at.toString());
    assertTrue(leaf.points().stream().filter(p -> p.window() < fired.firedWindow())
        .allMatch(p -> p.value() < p.threshold()), "no earlier window crossed");
    assertNotNull(at.candidateLow(), "a rate's window carries its Wilson interval");
    assertTrue(at.candidateLow() <= at.candidate() && at.candidate() <= at.candidateHigh(), at.toString());
    assertTrue(e.weights().stream().anyMatch(w -> "router".equals(w.source()) && w.weight() == 0),
        "the router's move back to 0 % is on the weight line: " + e.weights());
  }

  @Test
  void aRunContinuedAsNewStartsFromTheEvidenceItCarried() throws Exception {
    WorkflowExecutionHistory last = history("continued-as-new-final-run.json");
    ReleaseEvidence e = EvidenceAssembly.of(List.of(last), null);
    assertTrue(e.windows().get(0).window() > 1, "windows are counted across runs: " + e.windows().get(0));
  }
}
