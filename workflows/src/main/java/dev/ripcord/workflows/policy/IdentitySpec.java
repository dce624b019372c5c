package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * How the people who decide are known ({@code governance.identity}).
 *
 * @param mode {@code declared} (the default: a decision's {@code by} is taken as typed) or {@code verified} (a
 *     decision counts only with a valid token signed by the issuer; the principal is the token's claim)
 * @param issuer the token issuer ({@code iss}), e.g. {@code https://login.example.com/realms/ripcord}
 * @param audience the audience a token must be issued for ({@code aud}), e.g. {@code ripcord}
 * @param jwks where the issuer publishes its public keys (a JWKS URL); read by an activity, recorded in history
 * @param keys the issuer's public keys pinned in the policy instead (JWK objects, as a JWKS lists them)
 * @param claim the token claim that names the person (default {@code email}, matched against governance.roles)
 * @param clockSkew how far expiry and not-before may be off (default {@code 30s}, at most {@code 5m})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdentitySpec(String mode, String issuer, String audience, String jwks, List<Map<String, Object>> keys,
    String claim, String clockSkew) {

  public static final String DECLARED = "declared";
  public static final String VERIFIED = "verified";
  public static final List<String> MODES = List.of(DECLARED, VERIFIED);
  public static final String DEFAULT_CLAIM = "email";
  public static final String DEFAULT_SKEW = "30s";

  /** Whether decisions need a verified token. */
  @JsonIgnore
  public boolean requiresTokens() {
    return VERIFIED.equals(mode);
  }

  public String claimOrDefault() {
    return claim == null ? DEFAULT_CLAIM : claim;
  }

  public long skewMillis() {
    return Durations.parse(clockSkew == null ? DEFAULT_SKEW : clockSkew).toMillis();
  }
}
