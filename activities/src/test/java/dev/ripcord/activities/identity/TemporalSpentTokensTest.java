package dev.ripcord.activities.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.identity.SpentTokens;
import dev.ripcord.workflows.identity.SpentTokensWorkflow;
import dev.ripcord.workflows.identity.SpentTokensWorkflowImpl;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The activity against the real record: the first claim starts {@code ripcord-spent-tokens} (update-with-start),
 * later ones reach the running workflow, and a token presented to a second release is answered with its owner.
 */
class TemporalSpentTokensTest {
  private TestWorkflowEnvironment env;
  private TemporalSpentTokens activity;

  @BeforeEach
  void up() {
    env = TestWorkflowEnvironment.newInstance();
    Worker w = env.newWorker("ripcord");
    w.registerWorkflowImplementationTypes(SpentTokensWorkflowImpl.class);
    env.start();
    activity = new TemporalSpentTokens(env::getWorkflowClient, "ripcord");
  }

  @AfterEach
  void down() {
    env.close();
  }

  @Test
  void theFirstClaimStartsTheRecordAndAnotherReleaseIsToldWhoHoldsTheToken() {
    long exp = env.currentTimeMillis() + 300_000;
    assertTrue(activity.claim(new SpentTokens.Claim("jti-1", exp, "release-a-v2", "approve")).ok());
    assertTrue(activity.claim(new SpentTokens.Claim("jti-1", exp, "release-a-v2", "rollback")).ok());
    SpentTokens.Answer b = activity.claim(new SpentTokens.Claim("jti-1", exp, "release-b-v2", "approve"));
    assertFalse(b.ok());
    assertEquals("release-a-v2", b.owner().releaseId());
    assertEquals("approve", b.owner().decision());
    assertTrue(activity.claim(new SpentTokens.Claim("jti-2", exp, "release-b-v2", "approve")).ok());
    SpentTokensWorkflow record = env.getWorkflowClient().newWorkflowStub(SpentTokensWorkflow.class,
        SpentTokensWorkflow.ID);
    assertEquals(2, record.held());
  }
}
