package dev.ripcord.workflows.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import dev.ripcord.workflows.activity.IdentityActivities;
import dev.ripcord.workflows.activity.SpentTokenActivities;
import dev.ripcord.workflows.audit.AuditText;
import dev.ripcord.workflows.identity.SpentTokens;
import dev.ripcord.workflows.identity.TokenVerifier;
import dev.ripcord.workflows.policy.IdentitySpec;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who gives a label of a release that verifies identity: the person its token names, checked as the release checks
 * its deciders (issuer, audience, expiry, signature by the issuer's keys, read through an activity or pinned in the
 * policy). A token labels once: the ledger counts the tokens it took, and claims each in the namespace's record of
 * spent tokens, so a token that decided in a release cannot also label it, nor one release's label another.
 */
final class LabelIdentity {
  /** From this marker what a label's token proves is recorded (a side effect), so a redacted export replays. */
  static final String VERIFICATION_RECORDED = "label-verification-recorded";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final IdentityActivities issuer =
      Workflow.newActivityStub(IdentityActivities.class, IdentityActivities.OPTIONS);
  private final SpentTokenActivities namespace =
      Workflow.newActivityStub(SpentTokenActivities.class, SpentTokenActivities.OPTIONS);
  private final TreeMap<String, Long> used;

  /** The person a token names, or why it does not count. */
  record Who(String by, String refusal) {}

  LabelIdentity(Map<String, Long> carried) {
    this.used = carried == null ? new TreeMap<>() : new TreeMap<>(carried);
  }

  /** The tokens taken and not yet expired, for the next run. */
  TreeMap<String, Long> used() {
    return new TreeMap<>(used);
  }

  Who check(LabelRequest q, ReleaseFacts f) {
    IdentitySpec s = f.identity();
    if (s == null) {
      return new Who(null, "release " + f.releaseId() + " does not verify identity: label it with --by, without a"
          + " token");
    }
    JWKSet keys;
    try {
      keys = s.keys() != null ? TokenVerifier.keys(JSON.writeValueAsString(Map.of("keys", s.keys())))
          : TokenVerifier.keys(issuer.keys(s.jwks()));
    } catch (ActivityFailure | JsonProcessingException | IllegalArgumentException e) {
      return new Who(null, "the issuer's keys could not be read (" + AuditText.cap(String.valueOf(e.getMessage()),
          200) + "); label again later");
    }
    long now = Workflow.currentTimeMillis();
    used.values().removeIf(exp -> exp + s.skewMillis() < now);
    JWKSet checked = keys;
    TokenVerifier.Result t = Workflow.getVersion(VERIFICATION_RECORDED, Workflow.DEFAULT_VERSION, 1) >= 1
        ? Workflow.sideEffect(TokenVerifier.Result.class, () -> TokenVerifier.verify(q.token(), s, checked, now))
        : TokenVerifier.verify(q.token(), s, keys, now);
    if (!t.verified()) {
      return new Who(null, t.refusal());
    }
    if (q.by() != null && !q.by().equals(t.principal())) {
      return new Who(null, "'by' says " + AuditText.cap(q.by(), 100) + " but the token is " + t.principal()
          + "'s: leave 'by' out");
    }
    if (used.containsKey(t.id())) {
      return new Who(null, "this token (id " + AuditText.cap(t.id(), 80) + ") already labelled once; every label"
          + " needs a fresh token from " + s.issuer());
    }
    used.put(t.id(), t.expiresAt());
    try {
      SpentTokens.Answer a = namespace.claim(new SpentTokens.Claim(t.id(), t.expiresAt(), LedgerWorkflow.ID,
          "label of " + q.releaseId()));
      if (!a.ok()) {
        return new Who(null, "this token (id " + AuditText.cap(t.id(), 80) + ") was first presented to "
            + AuditText.cap(a.owner().releaseId(), 200) + " (" + AuditText.cap(a.owner().decision(), 80)
            + "); a token counts once: get a fresh one from " + s.issuer());
      }
    } catch (ActivityFailure e) {
      used.remove(t.id()); // it never counted: the same token may be sent again
      return new Who(null, "the namespace's record of spent tokens could not be reached; label again");
    }
    return new Who(t.principal(), null);
  }
}
