package dev.ripcord.workflows.identity;

import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;

/** {@link SpentTokensWorkflow}: the book, a continue-as-new when the history grows, nothing else. */
public class SpentTokensWorkflowImpl implements SpentTokensWorkflow {
  /** Tokens are kept this long past their expiry: the most clock skew a policy may allow ({@code 5m}). */
  static final long SKEW_MILLIS = Duration.ofMinutes(5).toMillis();
  /** Claims one run takes before it continues as new, if Temporal has not suggested it sooner. */
  static final int CLAIMS_PER_RUN = 2_000;
  private SpentTokens book;
  private int claims;

  @Override
  public void run(Map<String, SpentTokens.Owner> carried) {
    book = new SpentTokens(carried);
    book.forgetExpired(Workflow.currentTimeMillis(), SKEW_MILLIS);
    Workflow.await(() -> claims >= CLAIMS_PER_RUN || Workflow.getInfo().isContinueAsNewSuggested());
    Workflow.await(Workflow::isEveryHandlerFinished);
    Workflow.continueAsNew(book.owners());
  }

  @Override
  public SpentTokens.Answer claim(SpentTokens.Claim claim) {
    Workflow.await(() -> book != null); // an update-with-start's claim waits for the carried tokens
    claims++;
    return book.claim(claim, Workflow.currentTimeMillis(), SKEW_MILLIS);
  }

  @Override
  public void validateClaim(SpentTokens.Claim claim) {
    if (claim == null || claim.tokenId() == null || claim.tokenId().isBlank() || claim.releaseId() == null
        || claim.releaseId().isBlank()) {
      throw new IllegalArgumentException("a claim names the token (tokenId) and the release (releaseId)");
    }
  }

  @Override
  public int held() {
    return book == null ? 0 : book.size();
  }
}
