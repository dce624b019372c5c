package dev.ripcord.workflows.identity;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.Map;

/**
 * One long-running workflow per namespace ({@link #ID}) holding {@link SpentTokens}: releases claim each verified
 * token here before it decides, so a token decides in one release only. Started by the first claim
 * (update-with-start); continues as new when Temporal suggests it, carrying the tokens not yet expired.
 */
@WorkflowInterface
public interface SpentTokensWorkflow {
  String ID = "ripcord-spent-tokens";

  @WorkflowMethod(name = "SpentTokens")
  void run(Map<String, SpentTokens.Owner> carried);

  @UpdateMethod
  SpentTokens.Answer claim(SpentTokens.Claim claim);

  @UpdateValidatorMethod(updateName = "claim")
  void validateClaim(SpentTokens.Claim claim);

  /** How many tokens are held (not yet expired). */
  @QueryMethod
  int held();
}
