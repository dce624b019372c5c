package dev.ripcord.workflows.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.ripcord.workflows.activity.IdentityActivities;
import dev.ripcord.workflows.activity.SpentTokenActivities;
import dev.ripcord.workflows.audit.AuditText;
import dev.ripcord.workflows.identity.SpentTokens;
import dev.ripcord.workflows.identity.SpentTokensWorkflow;
import dev.ripcord.workflows.identity.TokenVerifier;
import dev.ripcord.workflows.policy.IdentitySpec;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who decided, under {@code governance.identity.mode: verified}: a decision counts only with a valid token from the
 * trusted issuer, and the person is the token's claim, never a typed name. The issuer's keys are pinned in the policy
 * or read by an activity (so they are in history, and a replay verifies with the very same keys), read again when a
 * token names a key the release has not seen (at most once a minute). A token decides once, and in one release only:
 * the first that presents it claims it in the namespace's record ({@link SpentTokensWorkflow}); the start token is
 * spent by starting the release. The verification itself is the pure {@link TokenVerifier}; this part only records
 * and refuses. Under {@code declared} it passes names on.
 */
final class Identity {
  /** How soon after reading the issuer's keys an unknown key id may read them again. */
  static final long REREAD_AFTER_MILLIS = 60_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final IdentityActivities issuer =
      Workflow.newActivityStub(IdentityActivities.class, IdentityActivities.OPTIONS);
  private final SpentTokenActivities namespace =
      Workflow.newActivityStub(SpentTokenActivities.class, SpentTokenActivities.OPTIONS);
  private final Release r;
  private final StateLog log;

  Identity(Release r, StateLog log) {
    this.r = r;
    this.log = log;
  }

  /**
   * Who a decision is from, or why it does not count.
   *
   * @param by the verified principal (under declared: the typed name)
   * @param token the verified token, spent once the decision is taken; null under declared
   */
  record Who(String by, TokenVerifier.Result token, String refusal) {
    boolean ok() {
      return refusal == null;
    }
  }

  boolean verifies() {
    return r.policy.governance().verifiesIdentity();
  }

  private IdentitySpec spec() {
    return r.policy.governance().identity();
  }

  /**
   * At the start of a release: reads the issuer's keys and verifies who started it (a re-release keeps the releaser
   * its first run verified). Returns why the release may not start (a token that does not verify, or none while the
   * policy keeps the releaser from a right), or null.
   */
  String start(String releasedBy, String releasedByToken, boolean rereleased) {
    if (!verifies() || !Versions.has(Versions.VERIFIED_IDENTITY)) {
      return null;
    }
    IdentitySpec s = spec();
    log.audit("IDENTITY", null, null, "decisions count only with a token from " + s.issuer() + " for audience '"
        + s.audience() + "'; the person is its '" + s.claimOrDefault() + "' claim");
    if (s.jwks() != null) {
      read("the release starts");
    }
    if (rereleased) {
      return null;
    }
    if (releasedByToken == null) {
      r.progress.releasedBy = null;
      boolean separated = r.policy.governance().decisions() != null && r.policy.governance().decisions().values()
          .stream().anyMatch(d -> d != null && d.notByReleaser());
      if (separated) {
        return "the policy keeps the releaser from some decisions (notBy: [releaser]) and verifies identity, so the"
            + " release must be started with a token (ripcord release start --token, or RIPCORD_TOKEN)"
            + (releasedBy == null ? "" : "; the typed name '" + releasedBy + "' does not count");
      }
      if (releasedBy != null) {
        log.audit("IDENTITY", null, null, "started by '" + releasedBy + "' as typed, without a token: not counted;"
            + " who started the release is not known");
      }
      return null;
    }
    Who who = check("release start", releasedBy, releasedByToken);
    if (!who.ok()) {
      return "who started the release is not verified: " + who.refusal();
    }
    r.progress.releasedBy = who.by();
    log.audit("IDENTITY", who.by(), null, "started the release, verified (" + evidence(who.token()) + ")");
    if (Versions.has(Versions.TOKENS_ONCE_IN_NAMESPACE)) {
      spend(who, null); // starting the release was its one decision
    }
    return null;
  }

  /**
   * Checks who sent {@code kind}: under verified, the token (reading the issuer's keys again if it names an unknown
   * one); under declared, the typed name, with a token refused as meaningless there.
   */
  Who check(String kind, String by, String token) {
    if (!verifies()) {
      return token == null ? new Who(by, null, null) : new Who(by, null, "a token only counts under"
          + " governance.identity.mode: verified; this policy's identity is declared: leave the token out");
    }
    long now = Workflow.currentTimeMillis();
    // Asked only when a token is sent: from it, what a token proved is recorded, not re-derived from the token.
    boolean recorded = token != null && Versions.has(Versions.VERIFICATION_RECORDED);
    TokenVerifier.Result t = verify(token, now, recorded);
    if (t.unknownKey() && spec().jwks() != null && mayReread(now)) {
      read("a token names key '" + t.keyId() + "'");
      t = verify(token, Workflow.currentTimeMillis(), recorded);
    }
    if (!t.verified()) {
      return new Who(null, t, t.refusal() + (t.claimed() == null ? "" : " (the token claims " + AuditText.cap(
          t.claimed(), 100) + ", not verified)"));
    }
    // Asked only once a token verifies: releases that never see one record nothing.
    boolean onceInNamespace = Versions.has(Versions.TOKENS_ONCE_IN_NAMESPACE);
    TreeMap<String, Long> used = r.progress.trusted.tokensUsed();
    if (used != null && used.containsKey(t.id())) {
      return new Who(null, t, "this token (id " + AuditText.cap(t.id(), 80) + ") already "
          + (onceInNamespace ? "counted once in this release (presented with a decision, taken or refused)"
          : "decided once in this release") + "; every decision needs a fresh token from " + spec().issuer());
    }
    boolean wrongBy = by != null && !by.equals(t.principal());
    if (wrongBy && !onceInNamespace) {
      return notTheirs(by, t);
    }
    if (onceInNamespace) {
      // Spent from here, whatever the decision: one presented while this one is still judged (the claim below
      // waits for an activity) is refused rather than judged twice.
      spent(t);
      String elsewhere;
      try {
        elsewhere = claimedElsewhere(t, kind);
      } catch (ActivityFailure e) { // it never counted: the same token may be sent again
        r.progress.trusted.tokensUsed().remove(t.id());
        return new Who(null, t, "the namespace's record of spent tokens (" + SpentTokensWorkflow.ID + ") could not"
            + " be reached: " + AuditText.cap(Failures.rootMessage(e), 200) + "; send the decision again");
      }
      if (elsewhere != null) {
        return new Who(null, t, elsewhere);
      }
      if (wrongBy) { // refused after the claim: a valid token in the history decides nothing anywhere
        return notTheirs(by, t);
      }
    }
    return new Who(t.principal(), t, null);
  }

