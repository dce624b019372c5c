package dev.ripcord.workflows.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.testing.FakeIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** governance.identity: what the validator accepts, and the path and fix it names for what it refuses. */
class IdentityChecksTest {

  private static String policy(String identity) throws Exception {
    return Files.readString(Path.of("../examples/conversational-agent.yaml"))
        .replace("governance:\n  roles:\n", "governance:\n  identity: " + identity + "\n  roles:\n");
  }

  private static List<String> problems(String identity) throws Exception {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyLoader.load("p.yaml", policy(identity)));
    return e.problems().stream().map(p -> p.toString().replaceFirst("^line \\d+, column \\d+: ", "")).toList();
  }

  @Test
  void aVerifiedIssuerWithAJwksUrlOrPinnedKeysIsAccepted() throws Exception {
    PolicyLoader.Loaded l = PolicyLoader.load("p.yaml", policy("{mode: verified, issuer: "
        + "'https://login.example.com/realms/ripcord', audience: ripcord, jwks: "
        + "'https://login.example.com/realms/ripcord/protocol/openid-connect/certs', clockSkew: 10s}"));
    assertTrue(l.policy().governance().verifiesIdentity());
    assertEquals("email", l.policy().governance().identity().claimOrDefault());
    String pinned = FakeIssuer.newKey("k1").toPublicJWK().toJSONString();
    PolicyLoader.Loaded p = PolicyLoader.load("p.yaml", policy("{mode: verified, issuer: 'https://login.example.com',"
        + " audience: ripcord, keys: [" + pinned + "], claim: preferred_username}"));
    assertEquals("k1", p.policy().governance().identity().keys().get(0).get("kid"));
    PolicyLoader.Loaded again = PolicyLoader.load("again.json", PolicyLoader.toJson(p.policy()));
    assertEquals(p.hash(), again.hash(), "pinned keys travel as the workflow's input unchanged");
    assertTrue(!PolicyLoader.load("p.yaml", policy("{mode: declared}")).policy().governance().verifiesIdentity());
  }

  @Test
  void eachMissingOrWrongPartIsNamedWithItsFix() throws Exception {
    List<String> p = problems("{mode: verified}");
    assertTrue(p.contains("$.governance.identity.issuer: is required (hint: the issuer tokens name (iss), e.g."
        + " https://login.example.com/realms/ripcord)"), p.toString());
    assertTrue(p.stream().anyMatch(x -> x.startsWith("$.governance.identity.audience: is required")), p.toString());
    assertTrue(p.stream().anyMatch(x -> x.startsWith("$.governance.identity.jwks: is required: the issuer's keys come"
        + " from a JWKS URL or are pinned")), p.toString());
    assertTrue(problems("{mode: trusted}").stream().anyMatch(x -> x.startsWith("$.governance.identity.mode:")
        && x.contains("declared") && x.contains("verified")));
    assertTrue(problems("{mode: declared, issuer: 'https://x.example'}").contains(
        "$.governance.identity.issuer: only applies to mode: verified (hint: set mode: verified, or remove it)"));
    String both = "{mode: verified, issuer: 'https://x.example', audience: ripcord, jwks: 'https://x.example/k',"
        + " keys: [{kty: RSA}], clockSkew: 10m}";
    List<String> q = problems(both);
    assertTrue(q.stream().anyMatch(x -> x.startsWith("$.governance.identity.keys: goes with jwks")), q.toString());
    assertTrue(q.stream().anyMatch(x -> x.startsWith("$.governance.identity.keys[0]: is not a JWK")), q.toString());
    assertTrue(q.stream().anyMatch(x -> x.startsWith("$.governance.identity.clockSkew: is longer than 5m")),
        q.toString());
    String secret = FakeIssuer.newKey("k1").toJSONString();
    assertTrue(problems("{mode: verified, issuer: 'https://x.example', audience: ripcord, keys: [" + secret + "]}")
        .contains("$.governance.identity.keys[0]: holds a private key (hint: pin only the public part (the issuer's"
            + " JWKS lists it))"));
    assertTrue(problems("{mode: verified, issuer: 'not a url', audience: ripcord, jwks: 'ftp://x'}").stream()
        .filter(x -> x.startsWith("$.governance.identity.issuer:") || x.startsWith("$.governance.identity.jwks:"))
        .count() == 2);
    assertTrue(problems("{mode: verified, issuer: 'https://x.example', audience: ripcord, jwks: 'https://x/k',"
        + " tokenz: 1}").stream().anyMatch(x -> x.startsWith("$.governance.identity.tokenz: unknown field")));
  }
}
