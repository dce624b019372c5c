package dev.ripcord.starter.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The few OAuth 2.0 / OpenID Connect calls {@code ripcord login} makes against the issuer: discovery, the device
 * authorization grant (RFC 8628), the refresh grant and token revocation (RFC 7009). Public client: no secret.
 */
public final class OidcClient {
  static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  public final String issuer;
  public final String clientId;
  private JsonNode discovery;

  /** What the issuer answered, or why it refused (its {@code error} and {@code error_description}). */
  public record Answer(int status, JsonNode body) {
    public String error() {
      return body.path("error").asText(null);
    }

    public String why() {
      String d = body.path("error_description").asText("");
      return error() + (d.isEmpty() ? "" : ": " + d) + " (HTTP " + status + ")";
    }
  }

  /** A device authorization: what the person must open, and what this process polls with. */
  public record Device(String deviceCode, String userCode, String verificationUri, String verificationUriComplete,
      long expiresInSeconds, long intervalSeconds) {}

  public OidcClient(String issuer, String clientId) {
    this.issuer = issuer.replaceAll("/+$", "");
    this.clientId = clientId;
  }

  /** The issuer's OpenID configuration ({@code /.well-known/openid-configuration}), read once. */
  public JsonNode discovery() throws IOException, InterruptedException {
    if (discovery == null) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(issuer
          + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException(issuer + " has no OpenID configuration (HTTP " + r.statusCode() + "): check --issuer,"
            + " e.g. https://login.example.com/realms/ripcord");
      }
      discovery = JSON.readTree(r.body());
    }
    return discovery;
  }

  public String endpoint(String name) throws IOException, InterruptedException {
    String url = discovery().path(name).asText(null);
    if (url == null) {
      throw new IOException(issuer + " does not offer " + name + "; enable it for client " + clientId);
    }
    return url;
  }

  /** Starts a device authorization (RFC 8628 §3.1). */
  public Device authorize(String scope) throws IOException, InterruptedException {
    Answer a = post(endpoint("device_authorization_endpoint"), Map.of("client_id", clientId, "scope", scope));
    if (a.status() != 200) {
      throw new IOException("the issuer refused a device login for client " + clientId + ": " + a.why());
    }
    JsonNode b = a.body();
    return new Device(b.path("device_code").asText(), b.path("user_code").asText(),
        b.path("verification_uri").asText(), b.path("verification_uri_complete").asText(null),
        b.path("expires_in").asLong(600), Math.max(1, b.path("interval").asLong(5)));
  }

  /** One poll of the token endpoint for a device authorization (RFC 8628 §3.4). */
  public Answer poll(Device d) throws IOException, InterruptedException {
    return post(endpoint("token_endpoint"), Map.of("grant_type", DEVICE_GRANT, "device_code", d.deviceCode(),
        "client_id", clientId));
  }

  /** A fresh access token for a refresh token (RFC 6749 §6); the answer may rotate the refresh token. */
  public Answer refresh(String refreshToken) throws IOException, InterruptedException {
    return post(endpoint("token_endpoint"), Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
        "client_id", clientId));
  }

  /** Revokes a refresh token (RFC 7009), when the issuer offers revocation; false when it does not. */
  public boolean revoke(String refreshToken) throws IOException, InterruptedException {
    String url = discovery().path("revocation_endpoint").asText(null);
    if (url == null) {
      return false;
    }
    return post(url, Map.of("token", refreshToken, "token_type_hint", "refresh_token", "client_id", clientId))
        .status() == 200;
  }

  private Answer post(String url, Map<String, String> form) throws IOException, InterruptedException {
    Map<String, String> ordered = new LinkedHashMap<>(form);
    String body = ordered.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
        StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json;
    try {
      json = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    } catch (IOException e) {
      json = JSON.createObjectNode().put("error", "not_json").put("error_description", r.body().length() > 200
          ? r.body().substring(0, 200) : r.body());
    }
    return new Answer(r.statusCode(), json);
  }
}