  /**
   * What {@code token} proves now. {@code recorded}: computed once and kept in the history (a side effect), so a
   * replay reads the answer instead of the token, and an export with its tokens redacted replays the same.
   */
  private TokenVerifier.Result verify(String token, long now, boolean recorded) {
    JWKSet keys = keys();
    if (!recorded) {
      return TokenVerifier.verify(token, spec(), keys, now);
    }
    IdentitySpec s = spec();
    return Workflow.sideEffect(TokenVerifier.Result.class, () -> TokenVerifier.verify(token, s, keys, now));
  }

  private static Who notTheirs(String by, TokenVerifier.Result t) {
    return new Who(null, t, "'by' says " + AuditText.cap(by, 100) + " but the token is " + t.principal()
        + "'s: under verified identity the token names the person; leave 'by' out");
  }

  /**
   * Claims {@code t} for this release in the namespace's record of spent tokens: why it may not decide here (it was
   * presented to another release first), or null. Throws when the record cannot be reached.
   */
  private String claimedElsewhere(TokenVerifier.Result t, String kind) {
    SpentTokens.Answer a = namespace.claim(new SpentTokens.Claim(t.id(), t.expiresAt(), r.releaseId, kind));
    if (a.ok()) {
      return null;
    }
    return "this token (id " + AuditText.cap(t.id(), 80) + ") was first presented to release "
        + AuditText.cap(a.owner().releaseId(), 200) + " (" + AuditText.cap(a.owner().decision(), 40) + ", "
        + Release.iso(a.owner().at()) + "); a token decides in one release only: get a fresh one from "
        + spec().issuer();
  }

  /**
   * A verified decision was taken: its token may not decide again; tokens past their expiry are forgotten.
   * {@code what} names the decision in the audit; null spends without a line of its own (the release's start).
   */
  void spend(Who who, String what) {
    if (who.token() == null) {
      return;
    }
    spent(who.token());
    if (what != null) {
      log.audit("IDENTITY", who.by(), null, what + ": verified (" + evidence(who.token()) + ")");
    }
  }

  /** Records {@code t} as used in this release; tokens past their expiry are forgotten. */
  private void spent(TokenVerifier.Result t) {
    Progress p = r.progress;
    long now = Workflow.currentTimeMillis();
    TreeMap<String, Long> used = p.trusted.tokensUsed() == null ? new TreeMap<>() : p.trusted.tokensUsed();
    used.values().removeIf(exp -> exp + spec().skewMillis() < now);
    used.put(t.id(), t.expiresAt());
    p.trusted.spent(used);
  }

  private static String evidence(TokenVerifier.Result t) {
    return "token " + AuditText.cap(t.id(), 80) + ", key " + t.keyId() + ", valid until "
        + Release.iso(t.expiresAt());
  }

  private boolean mayReread(long now) {
    Long at = r.progress.trusted.readAt();
    return at == null || now - at >= REREAD_AFTER_MILLIS;
  }

  /** The keys tokens are checked with: those pinned in the policy, or the issuer's as last read (maybe none). */
  private JWKSet keys() {
    IdentitySpec s = spec();
    try {
      if (s.keys() != null) {
        return TokenVerifier.keys(JSON.writeValueAsString(Map.of("keys", s.keys())));
      }
      return r.progress.trusted.keys() == null ? new JWKSet() : TokenVerifier.keys(r.progress.trusted.keys());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return new JWKSet(); // the validator refuses unreadable pinned keys; an unreadable read set was never stored
    }
  }

  /** Reads the issuer's keys through the activity (recorded in history); on failure the last keys stay. */
  private void read(String why) {
    Progress p = r.progress;
    p.trusted.tried(Workflow.currentTimeMillis());
    String url = spec().jwks();
    try {
      String jwks = issuer.keys(url);
      JWKSet set = TokenVerifier.keys(jwks);
      p.trusted.read(jwks);
      log.audit("IDENTITY", null, null, "read the issuer's keys from " + url + " (" + why + "): " + set.getKeys()
          .stream().map(JWK::getKeyID).toList());
    } catch (ActivityFailure | IllegalArgumentException e) {
      log.audit("IDENTITY", null, null, "could not read the issuer's keys from " + url + " (" + why + "): "
          + AuditText.cap(Failures.rootMessage(e), 300) + "; tokens are refused until they can be read");
      log.count("ripcord_identity_keys_unavailable", Map.of());
    }
  }
}
