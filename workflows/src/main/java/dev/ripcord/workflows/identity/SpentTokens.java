package dev.ripcord.workflows.identity;

import java.util.Map;
import java.util.TreeMap;

/**
 * The namespace's record of which release each verified token was first presented to: a token decides in that
 * release only (once there, as each release also counts), never in another. Entries are forgotten once their token
 * has expired (plus the clock skew tokens are allowed), when no release would accept it anyway. Pure: no
 * {@code Workflow.*} call.
 */
public final class SpentTokens {
  /**
   * A release presenting a verified token.
   *
   * @param tokenId the token's {@code jti}, or its digest ({@link TokenVerifier.Result#id()})
   * @param expiresAt the token's expiry, epoch millis
   * @param releaseId the release it is presented to
   * @param decision what it is presented for (approve, rollback, release start, …)
   */
  public record Claim(String tokenId, long expiresAt, String releaseId, String decision) {}

  /** The release a token belongs to: the first that presented it, for what, and when. */
  public record Owner(String releaseId, String decision, long at, long expiresAt) {}

  /**
   * The answer to a claim.
   *
   * @param ok true when the token belongs to the claiming release (now or already)
   * @param owner the release it belongs to
   */
  public record Answer(boolean ok, Owner owner) {}

  private final TreeMap<String, Owner> owners;

  public SpentTokens(Map<String, Owner> carried) {
    this.owners = carried == null ? new TreeMap<>() : new TreeMap<>(carried);
  }

  /** Binds {@code c}'s token to its release unless another release holds it. */
  public Answer claim(Claim c, long now, long skewMillis) {
    forgetExpired(now, skewMillis);
    Owner o = owners.get(c.tokenId());
    if (o == null) {
      o = new Owner(c.releaseId(), c.decision(), now, c.expiresAt());
      owners.put(c.tokenId(), o);
      return new Answer(true, o);
    }
    return new Answer(o.releaseId().equals(c.releaseId()), o);
  }

  public void forgetExpired(long now, long skewMillis) {
    owners.values().removeIf(o -> o.expiresAt() + skewMillis < now);
  }

  /** What a new run carries on. */
  public Map<String, Owner> owners() {
    return new TreeMap<>(owners);
  }

  public int size() {
    return owners.size();
  }
}
