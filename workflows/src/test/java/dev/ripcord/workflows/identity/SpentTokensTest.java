package dev.ripcord.workflows.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The namespace's record of spent tokens, without Temporal. */
class SpentTokensTest {
  private static final long NOW = 1_800_000_000_000L;

  @Test
  void aTokenBelongsToTheFirstReleaseThatPresentsIt() {
    SpentTokens book = new SpentTokens(null);
    assertTrue(book.claim(new SpentTokens.Claim("t1", NOW + 300_000, "release-a", "approve"), NOW, 0).ok());
    assertTrue(book.claim(new SpentTokens.Claim("t1", NOW + 300_000, "release-a", "rollback"), NOW + 1, 0).ok(),
        "the same release may present it again (it counts it once itself)");
    SpentTokens.Answer b = book.claim(new SpentTokens.Claim("t1", NOW + 300_000, "release-b", "approve"), NOW + 2, 0);
    assertFalse(b.ok());
    assertEquals(new SpentTokens.Owner("release-a", "approve", NOW, NOW + 300_000), b.owner());
    assertTrue(book.claim(new SpentTokens.Claim("t2", NOW + 300_000, "release-b", "approve"), NOW + 3, 0).ok());
  }

  @Test
  void expiredTokensAreForgottenOnlyPastTheSkewAndCarriedOtherwise() {
    SpentTokens book = new SpentTokens(Map.of("old", new SpentTokens.Owner("release-a", "approve", NOW, NOW + 1_000)));
    book.claim(new SpentTokens.Claim("new", NOW + 600_000, "release-b", "approve"), NOW + 500, 60_000);
    assertEquals(2, book.size(), "expired, but within the skew: kept");
    assertFalse(book.claim(new SpentTokens.Claim("old", NOW + 1_000, "release-c", "approve"), NOW + 60_000, 60_000)
        .ok());
    book.forgetExpired(NOW + 61_001, 60_000);
    assertEquals(Map.of("new", new SpentTokens.Owner("release-b", "approve", NOW + 500, NOW + 600_000)),
        book.owners());
  }
}
