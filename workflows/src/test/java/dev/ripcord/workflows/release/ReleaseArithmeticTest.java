package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.decision.stats.SequentialTest;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.RawValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A rollout's arithmetic is chosen once, at its start, and carried through continue-as-new: a build whose arithmetic
 * is newer judges a running release by the one it was pinned to, and a build that does not know the pinned one
 * refuses to judge (its workflow task fails and is retried) rather than judge by another.
 */
class ReleaseArithmeticTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();
  /** The id the carried input runs under, beside the release it came from. */
  private static final String PINNED = "release-chat-v2-pinned";

  /** Latency histograms of {@code n} requests with {@code slow} beyond 1 s, for both arms. */
  private static RawValue window(long n, long slow, long nb) {
    return json(Map.of("signals", Map.of("latency_ms", Map.of(
        "candidate", Map.of("buckets", buckets(n, slow)), "baseline", Map.of("buckets", buckets(nb, nb / 500))))));
  }

  private static Map<String, Object> buckets(long n, long slow) {
    long fast = n - slow;
    return Map.of("250", fast * 8 / 10, "500", fast * 95 / 100, "1000", fast, "2500", fast + slow / 2, "+Inf", n);
  }

  private static ReleasePolicy policy() {
    return PolicyBuilder.chat().pushed().windowsPerRun(10).stage("shadow", 0, "30m").stage("canary", 10, "30m")
        .stage("full", 100, "10m").latencyTest(1.2, "rollback").build();
  }

  private static List<String> markers(WorkflowExecutionHistory run) {
    List<String> ids = new ArrayList<>();
    for (var e : run.getEvents()) {
      if (e.hasMarkerRecordedEventAttributes()) {
        var id = e.getMarkerRecordedEventAttributes().getDetailsMap().get("changeId");
        if (id != null) {
          ids.add(id.getPayloads(0).getData().toString(StandardCharsets.UTF_8).replace("\"", ""));
        }
      }
    }
    return ids;
  }

  /** Runs the shadow stage's first windows until the first run has continued as new; that run's carried input. */
  private ReleaseInput firstRunCarried(ReleasePolicy p) {
    ReleaseWorkflow first = h.start(p);
    h.env.sleep(Duration.ofSeconds(5));
    for (int i = 0; i < 12; i++) {
      first.observe(window(2_000, 4, 2_000));
      h.env.sleep(Duration.ofMinutes(1));
    }
    List<WorkflowExecutionHistory> runs = h.runs(p.releaseId());
    assertTrue(runs.size() >= 2, "ten windows a run: " + runs.size() + " runs");
    List<String> pinned = markers(runs.get(0));
    assertTrue(pinned.contains("arithmetic-pinned"), pinned.toString());
    for (String perWindow : List.of("detection-v2", "means-by-stage", "quantiles-by-stage")) {
      assertFalse(pinned.contains(perWindow), "a pinned release asks no per-window marker: " + pinned);
    }
    // The first release is left as it is: terminating a run whose workflow task is in flight can leave the test
    // server's clock locked. Its carried input is run under an id of its own, as a later build would run it.
    return ReleaseHarness.continuedWith(runs.get(0));
  }

  /**
   * The rest of the shadow stage from the first run's carried input, pinned to {@code arithmetic}, then ten canary
   * windows in which 5 % of the candidate's answers take over 1 s: the release's report, or null if still watching.
   */
  private List<String> canaryPinnedTo(String arithmetic, ReleaseReport[] report) {
    ReleasePolicy p = policy();
    ReleaseInput carried = firstRunCarried(p);
    assertEquals(SequentialTest.Rules.CURRENT.name(), carried.carried().arithmetic, "pinned at its start");
    carried.carried().arithmetic = arithmetic;
    ReleaseWorkflow wf = h.startWithSignal(PINNED, carried, "observe", window(2_000, 4, 2_000));
    h.env.sleep(Duration.ofMinutes(1));
    for (int i = 0; i < 40 && wf.status().state() == ReleaseState.SHADOW; i++) {
      wf.observe(window(2_000, 4, 2_000));
      h.env.sleep(Duration.ofMinutes(1));
    }
    h.awaitState(wf, ReleaseState.ROLLING_OUT);
    for (int i = 0; i < 10 && wf.status().state().isWatching(); i++) {
      wf.observe(window(200, 10, 1_800));
      h.env.sleep(Duration.ofMinutes(1));
    }
    List<String> explained = new ArrayList<>(wf.decisions().stream().map(d -> d.explanation()).toList());
    if (wf.status().state().isWatching()) {
      WorkflowStub.fromTyped(wf).terminate("test over");
    } else {
      report[0] = h.result(wf);
      explained.addAll(messages(report[0].audit(), "TRIGGER"));
    }
    for (WorkflowExecutionHistory run : h.runs(PINNED)) {
      assertFalse(markers(run).contains("quantiles-by-stage"), markers(run).toString());
    }
    return explained;
  }

  @Test
  void aReleaseIsJudgedByTheArithmeticItWasPinnedToNotByTheBuildThatRunsIt() {
    ReleaseReport[] today = new ReleaseReport[1];
    List<String> v4 = canaryPinnedTo("v4", today);
    assertEquals(ReleaseState.ROLLED_BACK, today[0] == null ? null : today[0].state(), v4.toString());
    assertTrue(v4.stream().anyMatch(e -> e.contains("latency-regression") && e.contains("since stage 'canary'")),
        v4.toString());
  }

  @Test
  void aReleasePinnedToAnOlderArithmeticKeepsItOnANewerBuild() {
    // As if a build whose arithmetic was V3 (no quantile restarts) had started it: this build's V4 must not apply.
    ReleaseReport[] older = new ReleaseReport[1];
    List<String> v3 = canaryPinnedTo("v3", older);
    assertTrue(older[0] == null, "summed over the release, ten slow canary windows do not yet repay the shadow's"
        + " evidence: " + (older[0] == null ? "" : older[0].state()));
    assertTrue(v3.stream().noneMatch(e -> e.contains("since stage")), v3.toString());
    assertTrue(v3.stream().anyMatch(e -> e.contains("latency_ms p99 candidate")), v3.toString());
  }

  @Test
  void aBuildThatDoesNotKnowThePinnedArithmeticRefusesToJudgeAndTheReleaseWaits() {
    ReleasePolicy p = policy();
    ReleaseInput carried = firstRunCarried(p);
    carried.carried().arithmetic = "v9"; // a newer build's
    ReleaseWorkflow wf = h.startWithSignal(PINNED, carried, "observe", window(2_000, 4, 2_000));
    var failed = ReleaseHarness.failedWorkflowTasks(h.history(PINNED).getEvents());
    for (long until = System.nanoTime() + 30_000_000_000L; failed.isEmpty() && System.nanoTime() < until; ) {
      h.env.sleep(Duration.ofSeconds(1)); // a failing task keeps the test server's clock from skipping ahead
      failed = ReleaseHarness.failedWorkflowTasks(h.history(PINNED).getEvents());
    }
    assertFalse(failed.isEmpty(), "the task that would have judged failed");
    StringBuilder why = new StringBuilder();
    for (var f = failed.get(0).getWorkflowTaskFailedEventAttributes().getFailure(); f != null;
        f = f.hasCause() ? f.getCause() : null) {
      why.append(f.getMessage()).append(" / ");
    }
    assertTrue(why.toString().contains("this release is judged by arithmetic 'v9', which this build does not know"),
        why.toString());
    assertEquals(io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
        h.client.newUntypedWorkflowStub(PINNED).describe().getStatus(),
        "the release is not failed; it waits for a build that knows its arithmetic");
    WorkflowStub.fromTyped(wf).terminate("test over");
  }
}
