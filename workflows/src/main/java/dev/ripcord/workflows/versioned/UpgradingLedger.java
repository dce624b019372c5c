package dev.ripcord.workflows.versioned;

import dev.ripcord.workflows.ledger.LedgerWorkflow.LedgerState;
import dev.ripcord.workflows.ledger.LedgerWorkflowImpl;
import io.temporal.common.VersioningBehavior;
import io.temporal.workflow.WorkflowVersioningBehavior;

/**
 * The accuracy ledger, which lives as long as its model, moves to each new current build (auto-upgrade); its changes
 * stay behind version markers.
 */
public class UpgradingLedger extends LedgerWorkflowImpl {
  @Override
  @WorkflowVersioningBehavior(VersioningBehavior.AUTO_UPGRADE)
  public void run(LedgerState carried) {
    super.run(carried);
  }
}
