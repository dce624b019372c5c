package dev.ripcord.workflows.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.ripcord.workflows.policy.IdentitySpec;
import dev.ripcord.workflows.testing.FakeIssuer;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure token check: what counts, and the reason for each thing that does not. No Temporal here. */
class TokenVerifierTest {
  static final long NOW = 1_800_000_000_000L;
  final RSAKey key = FakeIssuer.newKey("k1");
  final JWKSet keys = new JWKSet(key.toPublicJWK());
  final IdentitySpec spec = FakeIssuer.verified();

  private TokenVerifier.Result verify(String token) {
    return TokenVerifier.verify(token, spec, keys, NOW);
  }

  private String token(java.util.function.Consumer<JWTClaimsSet.Builder> edit) {
    return FakeIssuer.sign(key, "alice@example.com", NOW - 1000, edit);
  }

  @Test
  void aTokenFromTheIssuerNamesThePersonByItsEmailClaim() {
    TokenVerifier.Result r = verify(token(c -> c.jwtID("t-1")));
    assertTrue(r.verified(), r.refusal());
    assertEquals("alice@example.com", r.principal());
    assertEquals("t-1", r.id());
    assertEquals("k1", r.keyId());
    assertEquals(NOW - 1000 + 300_000, r.expiresAt());
  }

  @Test
  void anotherClaimCanNameThePerson() {
    IdentitySpec byName = new IdentitySpec("verified", spec.issuer(), spec.audience(), spec.jwks(), null,
        "preferred_username", null);
    TokenVerifier.Result r = TokenVerifier.verify(token(c -> c.claim("preferred_username", "alice")), byName, keys,
        NOW);
    assertEquals("alice", r.principal(), r.refusal());
  }

  @Test
  void anExpiredTokenIsRefusedOutsideTheSkewButCountsWithinIt() {
    String expired = token(c -> c.expirationTime(new Date(NOW - 31_000)));
    assertEquals("token expired at 2027-01-15T07:59:29Z (31 s ago); get a new one", verify(expired).refusal());
    assertTrue(verify(token(c -> c.expirationTime(new Date(NOW - 29_000)))).verified(), "within the 30 s skew");
  }

  @Test
  void aTokenForAnotherAudienceOrFromAnotherIssuerIsRefused() {
    assertEquals("token is for audience [billing], not 'ripcord'",
        verify(token(c -> c.audience("billing"))).refusal());
    assertEquals("token issued by 'https://login.test/realms/elsewhere', not by the trusted issuer '"
        + FakeIssuer.ISSUER + "'", verify(token(c -> c.issuer("https://login.test/realms/elsewhere"))).refusal());
  }

  @Test
  void anEditedPayloadBreaksTheSignature() {
    String[] parts = token(c -> {}).split("\\.");
    String forged = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
        .replace("alice@example.com", "carol@example.com");
    String tampered = parts[0] + "." + Base64URL.encode(forged.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    TokenVerifier.Result r = verify(tampered);
    assertFalse(r.verified());
    assertEquals("carol@example.com", r.claimed(), "the audit can say whom the forgery claims");
    assertTrue(r.refusal().startsWith("signature does not verify with the issuer's key 'k1'"), r.refusal());
  }

  @Test
  void aTokenSignedByAnotherKeyNamesAKeyTheSetLacks() {
    TokenVerifier.Result r = verify(FakeIssuer.sign(FakeIssuer.newKey("other"), "alice@example.com", NOW, c -> {}));
    assertTrue(r.unknownKey(), "the caller may read the issuer's keys again");
    assertTrue(r.refusal().startsWith("token names key 'other'"), r.refusal());
    RSAKey sameKidOtherKey = FakeIssuer.newKey("k1");
    TokenVerifier.Result forged = verify(FakeIssuer.sign(sameKidOtherKey, "alice@example.com", NOW, c -> {}));
    assertFalse(forged.unknownKey());
    assertTrue(forged.refusal().startsWith("signature does not verify"), forged.refusal());
  }

  @Test
  void unsignedAndSharedSecretTokensNeverCount() throws JOSEException {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(spec.issuer()).audience("ripcord")
        .expirationTime(new Date(NOW + 60_000)).claim("email", "alice@example.com").build();
    assertTrue(verify(new PlainJWT(claims).serialize()).refusal().startsWith("token is not a signed JWT"));
    SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    hs.sign(new MACSigner("a shared secret of at least thirty-two bytes!!".getBytes(StandardCharsets.UTF_8)));
    assertTrue(verify(hs.serialize()).refusal().startsWith("token signed with HS256"), verify(hs.serialize())
        .refusal());
  }

  @Test
  void theClaimsATokenNeedsAreChecked() {
    assertEquals("token has no expiry (exp); the issuer must set one",
        verify(token(c -> c.expirationTime(null))).refusal());
    assertTrue(verify(token(c -> c.notBeforeTime(new Date(NOW + 60_000)))).refusal()
        .startsWith("token is not valid before"));
    assertTrue(verify(token(c -> c.issueTime(new Date(NOW + 60_000)))).refusal()
        .startsWith("token was issued in the future"));
    assertEquals("token has no 'email' claim naming the person (governance.identity.claim)",
        verify(token(c -> c.claim("email", null))).refusal());
    assertEquals("token's email alice@example.com is not verified by the issuer (email_verified: false)",
        verify(token(c -> c.claim("email_verified", false))).refusal());
    assertTrue(verify("not a token").refusal().startsWith("token is not a signed JWT"));
    assertTrue(verify(null).refusal().startsWith("no token"));
  }

  @Test
  void aTokenWithoutAnIdIsKnownByItsDigest() {
    TokenVerifier.Result r = verify(token(c -> c.jwtID(null)));
    assertTrue(r.id().startsWith("sha256:"), r.id());
    assertEquals(r.id(), verify(token(c -> c.jwtID(null))).id(), "the same token, the same id");
    assertFalse(r.id().equals(verify(token(c -> c.jwtID(null).issueTime(new Date(NOW - 2000)))).id()));
  }

  @Test
  void theSameInputsGiveTheSameAnswer() {
    String t = token(c -> {});
    assertEquals(verify(t), verify(t), "deterministic: what replay relies on");
    assertEquals(List.of("k1"), keys.getKeys().stream().map(k -> k.getKeyID()).toList());
  }
}
