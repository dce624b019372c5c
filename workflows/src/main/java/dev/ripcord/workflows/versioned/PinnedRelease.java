package dev.ripcord.workflows.versioned;

import dev.ripcord.workflows.release.ReleaseInput;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseWorkflowImpl;
import io.temporal.common.VersioningBehavior;
import io.temporal.workflow.WorkflowInit;
import io.temporal.workflow.WorkflowVersioningBehavior;

/**
 * A release pinned to the build that started it, through every continue-as-new: a deploy never changes how a running
 * release is judged (docs/operating.md, upgrades).
 */
public class PinnedRelease extends ReleaseWorkflowImpl {
  @WorkflowInit
  public PinnedRelease(ReleaseInput input) {
    super(input);
  }

  @Override
  @WorkflowVersioningBehavior(VersioningBehavior.PINNED)
  public ReleaseReport run(ReleaseInput input) {
    return super.run(input);
  }
}
