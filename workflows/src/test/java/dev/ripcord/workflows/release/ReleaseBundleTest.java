package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static dev.ripcord.workflows.testing.ReleaseHarness.person;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ripcord.workflows.activity.RouterActivities.BundleIds;
import dev.ripcord.workflows.activity.RouterActivities.WeightCommand;
import dev.ripcord.workflows.policy.BundlePart;
import dev.ripcord.workflows.policy.Bundles;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import dev.ripcord.workflows.testing.ScriptedObservations;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code release.bundle}: every part of a generative release, recorded, told to the router with every change (a
 * rollback restores the whole baseline bundle), shown in the status, frozen past an irreversible part's stage, and
 * named part by part when a re-release changes it.
 */
class ReleaseBundleTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  private static PolicyBuilder bundled() {
    return PolicyBuilder.chat().bundle("support@4", null);
  }

  @Test
  void everyRouterChangeNamesBothBundlesTheRollbackIncluded() {
    h.observations.badFromStage("canary");
    ReleasePolicy policy = bundled().build();
    ReleaseWorkflow wf = h.start(policy);
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    BundleIds expected = new BundleIds(policy.release().bundleId(), Bundles.id(policy.release().baselineBundle()));
    assertTrue(expected.candidate().matches("bundle:[0-9a-f]{64}"), expected.toString());
    List<WeightCommand> calls = h.router.calls();
    assertEquals(List.of(10, 0), calls.stream().map(WeightCommand::to).toList());
    calls.forEach(c -> assertEquals(expected, c.bundles(), "call to " + c.to() + " %"));

    ReleaseStatus st = wf.status();
    assertEquals(expected.candidate(), st.bundle().id());
    assertEquals(expected.baseline(), st.bundle().baseline());
    assertEquals(4, st.bundle().parts().size(), st.bundle().parts().toString());
    assertTrue(st.bundle().parts().get(1).startsWith("systemPrompt support@4 ("), st.bundle().parts().toString());
    assertTrue(st.line().contains(" · " + Bundles.shortId(expected.candidate())), st.line());
    String recorded = messages(r.audit(), "STATE").stream().filter(m -> m.startsWith("bundle bundle:")).findFirst()
        .orElseThrow(() -> new AssertionError(r.audit().toString()));
    assertTrue(recorded.startsWith("bundle " + expected.candidate() + ": weights v2 ("), recorded);
    assertTrue(recorded.contains("; baseline bundle " + expected.baseline() + ": weights v1 ("), recorded);
  }

  @Test
  void aReleaseWithoutABundleTellsTheRouterNone() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build());
    h.result(wf);
    h.router.calls().forEach(c -> assertNull(c.bundles(), c.toString()));
    assertNull(wf.status().bundle());
  }

  @Test
  void anIrreversiblePartFreezesTheReleaseFromItsStage() {
    h.observations.badFromStage("half");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().stage("canary", 10, "10m").stage("half", 50, "10m")
        .stage("full", 100, "10m").bundle("support@4", new BundlePart.Irreversible("half",
            "the new index's schema migration is one way")).build());
    h.awaitState(wf, ReleaseState.FROZEN);
    assertEquals(List.of(10, 50), h.router.effectiveWeights(), "the candidate stays at 50 %");
    assertTrue(wf.status().waitingFor().reason().contains("rolling back is unsafe since stage 'half' (retrievalIndex"
        + " is irreversible: the new index's schema migration is one way)"), wf.status().waitingFor().reason());
    assertTrue(messages(wf.audit(), "STATE").stream().anyMatch(m -> m.startsWith("point of no return: stage 'half'"
        + " (retrievalIndex is irreversible")), wf.audit().toString());
    wf.approve(person("alice@example.com", null));
    assertEquals(ReleaseState.ROLLED_BACK, h.result(wf).state());
    assertEquals(List.of(10, 50, 10, 0), h.router.effectiveWeights());
  }

  @Test
  void aPromptOnlyFixReReleasesTheSameWeightsAndNamesThePartThatChanged() throws Exception {
    AtomicBoolean fixed = new AtomicBoolean();
    h.observations.script(r -> ScriptedObservations.window(r, !fixed.get() && r.weight() > 0 ? 30 : 5, 400));
    PolicyBuilder rereleasable = bundled().right("rerelease", new DecisionRight(List.of("safety-lead"), "3d", null));
    ReleasePolicy policy = rereleasable.build();
    ReleaseWorkflow wf = h.client.newWorkflowStub(ReleaseWorkflow.class,
        WorkflowStub.fromTyped(h.start(policy)).getExecution().getWorkflowId());
    h.awaitState(wf, ReleaseState.ROLLED_BACK);
    h.env.sleep(Duration.ofSeconds(30));

    wf.rerelease(json(Map.of("by", "alice@example.com", "candidate", "v2", "policy",
        ReleaseHarness.JSON.valueToTree(policy))));                                   // the same bundle
    wf.rerelease(json(Map.of("by", "alice@example.com", "candidate", "v3")));       // new weights, no bundle for them
    ReleasePolicy promptFix = PolicyBuilder.chat().bundle("support@5", null)
        .right("rerelease", new DecisionRight(List.of("safety-lead"), "3d", null)).build();
    ObjectNode revised = (ObjectNode) ReleaseHarness.JSON.valueToTree(promptFix);
    fixed.set(true);
    wf.rerelease(json(Map.of("by", "alice@example.com", "policy", revised, "comment", "prompt fix only")));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.COMPLETED, r.state());
    List<String> refused = messages(r.audit(), "REFUSED");
    assertTrue(refused.get(0).contains("v2 was rolled back with eval report eval-12; name the fixed candidate or a new"
        + " eval report, or send a revised policy whose bundle changes a part"), refused.toString());
    assertTrue(refused.get(1).contains("the release describes a bundle whose weights are v2; send the revised policy"
        + " with v3's bundle"), refused.toString());
    String accepted = messages(r.audit(), "APPROVAL").stream().filter(m -> m.startsWith("re-release accepted"))
        .findFirst().orElseThrow(() -> new AssertionError(r.audit().toString()));
    assertTrue(accepted.matches("re-release accepted: same candidate v2, bundle changes: systemPrompt support@4 \\("
        + "[0-9a-f]{12}\\) → support@5 \\([0-9a-f]{12}\\) — \"prompt fix only\""), accepted);
    String against = messages(r.audit(), "STATE").stream().filter(m -> m.contains("against the rolled-back"))
        .findFirst().orElseThrow(() -> new AssertionError(r.audit().toString()));
    assertTrue(against.startsWith("bundle " + promptFix.release().bundleId() + " against the rolled-back "
        + policy.release().bundleId() + ": systemPrompt support@4"), against);

    List<WeightCommand> calls = h.router.calls();
    assertEquals(List.of(10, 0, 10, 100), calls.stream().map(WeightCommand::to).toList());
    assertEquals(policy.release().bundleId(), calls.get(1).bundles().candidate(), "the rollback names the old bundle");
    assertEquals(promptFix.release().bundleId(), calls.get(3).bundles().candidate(), "the re-release the new one");
    assertEquals("v2", calls.get(3).candidate(), "the same weights");
    assertEquals(promptFix.release().bundleId(), wf.status().bundle().id());

    List<WorkflowExecutionHistory> runs = h.runs(policy.releaseId());
    assertEquals(2, runs.size());
    for (WorkflowExecutionHistory run : runs) {
      WorkflowReplayer.replayWorkflowExecution(run, ReleaseWorkflowImpl.class);
    }
    String dir = System.getProperty("ripcord.recordHistories");
    if (dir != null) {
      Files.writeString(Path.of(dir, "bundle-rolled-back-run.json"), runs.get(0).toJson(true));
      Files.writeString(Path.of(dir, "bundle-prompt-fix-run.json"), runs.get(1).toJson(true));
    }
    assertNotNull(r.policyHash());
  }
}
