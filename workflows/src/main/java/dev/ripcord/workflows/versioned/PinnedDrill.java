package dev.ripcord.workflows.versioned;

import dev.ripcord.workflows.drill.DrillOutcome;
import dev.ripcord.workflows.drill.DrillRequest;
import dev.ripcord.workflows.drill.DrillWorkflowImpl;
import io.temporal.common.VersioningBehavior;
import io.temporal.workflow.WorkflowVersioningBehavior;

/** A drill, pinned like the releases it drives: it runs on the build that started it. */
public class PinnedDrill extends DrillWorkflowImpl {
  @Override
  @WorkflowVersioningBehavior(VersioningBehavior.PINNED)
  public DrillOutcome run(DrillRequest request) {
    return super.run(request);
  }
}
