package dev.ripcord.workflows.versioned;

import dev.ripcord.workflows.identity.SpentTokens;
import dev.ripcord.workflows.identity.SpentTokensWorkflowImpl;
import io.temporal.common.VersioningBehavior;
import io.temporal.workflow.WorkflowVersioningBehavior;
import java.util.Map;

/**
 * The namespace's one record of spent tokens never ends, so it moves to each new current build (auto-upgrade); pinned,
 * it would stop with the build that first started it.
 */
public class UpgradingSpentTokens extends SpentTokensWorkflowImpl {
  @Override
  @WorkflowVersioningBehavior(VersioningBehavior.AUTO_UPGRADE)
  public void run(Map<String, SpentTokens.Owner> carried) {
    super.run(carried);
  }
}
