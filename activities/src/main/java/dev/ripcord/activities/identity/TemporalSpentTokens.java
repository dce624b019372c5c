package dev.ripcord.activities.identity;

import dev.ripcord.workflows.activity.SpentTokenActivities;
import dev.ripcord.workflows.identity.SpentTokens;
import dev.ripcord.workflows.identity.SpentTokensWorkflow;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WithStartWorkflowOperation;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateStage;
import java.util.function.Supplier;

/**
 * Claims a token in the namespace's {@link SpentTokensWorkflow}: one update, starting the workflow on the workers'
 * task queue if it is not running (update-with-start, so the first claim of a namespace needs nothing set up).
 */
public class TemporalSpentTokens implements SpentTokenActivities {
  private final Supplier<WorkflowClient> client;
  private final String taskQueue;

  /** @param taskQueue where the workers that run {@link SpentTokensWorkflow} poll (Ripcord's: {@code ripcord}) */
  public TemporalSpentTokens(Supplier<WorkflowClient> client, String taskQueue) {
    this.client = client;
    this.taskQueue = taskQueue;
  }

  @Override
  public SpentTokens.Answer claim(SpentTokens.Claim claim) {
    SpentTokensWorkflow book = client.get().newWorkflowStub(SpentTokensWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(SpentTokensWorkflow.ID).setTaskQueue(taskQueue)
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING).build());
    var start = new WithStartWorkflowOperation<>(book::run, (java.util.Map<String, SpentTokens.Owner>) null);
    io.temporal.workflow.Functions.Func<SpentTokens.Answer> call = () -> book.claim(claim);
    return WorkflowClient.executeUpdateWithStart(call, UpdateOptions.<SpentTokens.Answer>newBuilder()
        .setResultClass(SpentTokens.Answer.class).setWaitForStage(WorkflowUpdateStage.COMPLETED).build(), start);
  }
}
