package dev.ripcord.workflows.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ripcord.workflows.policy.ReleasePolicy;

/**
 * What a release run starts from: the validated policy, its content hash, and (after continue-as-new) what the
 * previous run carried over: either the middle of a long bake ({@code carried}) or a re-release after a rollback
 * ({@code rerelease}). Absent parts are left out of the JSON, so a worker built before a part existed still reads
 * inputs that do not use it. {@code releasedBy} is who started the release (for separation of duties), when the
 * starter says; under verified identity only {@code releasedByToken} (the starter's signed token) says who.
 * {@code pages} is where the release pages are served ({@code https://ripcord.example.com}), when the starter knows:
 * the status line then links the release's page.
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReleaseInput(ReleasePolicy policy, String policyHash, Progress carried, Rerelease rerelease,
    String releasedBy, String releasedByToken, String pages) {

  public ReleaseInput(ReleasePolicy policy, String policyHash, Progress carried, Rerelease rerelease,
      String releasedBy, String releasedByToken) {
    this(policy, policyHash, carried, rerelease, releasedBy, releasedByToken, null);
  }

  public ReleaseInput(ReleasePolicy policy, String policyHash, Progress carried, Rerelease rerelease,
      String releasedBy) {
    this(policy, policyHash, carried, rerelease, releasedBy, null);
  }

  public ReleaseInput(ReleasePolicy policy, String policyHash, Progress carried, Rerelease rerelease) {
    this(policy, policyHash, carried, rerelease, null);
  }

  public ReleaseInput(ReleasePolicy policy, String policyHash, Progress carried) {
    this(policy, policyHash, carried, null, null);
  }

  public static ReleaseInput start(ReleasePolicy policy, String policyHash) {
    return new ReleaseInput(policy, policyHash, null, null, null);
  }

  public static ReleaseInput start(ReleasePolicy policy, String policyHash, String releasedBy) {
    return new ReleaseInput(policy, policyHash, null, null, releasedBy, null);
  }

  /** A first run started by whoever {@code token} names (verified identity), or as {@code releasedBy} typed. */
  public static ReleaseInput start(ReleasePolicy policy, String policyHash, String releasedBy, String token) {
    return new ReleaseInput(policy, policyHash, null, null, releasedBy, token);
  }

  /** The same, with where the release pages are served ({@code pages}, null when unknown). */
  public static ReleaseInput start(ReleasePolicy policy, String policyHash, String releasedBy, String token,
      String pages) {
    return new ReleaseInput(policy, policyHash, null, null, releasedBy, token, pages);
  }

  /** The address of release {@code id}'s page under {@code pages} (a base URL, with or without a trailing slash). */
  public static String page(String pages, String id) {
    return (pages.endsWith("/") ? pages : pages + "/") + "releases/" + id;
  }
}
