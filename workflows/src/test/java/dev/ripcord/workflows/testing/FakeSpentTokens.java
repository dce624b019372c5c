package dev.ripcord.workflows.testing;

import dev.ripcord.workflows.activity.SpentTokenActivities;
import dev.ripcord.workflows.identity.SpentTokens;
import java.util.ArrayList;
import java.util.List;

/**
 * The namespace's record of spent tokens for workflow tests: the real book ({@link SpentTokens}) in memory, shared
 * by every release a harness runs, failing on demand. (The real activity and workflow are tested in activities.)
 */
public final class FakeSpentTokens implements SpentTokenActivities {
  private final SpentTokens book = new SpentTokens(null);
  public final List<SpentTokens.Claim> claims = new ArrayList<>();
  public volatile boolean unreachable;

  @Override
  public synchronized SpentTokens.Answer claim(SpentTokens.Claim claim) {
    if (unreachable) {
      throw new IllegalStateException("the spent-tokens workflow did not answer");
    }
    claims.add(claim);
    return book.claim(claim, System.currentTimeMillis(), 0);
  }
}
