package dev.ripcord.worker.codec;

import com.nimbusds.jose.jwk.JWKSet;
import dev.ripcord.activities.identity.JwksActivities;
import dev.ripcord.worker.RipcordProperties;
import dev.ripcord.workflows.identity.TokenVerifier;
import dev.ripcord.workflows.policy.IdentitySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Who may use the codec server: a caller with the identity provider's access token (a bearer header, which the
 * Temporal UI forwards with {@code codec.passAccessToken}), checked for signature, issuer, audience and expiry as
 * approvals are. The issuer's key set is read once and again when a token names a key it lacks (at most once a
 * minute), so a key rotation at the issuer is followed without a restart.
 */
public final class CodecAccess {
  private static final Duration REFETCH = Duration.ofMinutes(1);
  private final RipcordProperties.Codec config;
  private final Function<String, String> fetch;
  private final Clock clock;
  private JWKSet keys;
  private long fetchedAt = Long.MIN_VALUE;

  public CodecAccess(RipcordProperties.Codec config) {
    this(config, new JwksActivities()::keys, Clock.systemUTC());
  }

  CodecAccess(RipcordProperties.Codec config, Function<String, String> fetch, Clock clock) {
    this.config = config;
    this.fetch = fetch;
    this.clock = clock;
  }

  /** Why {@code authorization} does not open the codec; null when it does. */
  public synchronized String refusal(String authorization) {
    if (config.allowUnauthenticated()) {
      return null;
    }
    if (!config.checksTokens()) {
      return "the codec server takes no request until ripcord.codec.issuer, .audience and .jwks name the identity"
          + " provider (or ripcord.codec.allow-unauthenticated says the network restricts who reaches it)";
    }
    String scheme = "Bearer ";
    if (authorization == null || !authorization.regionMatches(true, 0, scheme, 0, scheme.length())) {
      return "no bearer token: sign in to the Temporal UI (its codec setting passAccessToken: true forwards the token)";
    }
    String token = authorization.substring(scheme.length()).strip();
    IdentitySpec spec = new IdentitySpec(IdentitySpec.VERIFIED, config.issuer(), config.audience(), config.jwks(),
        null, "sub", null);
    long now = clock.millis();
    try {
      if (keys == null) {
        refetch(now);
      }
      TokenVerifier.Result r = TokenVerifier.verify(token, spec, keys, now);
      if (r.unknownKey() && now - fetchedAt >= REFETCH.toMillis()) {
        refetch(now);
        r = TokenVerifier.verify(token, spec, keys, now);
      }
      return r.verified() ? null : r.refusal();
    } catch (RuntimeException e) {
      return "the issuer's keys cannot be read from " + config.jwks() + ": " + e.getMessage();
    }
  }

  private void refetch(long now) {
    keys = TokenVerifier.keys(fetch.apply(config.jwks()));
    fetchedAt = now;
  }

  /** The origins allowed to call from a browser. */
  public List<String> origins() {
    return config.allowedOrigins();
  }
}
