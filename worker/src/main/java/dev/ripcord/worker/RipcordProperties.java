package dev.ripcord.worker;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The worker's own settings ({@code ripcord.*}); Temporal's are under {@code spring.temporal.*}.
 *
 * @param embeddedTemporal the server started when no Temporal address is configured
 * @param http timeouts for the router and notifier targets
 * @param ingress the HTTP ingress for Alertmanager's webhook
 * @param pages the release pages ({@code /releases}, {@code /releases/{id}})
 * @param codec payload encryption and the codec server for the Temporal UI ({@code /codec/encode}, {@code /decode})
 * @param deployment the Worker Deployment and build this worker belongs to (Worker Versioning)
 */
@Validated
@ConfigurationProperties("ripcord")
public record RipcordProperties(
    @DefaultValue EmbeddedTemporal embeddedTemporal,
    @DefaultValue Http http,
    @DefaultValue Ingress ingress,
    @DefaultValue Pages pages,
    @DefaultValue Codec codec,
    @DefaultValue Deployment deployment) {

  /**
   * @param name the Worker Deployment this worker belongs to ({@code RIPCORD_DEPLOYMENT})
   * @param buildId this worker's build ({@code RIPCORD_BUILD_ID}, e.g. the image tag); with one the worker polls
   *     under Worker Versioning, each release pinned to the build that started it; without, unversioned
   * @param current whether this build makes itself the deployment's current version at start-up
   *     ({@code RIPCORD_DEPLOYMENT_CURRENT}): {@code first} when none is (a new installation), {@code always} (each
   *     deploy takes over new releases as soon as it polls), {@code never} (an operator or pipeline decides, with
   *     {@code temporal worker deployment set-current-version} or a ramp)
   */
  public record Deployment(@DefaultValue("ripcord") @NotBlank String name, String buildId,
      @DefaultValue("first") Current current) {
    public Deployment {
      current = current == null ? Current.first : current;
    }

    /** When a build makes itself current; see {@link Deployment}. */
    public enum Current { first, always, never }

    public boolean versioned() {
      return buildId != null && !buildId.isBlank();
    }
  }

  /**
   * @param keys the codec keys file, or its JSON ({@code RIPCORD_CODEC_KEYS}): with keys, every payload this worker
   *     writes is encrypted with its current key and every held key reads; without, payloads are written as JSON
   * @param allowedOrigins the Temporal UI origins whose pages may call the codec server (CORS), e.g.
   *     {@code http://temporal-ui:8080}
   * @param issuer the identity provider whose access tokens open the codec server ({@code iss})
   * @param audience the audience those tokens must carry ({@code aud})
   * @param jwks where the issuer publishes its public keys (fetched, cached, fetched again for a key it lacks)
   * @param allowUnauthenticated serve the codec without a token: only where the network limits who reaches the worker
   */
  public record Codec(String keys, @DefaultValue java.util.List<String> allowedOrigins, String issuer, String audience,
      String jwks, @DefaultValue("false") boolean allowUnauthenticated) {

    public boolean encrypts() {
      return keys != null && !keys.isBlank();
    }

    public boolean checksTokens() {
      return issuer != null && !issuer.isBlank() && audience != null && !audience.isBlank() && jwks != null
          && !jwks.isBlank();
    }
  }

  /**
   * @param token the token that opens the release pages (a bearer header, or once as {@code ?token=}, kept in a
   *     cookie); without one the pages refuse every request, unless {@code allowUnauthenticated} says otherwise
   * @param allowUnauthenticated show the pages without a token: only where the network limits who reaches the worker
   * @param cachedRuns how many ended runs (continued as new) the pages keep judged, so a long release is not re-read
   */
  public record Pages(String token, @DefaultValue("false") boolean allowUnauthenticated,
      @DefaultValue("200") @Min(1) int cachedRuns) {

    public boolean hasToken() {
      return token != null && !token.isBlank();
    }

    /** Whether {@code authorization} is {@code Bearer <token>} ({@link RipcordProperties#bearer}'s rule). */
    public boolean acceptsBearer(String authorization) {
      return hasToken() && bearer(token, authorization);
    }

    /** Whether {@code given} is the token itself. */
    public boolean acceptsToken(String given) {
      return hasToken() && same(token, given);
    }
  }

  /** @param port the port of the embedded server's frontend (default 7233, Temporal's own) */
  public record EmbeddedTemporal(@DefaultValue("7233") @Min(1) @Max(65535) int port) {}

  public record Http(@DefaultValue("5s") Duration connectTimeout, @DefaultValue("10s") Duration requestTimeout) {}

  /**
   * @param releaseLabel the alert label that names the release (its workflow id)
   * @param token the bearer token Alertmanager must send ({@code http_config.authorization}); without one the
   *     ingress refuses every request, unless {@code allowUnauthenticated} says otherwise
   * @param allowUnauthenticated take alerts without a token: only where nothing but Alertmanager reaches the worker
   * @param maxRequestSize the largest notification taken (413 above it); Alertmanager groups alerts, a few KB each
   */
  public record Ingress(@DefaultValue("ripcord_release") @NotBlank String releaseLabel, String token,
      @DefaultValue("false") boolean allowUnauthenticated,
      @DefaultValue("256KB") org.springframework.util.unit.DataSize maxRequestSize) {

    public boolean hasToken() {
      return token != null && !token.isBlank();
    }

    /** Whether {@code authorization} is {@code Bearer <token>} ({@link RipcordProperties#bearer}'s rule). */
    public boolean acceptsBearer(String authorization) {
      return hasToken() && bearer(token, authorization);
    }

    /** Whether {@code given} is the token itself (for callers that cannot send headers, such as Flagger). */
    public boolean acceptsToken(String given) {
      return hasToken() && same(token, given);
    }
  }

  /**
   * Whether {@code authorization} is {@code Bearer <token>}: the scheme in any case (RFC 9110 §11.1), one space, then
   * exactly the token, compared in constant time (a token with anything added, a trailing space included, is another
   * token).
   */
  static boolean bearer(String token, String authorization) {
    String scheme = "Bearer ";
    if (authorization == null || authorization.length() < scheme.length()
        || !authorization.regionMatches(true, 0, scheme, 0, scheme.length())) {
      return false;
    }
    return same(token, authorization.substring(scheme.length()));
  }

  /** Whether {@code given} is {@code expected}, compared in constant time. */
  static boolean same(String expected, String given) {
    return given != null && java.security.MessageDigest.isEqual(
        expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        given.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
