package dev.ripcord.starter.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.starter.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sign-ins kept per issuer, readable by their owner only; an issuer without OpenID configuration is named. */
class LoginStoreTest {
  @TempDir Path dir;

  @Test
  void aSignInIsKeptPerIssuerOwnerOnlyAndForgotten() throws Exception {
    LoginStore store = new LoginStore(dir);
    store.put(new LoginStore.Login("https://login.example.com/realms/a/", "ripcord-cli", "r1", "alice@example.com",
        "2026-12-07T10:00:00Z"));
    store.put(new LoginStore.Login("https://login.example.com/realms/b", "ripcord-cli", "r2", "bob@example.com",
        "2026-12-07T10:00:00Z"));
    assertEquals("r1", store.get("https://login.example.com/realms/a").orElseThrow().refreshToken(),
        "a trailing slash names the same issuer");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
    assertTrue(store.remove("https://login.example.com/realms/a"));
    assertFalse(store.remove("https://login.example.com/realms/a"));
    assertTrue(store.get("https://login.example.com/realms/a").isEmpty());
    assertEquals("bob@example.com", store.get("https://login.example.com/realms/b").orElseThrow().person());
  }

  @Test
  void aLoginAgainstSomethingThatIsNoIssuerSaysWhatToCheck() {
    CliRun r = CliRun.ripcord("login", "--issuer", "http://127.0.0.1:1/realms/nowhere");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.err().startsWith("ripcord login: "), r.err());
    CliRun none = CliRun.ripcord("logout", "--issuer", "https://login.example.com/realms/never-" + System.nanoTime());
    assertEquals(0, none.code());
    assertTrue(none.out().startsWith("not signed in at"), none.out());
  }

  @Test
  void thePersonShownIsTheTokensEmail() {
    String token = "eyJhbGciOiJSUzI1NiJ9." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        "{\"sub\":\"u1\",\"email\":\"alice@example.com\"}".getBytes()) + ".c2ln";
    assertEquals("alice@example.com", SignIn.person(token));
    assertEquals(null, SignIn.person("not a token"));
  }
}
