package dev.ripcord.activities.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.ripcord.workflows.activity.IdentityActivities;
import io.temporal.failure.ApplicationFailure;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading an issuer's JWKS over real HTTP: the public keys come back; what is not a key set is named. */
class JwksActivitiesTest {
  HttpServer server;
  String base;
  final JwksActivities jwks = new JwksActivities();

  @BeforeEach
  void up() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k1").keyUse(KeyUse.SIGNATURE).generate();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    // A careless issuer that publishes its private key too: only the public part may enter a history.
    route("/certs", 200, new JWKSet(key).toString(false));
    route("/missing", 404, "{}");
    route("/busy", 503, "try later");
    route("/html", 200, "<html>login</html>");
    route("/empty", 200, "{\"keys\": []}");
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void route(String path, int status, String body) {
    server.createContext(path, x -> {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(status, b.length);
      x.getResponseBody().write(b);
      x.close();
    });
  }

  @AfterEach
  void down() {
    server.stop(0);
  }

  @Test
  void theIssuersPublicKeysComeBackWithoutTheirPrivateParts() throws Exception {
    JWKSet read = JWKSet.parse(jwks.keys(base + "/certs"));
    assertEquals("k1", read.getKeys().get(0).getKeyID());
    assertFalse(read.getKeys().get(0).isPrivate());
  }

  @Test
  void whatIsNotAKeySetIsRefusedWithoutRetriesAndAnOutageIsRetried() {
    for (String path : new String[] {"/missing", "/html", "/empty"}) {
      ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> jwks.keys(base + path));
      assertEquals(IdentityActivities.NOT_A_KEY_SET, f.getType(), path);
      assertTrue(f.isNonRetryable(), path);
    }
    ApplicationFailure busy = assertThrows(ApplicationFailure.class, () -> jwks.keys(base + "/busy"));
    assertFalse(busy.isNonRetryable());
    ApplicationFailure down = assertThrows(ApplicationFailure.class, () -> jwks.keys("http://127.0.0.1:1/certs"));
    assertEquals("KeysUnavailable", down.getType());
  }
}
