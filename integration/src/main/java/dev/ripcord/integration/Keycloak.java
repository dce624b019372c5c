package dev.ripcord.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Keycloak (its Quarkus server distribution, on Java 21+) on loopback, in development mode with an in-memory
 * database, the realms given as import files. Tokens are issued by its real token endpoint (password grant).
 */
public final class Keycloak implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  public final int port = Components.freePort();
  private final Proc proc;

  /** @param realms realm files (Keycloak's realm JSON), imported at start */
  public Keycloak(List<Path> realms) throws IOException {
    Path home = Components.keycloak();
    Path imports = Files.createDirectories(home.resolve("data/import"));
    try (var old = Files.list(imports)) {
      for (Path f : old.toList()) {
        Files.delete(f);
      }
    }
    for (Path realm : realms) {
      Files.copy(realm, imports.resolve(realm.getFileName()));
    }
    proc = Proc.start("keycloak", List.of("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
        "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + Components.freePort(),
        "--db=dev-mem", "--import-realm", "--log-console-output=default"),
        Map.of("JAVA_HOME", Components.java21Home().toString(), "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m"));
    proc.awaitHttp(realmUrl(realmName(realms.get(0))) + "/.well-known/openid-configuration",
        Duration.ofSeconds(180));
  }

  private static String realmName(Path realm) throws IOException {
    return JSON.readTree(realm.toFile()).get("realm").asText();
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The realm's issuer URL, as its tokens name it ({@code iss}). */
  public String realmUrl(String realm) {
    return url() + "/realms/" + realm;
  }

  public String jwksUrl(String realm) {
    return realmUrl(realm) + "/protocol/openid-connect/certs";
  }

  /** An access token from the realm's token endpoint, for {@code user} through the public {@code client}. */
  public String token(String realm, String client, String user, String password) {
    String form = Map.of("grant_type", "password", "client_id", client, "username", user, "password", password,
        "scope", "openid").entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
            StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(realmUrl(realm)
              + "/protocol/openid-connect/token")).timeout(Duration.ofSeconds(20))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(r.body());
      if (r.statusCode() != 200 || !body.hasNonNull("access_token")) {
        throw new AssertionError("Keycloak refused a token for " + user + " (" + r.statusCode() + "): " + r.body());
      }
      return body.get("access_token").asText();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String logTail() {
    return proc.logTail();
  }

  @Override
  public void close() {
    proc.stop();
  }
}
