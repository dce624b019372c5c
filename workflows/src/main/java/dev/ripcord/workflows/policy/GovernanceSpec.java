package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Who may decide what.
 *
 * @param roles role name to the principals holding it, e.g. {@code safety-lead: [alice@example.com]}
 * @param decisions decision right ({@code promote}, {@code rollback}, {@code pause}, {@code resume}) to the roles
 *     holding it, its deadline and what happens when the deadline passes
 * @param identity how the people deciding are known: declared (typed names, the default) or verified (signed tokens)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GovernanceSpec(Map<String, List<String>> roles, Map<String, DecisionRight> decisions,
    IdentitySpec identity) {

  public GovernanceSpec(Map<String, List<String>> roles, Map<String, DecisionRight> decisions) {
    this(roles, decisions, null);
  }

  /** Whether this policy's decisions need verified tokens ({@code identity.mode: verified}). */
  public boolean verifiesIdentity() {
    return identity != null && identity.requiresTokens();
  }

  public static final List<String> DECISION_KINDS = List.of("promote", "rollback", "pause", "resume", "rerelease");

  /**
   * @param deadline how long an approval may stay open, e.g. {@code 30m}; absent means no deadline
   * @param onTimeout what happens when it passes: {@code rollback}, {@code continue} (promote / stay exposed) or
   *     {@code hold} (keep waiting, notify again)
   * @param quorum how many different people must approve (default 1); one rejection decides
   * @param escalation who is told, and may then decide too, when nobody has answered after each step's {@code after}
   * @param requireRoles roles each of which must be among the approvers (one person per role), e.g. a safety lead
   *     and a product owner; the quorum is then at least their number
   * @param unsafe why this right may leave the fail-safe default (for {@code rollback}: a deadline with
   *     {@code onTimeout: rollback}); shown in status and audit
   * @param notBy who may not take the risky side of this right: {@code releaser}, the person who started the release
   *     (approving a promotion, refusing a rollback, resuming after an investigation, asking for a re-release)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DecisionRight(List<String> roles, String deadline, String onTimeout, Integer quorum,
      List<Escalation> escalation, List<String> requireRoles, Unsafe unsafe, List<String> notBy) {

    public static final String RELEASER = "releaser";

    public DecisionRight(List<String> roles, String deadline, String onTimeout, Integer quorum,
        List<Escalation> escalation, List<String> requireRoles) {
      this(roles, deadline, onTimeout, quorum, escalation, requireRoles, null, null);
    }

    public DecisionRight(List<String> roles, String deadline, String onTimeout, Integer quorum,
        List<Escalation> escalation, List<String> requireRoles, Unsafe unsafe) {
      this(roles, deadline, onTimeout, quorum, escalation, requireRoles, unsafe, null);
    }

    /** Whether the person who started the release is kept from this right's risky side. */
    public boolean notByReleaser() {
      return notBy != null && notBy.contains(RELEASER);
    }

    /** What the deadline does, as an enum; null when absent or a text this version does not know. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public OnTimeout timeoutDefault() {
      return OnTimeout.of(onTimeout);
    }

    public DecisionRight(List<String> roles, String deadline, String onTimeout) {
      this(roles, deadline, onTimeout, null, null, null);
    }

    public DecisionRight(List<String> roles, String deadline, String onTimeout, Integer quorum,
        List<Escalation> escalation) {
      this(roles, deadline, onTimeout, quorum, escalation, null);
    }

    public int quorumOrOne() {
      return Math.max(quorum == null ? 1 : quorum, requiredRoles().size());
    }

    public List<String> requiredRoles() {
      return requireRoles == null ? List.of() : requireRoles;
    }
  }

  /** A right that leaves its fail-safe default on purpose, and why. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Unsafe(String reason) {}

  /** One step of an escalation chain: after this long without an answer, these roles are notified and may decide. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Escalation(String after, List<String> roles) {}

  public DecisionRight right(String kind) {
    return decisions == null ? null : decisions.get(kind);
  }

  /** The roles of {@code principal}, in the order the policy lists them. */
  public List<String> rolesOf(String principal) {
    return roles.entrySet().stream()
        .filter(e -> e.getValue() != null && e.getValue().contains(principal))
        .map(Map.Entry::getKey)
        .toList();
  }
}
