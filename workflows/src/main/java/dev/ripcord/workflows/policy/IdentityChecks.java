package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.time.Duration;
import java.util.Map;

/** Checks {@code governance.identity}: the mode, and under verified the issuer, audience and its keys. Pure. */
final class IdentityChecks {
  private static final String BASE = "$.governance.identity";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Problems out;

  IdentityChecks(Problems out) {
    this.out = out;
  }

  void check(IdentitySpec id) {
    if (id == null) {
      return;
    }
    if (!out.required(BASE + ".mode", id.mode(), "write mode: declared (typed names) or mode: verified (tokens)")) {
      return;
    }
    out.oneOf(BASE + ".mode", id.mode(), IdentitySpec.MODES);
    if (!id.requiresTokens()) {
      for (String[] f : new String[][] {{"issuer", id.issuer()}, {"audience", id.audience()}, {"jwks", id.jwks()},
          {"keys", id.keys() == null ? null : "x"}, {"claim", id.claim()}, {"clockSkew", id.clockSkew()}}) {
        if (f[1] != null) {
          out.problem(BASE + "." + f[0], "only applies to mode: verified", "set mode: verified, or remove it");
        }
      }
      return;
    }
    if (out.required(BASE + ".issuer", id.issuer(), "the issuer tokens name (iss), e.g."
        + " https://login.example.com/realms/ripcord")) {
      out.url(BASE + ".issuer", id.issuer());
    }
    out.required(BASE + ".audience", id.audience(), "the audience tokens are issued for (aud), e.g. ripcord");
    if ((id.jwks() == null) == (id.keys() == null)) {
      out.problem(BASE + (id.jwks() == null ? ".jwks" : ".keys"), id.jwks() == null ? "is required: the issuer's"
          + " keys come from a JWKS URL or are pinned" : "goes with jwks: give one of them", "write jwks: "
          + (id.issuer() == null ? "https://login.example.com/realms/ripcord" : id.issuer())
          + "/protocol/openid-connect/certs (or keys: [the issuer's public JWKs])");
    }
    if (id.jwks() != null) {
      out.url(BASE + ".jwks", id.jwks());
    }
    if (id.keys() != null) {
      keys(id);
    }
    if (id.claim() != null && (id.claim().isBlank() || id.claim().length() > 100)) {
      out.problem(BASE + ".claim", "is not a claim name", "e.g. email (the default) or preferred_username");
    }
    Duration skew = out.duration(BASE + ".clockSkew", id.clockSkew(), false, Duration.ZERO);
    if (skew != null && skew.compareTo(Duration.ofMinutes(5)) > 0) {
      out.problem(BASE + ".clockSkew", "is longer than 5m: expired tokens would count", "e.g. 30s (the default)");
    }
  }

  private void keys(IdentitySpec id) {
    if (id.keys().isEmpty()) {
      out.problem(BASE + ".keys", "holds no key", "list the issuer's public JWKs, as its JWKS document does");
      return;
    }
    for (int i = 0; i < id.keys().size(); i++) {
      Map<String, Object> k = id.keys().get(i);
      String path = BASE + ".keys[" + i + "]";
      try {
        JWK jwk = JWK.parse(JSON.writeValueAsString(k));
        if (jwk.isPrivate()) {
          out.problem(path, "holds a private key", "pin only the public part (the issuer's JWKS lists it)");
        } else if (!(jwk instanceof RSAKey || jwk instanceof ECKey)) {
          out.problem(path, "is a " + jwk.getKeyType() + " key", "tokens are verified with RSA or EC keys");
        }
      } catch (java.text.ParseException | JsonProcessingException | RuntimeException e) {
        out.problem(path, "is not a JWK: " + PolicyBounds.cut(String.valueOf(e.getMessage())),
            "copy the key from the issuer's JWKS document, e.g. {kty: RSA, kid: ..., n: ..., e: AQAB}");
      }
    }
  }
}
