package dev.ripcord.workflows.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ripcord.workflows.policy.IdentitySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks a decision's token against the policy's trusted issuer: signature (by Nimbus JOSE+JWT, with the issuer's
 * public keys as recorded in history), issuer, audience, expiry and not-before against the time the caller passes
 * (the workflow's clock), and the claim naming the person. Pure and deterministic: no clock, network or randomness;
 * the same token, keys and time give the same answer on every replay.
 */
public final class TokenVerifier {
  /** The longest token accepted; an OIDC access token is a few kilobytes at most. */
  public static final int MAX_TOKEN = 16 * 1024;
  private static final List<JWSAlgorithm> ACCEPTED = List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
      JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
      JWSAlgorithm.ES384, JWSAlgorithm.ES512);

  private TokenVerifier() {}

  /**
   * What a token proves.
   *
   * @param principal who it names (the policy's claim), when it verified
   * @param claimed who it claims to name, verified or not (for the audit of a refusal); null when unreadable
   * @param id what makes the token one token: its {@code jti}, or a digest of it when it has none
   * @param keyId the key it was checked with (or names, when unknown)
   * @param expiresAt its expiry in epoch millis (0 when unknown)
   * @param unknownKey true when the token names a key the recorded set lacks (the keys may need a refresh)
   * @param refusal why it does not count; null when it does
   */
  public record Result(String principal, String claimed, String id, String keyId, long expiresAt, boolean unknownKey,
      String refusal) {
    public boolean verified() {
      return refusal == null;
    }

    static Result refused(String claimed, String keyId, boolean unknownKey, String why) {
      return new Result(null, claimed, null, keyId, 0, unknownKey, why);
    }
  }

  /** Reads a JWKS document (as the issuer publishes it); throws {@link IllegalArgumentException} naming the fault. */
  public static JWKSet keys(String jwks) {
    try {
      return JWKSet.parse(jwks).toPublicJWKSet();
    } catch (ParseException e) {
      throw new IllegalArgumentException("not a JWKS document: " + e.getMessage(), e);
    }
  }

  public static Result verify(String token, IdentitySpec spec, JWKSet keys, long nowMillis) {
    if (token == null || token.isBlank()) {
      return Result.refused(null, null, false, "no token: under governance.identity.mode verified every decision"
          + " carries one (\"token\" in the JSON, or ripcord --token / RIPCORD_TOKEN)");
    }
    if (token.length() > MAX_TOKEN) {
      return Result.refused(null, null, false, "token of " + token.length() + " characters is longer than "
          + MAX_TOKEN);
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token.strip());
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      return Result.refused(null, null, false, "token is not a signed JWT (header.payload.signature, each"
          + " base64url): " + e.getMessage());
    }
    String claimed = text(claims, spec.claimOrDefault());
    JWSHeader header = jwt.getHeader();
    String kid = header.getKeyID();
    if (!ACCEPTED.contains(header.getAlgorithm())) {
      return Result.refused(claimed, kid, false, "token signed with " + header.getAlgorithm() + "; only the"
          + " issuer's public-key algorithms count (" + ACCEPTED + ")");
    }
    JWK key = keyFor(keys, header);
    if (key == null) {
      return Result.refused(claimed, kid, true, "token names key '" + kid + "', which the issuer's key set ("
          + keys.getKeys().size() + " key(s)) does not hold: not signed by " + spec.issuer());
    }
    try {
      if (!jwt.verify(verifier(key))) {
        return Result.refused(claimed, kid, false, "signature does not verify with the issuer's key '" + kid
            + "': the token was altered or not signed by " + spec.issuer());
      }
    } catch (JOSEException | RuntimeException e) {
      return Result.refused(claimed, kid, false, "signature cannot be checked with key '" + kid + "': "
          + e.getMessage());
    }
    String why = claimsRefusal(claims, spec, nowMillis, claimed);
    if (why != null) {
      return Result.refused(claimed, kid, false, why);
    }
    return new Result(claimed, claimed, id(claims, token), kid, claims.getExpirationTime().getTime(), false, null);
  }

  private static String claimsRefusal(JWTClaimsSet c, IdentitySpec spec, long now, String claimed) {
    long skew = spec.skewMillis();
    if (!spec.issuer().equals(c.getIssuer())) {
      return "token issued by '" + c.getIssuer() + "', not by the trusted issuer '" + spec.issuer() + "'";
    }
    if (c.getAudience() == null || !c.getAudience().contains(spec.audience())) {
      return "token is for audience " + c.getAudience() + ", not '" + spec.audience() + "'";
    }
    Date exp = c.getExpirationTime();
    if (exp == null) {
      return "token has no expiry (exp); the issuer must set one";
    }
    if (now > exp.getTime() + skew) {
      return "token expired at " + exp.toInstant() + " (" + (now - exp.getTime()) / 1000 + " s ago); get a new one";
    }
    Date nbf = c.getNotBeforeTime();
    if (nbf != null && now < nbf.getTime() - skew) {
      return "token is not valid before " + nbf.toInstant();
    }
    Date iat = c.getIssueTime();
    if (iat != null && now < iat.getTime() - skew) {
      return "token was issued in the future (" + iat.toInstant() + "); check the issuer's clock";
    }
    if (claimed == null || claimed.isBlank()) {
      return "token has no '" + spec.claimOrDefault() + "' claim naming the person (governance.identity.claim)";
    }
    if ("email".equals(spec.claimOrDefault()) && Boolean.FALSE.equals(bool(c, "email_verified"))) {
      return "token's email " + claimed + " is not verified by the issuer (email_verified: false)";
    }
    return null;
  }

  /** The key the header names; without a key id, the only signing key of the algorithm's type. */
  private static JWK keyFor(JWKSet keys, JWSHeader header) {
    List<JWK> signing = keys.getKeys().stream()
        .filter(k -> k.getKeyUse() == null || KeyUse.SIGNATURE.equals(k.getKeyUse()))
        .filter(k -> k.getAlgorithm() == null || k.getAlgorithm().equals(header.getAlgorithm()))
        .filter(k -> JWSAlgorithm.Family.EC.contains(header.getAlgorithm()) ? k instanceof ECKey : k instanceof RSAKey)
        .toList();
    if (header.getKeyID() == null) {
      return signing.size() == 1 ? signing.get(0) : null;
    }
    return signing.stream().filter(k -> header.getKeyID().equals(k.getKeyID())).findFirst().orElse(null);
  }

  private static JWSVerifier verifier(JWK key) throws JOSEException {
    return key instanceof ECKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier((RSAKey) key);
  }

  private static String id(JWTClaimsSet c, String token) {
    if (c.getJWTID() != null && !c.getJWTID().isBlank()) {
      return c.getJWTID();
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(token.strip().getBytes(StandardCharsets.US_ASCII));
      return "sha256:" + HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(JWTClaimsSet c, String claim) {
    Object v = c.getClaim(claim);
    return v instanceof String s ? s : null;
  }

  private static Boolean bool(JWTClaimsSet c, String claim) {
    Object v = c.getClaim(claim);
    return v instanceof Boolean b ? b : null;
  }
}
