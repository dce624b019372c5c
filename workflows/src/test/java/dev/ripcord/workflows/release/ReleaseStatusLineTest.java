package dev.ripcord.workflows.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import dev.ripcord.workflows.testing.ScriptedObservations;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the status (and so the Temporal UI's current details) says once a release has ended. */
class ReleaseStatusLineTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  @Test
  void aCompletedReleaseShowsItsLastStageNotOnePastIt() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build());
    h.result(wf);
    ReleaseStatus s = wf.status();
    assertEquals(ReleaseState.COMPLETED, s.state());
    assertTrue(s.line().contains("stage full (2/2)"), s.line());
  }

  @Test
  void anAutomaticRollbackClosesTheApprovalItOverrode() {
    // The rollback waits for approval; before anyone answers, a latency criterion rolls back on its own.
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().hallucinationLimit(8, "rollback-after-approval", 2, 3)
        .latencyLimit(600, "rollback").build());
    for (int i = 0; i < 100 && wf.status().state() != ReleaseState.AWAITING_ROLLBACK_APPROVAL; i++) {
      h.env.sleep(Duration.ofSeconds(30));
    }
    assertEquals(ReleaseState.AWAITING_ROLLBACK_APPROVAL, wf.status().state());
    h.observations.script(r -> ScriptedObservations.window(r, 40, 900)); // latency breaks the limit too
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    ReleaseStatus s = wf.status();
    assertNull(s.waitingFor(), "nothing waits for people after the rollback");
    assertFalse(s.line().contains("waiting for"), s.line());
    assertTrue(r.audit().stream().anyMatch(e -> e.message().startsWith("open 'rollback' decision closed unanswered")),
        r.audit().toString());
  }

  @Test
  void aReleaseStartedWithItsPagesAddressLinksItsPageThroughEveryRunAndNotification() {
    // Ten windows a run (the least), so the link must survive continue-as-new.
    ReleasePolicy p = PolicyBuilder.chat().windowsPerRun(10).build();
    ReleaseWorkflow wf = h.start(ReleaseInput.start(p, PolicyLoader.hash(p), null, null,
        "https://ripcord.example.com/"), p.releaseId());
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.COMPLETED, r.state());
    assertTrue(h.runs(p.releaseId()).size() >= 2, "continued as new at least once");
    String page = "https://ripcord.example.com/releases/" + p.releaseId();
    assertTrue(wf.status().line().endsWith(" · [release page](" + page + ")"), wf.status().line());
    assertTrue(!h.notifier.sent().isEmpty() && h.notifier.sent().stream()
        .allMatch(n -> page.equals(n.facts().get("page"))), "every notification carries the page");
    assertTrue(wf.decisions().stream().allMatch(d -> d.results().stream().allMatch(x -> !x.measures().isEmpty())),
        "every judged window keeps its numbers beside its words");
  }

  @Test
  void aReleaseStartedWithoutItLinksNothing() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build());
    h.result(wf);
    assertFalse(wf.status().line().contains("release page"), wf.status().line());
    assertTrue(h.notifier.sent().stream().noneMatch(n -> n.facts().containsKey("page")));
  }
}
