package dev.ripcord.starter.login;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;

/**
 * A person's sign-in at an issuer: the device login that makes one, and the fresh access token each command asks
 * of it (through the refresh grant, so every decision carries a token of its own).
 */
public final class SignIn {
  private SignIn() {}

  /**
   * The device authorization grant: prints where to confirm, polls until the person has, and keeps the refresh
   * token. Returns the login, or throws saying why none was made (refused, expired, the issuer unreachable).
   */
  public static LoginStore.Login deviceLogin(OidcClient oidc, String scope, LoginStore store, PrintWriter out)
      throws IOException, InterruptedException {
    OidcClient.Device d = oidc.authorize(scope);
    String open = d.verificationUriComplete() != null ? d.verificationUriComplete() : d.verificationUri();
    out.println("To sign in, open " + open);
    out.println("and confirm the code " + d.userCode() + " (within " + d.expiresInSeconds() / 60 + " min).");
    out.flush();
    long interval = d.intervalSeconds();
    long until = System.nanoTime() + d.expiresInSeconds() * 1_000_000_000L;
    while (System.nanoTime() < until) {
      Thread.sleep(interval * 1000);
      OidcClient.Answer a = oidc.poll(d);
      if (a.status() == 200) {
        JsonNode b = a.body();
        String refresh = b.path("refresh_token").asText(null);
        if (refresh == null) {
          throw new IOException("the issuer gave no refresh token; allow refresh tokens for client "
              + oidc.clientId);
        }
        LoginStore.Login login = new LoginStore.Login(oidc.issuer, oidc.clientId, refresh,
            person(b.path("access_token").asText("")), Instant.now().toString());
        store.put(login);
        return login;
      }
      String error = a.error();
      if ("authorization_pending".equals(error)) {
        continue;
      }
      if ("slow_down".equals(error)) {
        interval += 5; // RFC 8628 §3.5
        continue;
      }
      throw new IOException("sign-in " + ("access_denied".equals(error) ? "was refused at the issuer"
          : "failed") + ": " + a.why());
    }
    throw new IOException("the code " + d.userCode() + " expired before it was confirmed; run ripcord login again");
  }

  /** A fresh access token from {@code login}, keeping a rotated refresh token; throws when the sign-in is over. */
  public static String freshToken(LoginStore store, LoginStore.Login login) throws IOException, InterruptedException {
    OidcClient oidc = new OidcClient(login.issuer(), login.clientId());
    OidcClient.Answer a = oidc.refresh(login.refreshToken());
    if (a.status() != 200 || !a.body().hasNonNull("access_token")) {
      throw new IOException("your sign-in at " + login.issuer() + " is over (" + a.why() + "): run ripcord login"
          + " --issuer " + login.issuer());
    }
    String rotated = a.body().path("refresh_token").asText(null);
    if (rotated != null && !rotated.equals(login.refreshToken())) {
      store.put(new LoginStore.Login(login.issuer(), login.clientId(), rotated, login.person(), login.signedInAt()));
    }
    return a.body().get("access_token").asText();
  }

  /** Who an access token names (its email, else its subject), read without verifying: for display only. */
  static String person(String accessToken) {
    try {
      var claims = com.nimbusds.jwt.SignedJWT.parse(accessToken).getJWTClaimsSet();
      String email = claims.getStringClaim("email");
      return email != null ? email : claims.getSubject();
    } catch (java.text.ParseException | RuntimeException e) {
      return null;
    }
  }
}
