package dev.ripcord.workflows.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ripcord.workflows.activity.IdentityActivities;
import dev.ripcord.workflows.policy.IdentitySpec;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An OpenID Connect issuer for workflow tests: it mints RS256 tokens with a real key pair and serves its public keys
 * as the {@link IdentityActivities} activity would read them from the issuer's JWKS URL. Keys can be rotated.
 */
public final class FakeIssuer implements IdentityActivities {
  public static final String ISSUER = "https://login.test/realms/ripcord";
  public static final String JWKS = ISSUER + "/protocol/openid-connect/certs";
  public static final String AUDIENCE = "ripcord";
  private volatile RSAKey key = newKey("k1");
  public final AtomicInteger reads = new AtomicInteger();

  public static RSAKey newKey(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The policy's identity section for this issuer, its keys read from the JWKS URL. */
  public static IdentitySpec verified() {
    return new IdentitySpec(IdentitySpec.VERIFIED, ISSUER, AUDIENCE, JWKS, null, null, null);
  }

  /** The issuer signs with a new key from now on (and publishes only it). */
  public void rotate(String kid) {
    key = newKey(kid);
  }

  public RSAKey key() {
    return key;
  }

  @Override
  public String keys(String jwksUrl) {
    reads.incrementAndGet();
    if (!JWKS.equals(jwksUrl)) {
      throw new IllegalArgumentException("no keys at " + jwksUrl);
    }
    return new JWKSet(key.toPublicJWK()).toString();
  }

  /** A token for {@code email}, valid five minutes from {@code nowMillis}, its claims then edited by {@code edit}. */
  public String token(String email, long nowMillis, Consumer<JWTClaimsSet.Builder> edit) {
    return sign(key, email, nowMillis, edit);
  }

  public String token(String email, long nowMillis) {
    return token(email, nowMillis, c -> {});
  }

  public static String sign(RSAKey with, String email, long nowMillis, Consumer<JWTClaimsSet.Builder> edit) {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(List.of(AUDIENCE, "account"))
        .subject(UUID.nameUUIDFromBytes(email.getBytes()).toString()).jwtID(UUID.randomUUID().toString())
        .issueTime(new Date(nowMillis)).expirationTime(new Date(nowMillis + 300_000))
        .claim("email", email).claim("email_verified", true);
    edit.accept(claims);
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(),
          claims.build());
      jwt.sign(new RSASSASigner(with));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
