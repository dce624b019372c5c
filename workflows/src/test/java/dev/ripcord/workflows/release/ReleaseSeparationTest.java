package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static dev.ripcord.workflows.testing.ReleaseHarness.person;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Separation of duties: who started the release is recorded, and kept from the rights that say notBy: [releaser]. */
class ReleaseSeparationTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  /** Bob (product owner) and erin (a second product owner) may promote, but not the one who started the release. */
  private static PolicyBuilder gated() {
    return PolicyBuilder.chat().role("product-owner", "bob@example.com", "erin@example.com")
        .gatedStage("canary", 10, "10m").stage("full", 100, "10m")
        .right("promote", new DecisionRight(List.of("product-owner"), "2h", "hold", null, null, null, null,
            List.of(DecisionRight.RELEASER)));
  }

  @Test
  void theReleaserMayNotApproveTheirOwnPromotionButSomeoneElseMay() {
    ReleaseWorkflow wf = h.start(gated().build(), "bob@example.com");
    h.awaitState(wf, ReleaseState.AWAITING_PROMOTION);
    assertEquals("bob@example.com", wf.status().releasedBy());
    wf.approve(person("bob@example.com", null));
    h.env.sleep(Duration.ofSeconds(1));
    assertEquals(ReleaseState.AWAITING_PROMOTION, wf.status().state(), "bob's own approval does not count");
    wf.approve(person("erin@example.com", null));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.COMPLETED, r.state());
    assertTrue(messages(r.audit(), "STATE").get(0).endsWith(", started by bob@example.com"),
        messages(r.audit(), "STATE").get(0));
    assertTrue(messages(r.audit(), "REFUSED").contains("approve refused: bob@example.com started this release and may"
        + " not approve its promotion (governance.decisions.promote.notBy: [releaser]); someone else holding the"
        + " right must"), messages(r.audit(), "REFUSED").toString());
  }

  @Test
  void withoutNotByTheReleaserMayApprove() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().gatedStage("canary", 10, "10m").stage("full", 100, "10m")
        .build(), "bob@example.com");
    h.awaitState(wf, ReleaseState.AWAITING_PROMOTION);
    wf.approve(person("bob@example.com", null));
    assertEquals(ReleaseState.COMPLETED, h.result(wf).state());
  }
}
