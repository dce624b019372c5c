package dev.ripcord.workflows.drill;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A recurring drill, started by a Temporal Schedule on the release task queue: it runs the scenario against the
 * policy with the worker's own workflow code on a time-skipping server inside the activity (nothing touches real
 * traffic) and fails, after telling the policy's channel, when an expectation fails.
 */
@WorkflowInterface
public interface DrillWorkflow {
  String TYPE = "Drill";

  @WorkflowMethod(name = TYPE)
  DrillOutcome run(DrillRequest request);
}
