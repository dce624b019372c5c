package dev.ripcord.activities.identity;

import com.nimbusds.jose.jwk.JWKSet;
import dev.ripcord.workflows.activity.IdentityActivities;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;

/**
 * Reads an OpenID Connect issuer's public keys from its JWKS URL (e.g. Keycloak's
 * {@code /realms/NAME/protocol/openid-connect/certs}). Only the public parts are returned: the release records them
 * in its history. A 4xx answer or a document that is not a key set is not retried; anything else is.
 */
public class JwksActivities implements IdentityActivities {
  /** A key set is a few kilobytes; anything far larger is not one. */
  static final int MAX_BYTES = 256 * 1024;
  private final HttpClient http;
  private final Duration timeout;

  public JwksActivities() {
    this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build(), Duration.ofSeconds(5));
  }

  public JwksActivities(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  @Override
  public String keys(String jwksUrl) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(jwksUrl)).timeout(timeout)
        .header("Accept", "application/jwk-set+json, application/json").GET().build();
    HttpResponse<InputStream> response;
    byte[] body;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        body = in.readNBytes(MAX_BYTES + 1);
      }
    } catch (IOException e) {
      throw ApplicationFailure.newFailure("cannot read the issuer's keys at " + jwksUrl + ": " + e, "KeysUnavailable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted reading " + jwksUrl, "KeysUnavailable");
    }
    int status = response.statusCode();
    if (status >= 400 && status < 500) {
      throw ApplicationFailure.newNonRetryableFailure(jwksUrl + " answered " + status + ": check"
          + " governance.identity.jwks (the issuer's JWKS URL, e.g. <issuer>/protocol/openid-connect/certs)",
          NOT_A_KEY_SET);
    }
    if (status != 200) {
      throw ApplicationFailure.newFailure(jwksUrl + " answered " + status, "KeysUnavailable");
    }
    if (body.length > MAX_BYTES) {
      throw ApplicationFailure.newNonRetryableFailure(jwksUrl + " answered more than " + MAX_BYTES + " bytes: not a"
          + " key set", NOT_A_KEY_SET);
    }
    try {
      JWKSet keys = JWKSet.parse(new String(body, StandardCharsets.UTF_8));
      if (keys.getKeys().isEmpty()) {
        throw ApplicationFailure.newNonRetryableFailure(jwksUrl + " lists no keys", NOT_A_KEY_SET);
      }
      return keys.toPublicJWKSet().toString();
    } catch (ParseException e) {
      throw ApplicationFailure.newNonRetryableFailure(jwksUrl + " did not answer a JWKS document: " + e.getMessage(),
          NOT_A_KEY_SET);
    }
  }
}
