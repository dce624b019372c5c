package dev.ripcord.workflows.release;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.Nulls;
import dev.ripcord.workflows.activity.RouterActivities.WeightChange;
import dev.ripcord.workflows.approval.OpenDecision;
import dev.ripcord.workflows.decision.WindowVerdict;
import dev.ripcord.workflows.decision.EngineState;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.rollout.BakeClock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The one state record of a release: everything it knows about where it stands. The workflow's parts read and
 * change it; continue-as-new carries it whole (as {@code ReleaseInput.carried}), so nothing can be forgotten at the
 * roll-over. Its JSON names are those older runs wrote; fields added later are absent in older histories and keep
 * their defaults. Run-local bookkeeping (promises, what was last written to search attributes) lives with the part
 * that owns it, not here.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Progress {
  ReleaseState state = ReleaseState.VALIDATING;
  int stageIndex;
  /** The candidate's weight as the router last confirmed it. */
  int weight;
  @JsonUnwrapped BakeClock bake = new BakeClock();
  /** Whether the router confirmed it mirrors requests to the candidate ({@code router.mirror}); null when not. */
  Boolean mirroring;
  /** The last idempotency sequence number used for an activity (router, notifier, playbook). */
  int actionSeq;
  EngineState engine;
  WindowVerdict lastDecision;
  /** The decision the release waits for from people, or null. */
  OpenDecision waitingFor;
  /** Who paused the release ({@code ripcord} for an investigation), or null. */
  String pausedBy;
  String pauseReason;
  @JsonSetter(nulls = Nulls.SKIP) List<String> investigating = List.of();
  /** The weight before an investigation reduced it; set back when the investigation continues the release. */
  Integer weightBeforeInvestigation;
  /** Pushed observations not evaluated yet. */
  @JsonSetter(nulls = Nulls.SKIP) List<Observation> pushed = new ArrayList<>();
  /** Firing alerts not acted on yet. */
  @JsonSetter(nulls = Nulls.SKIP) List<PushedAlert> alerts = new ArrayList<>();
  /** Alerts acted on and not yet resolved: Alertmanager repeats a firing alert, the release acts once. */
  @JsonSetter(nulls = Nulls.SKIP) TreeSet<String> alertsActedOn = new TreeSet<>();
  @JsonSetter(nulls = Nulls.SKIP) List<AuditEntry> audit = new ArrayList<>();
  @JsonSetter(nulls = Nulls.SKIP) List<WeightChange> actions = new ArrayList<>();
  /** How many runs came before this one (continue-as-new during a bake). */
  int runs;
  /** How many times this release id has been re-released (0 for the first rollout). */
  int rereleases;
  /** When the candidate first got traffic (the start of a data rule's incident window). */
  Long exposedAt;
  /** When the first trigger fired; absent in runs carried before it was (see {@code Release.restore}). */
  Long triggeredAt;
  Long mitigatedAt;
  /** Whether this release keeps a post-promotion watch ({@code evaluation.afterPromotion}), decided at its start. */
  Boolean watchesAfterPromotion;
  /** Who started the release (the starter's {@code --by}), or null when it did not say. */
  String releasedBy;
  /** The trusted issuer's public keys (a JWKS document) as last read, under verified identity; null before. */
  String identityKeys;
  /** When the issuer's keys were last read or tried (epoch millis), so an unknown key id refreshes them rarely. */
  Long identityKeysReadAt;
  /** Tokens that decided already (id to expiry, epoch millis): a token counts once; expired ones are dropped. */
  java.util.TreeMap<String, Long> tokensUsed;
  /**
   * The rollback asked for (by a person not yet acted on, or the one the release performs), or null. Carried under
   * the three flat names older runs wrote ({@code rollbackRequestedBy}, {@code rollbackReason}, {@code breakGlass}).
   */
  @JsonIgnore RollbackRequest rollback;
  /** A person's answer to {@link #waitingFor} (approve, reject, hold) not yet acted on, and who gave it. */
  String answer;
  String answerBy;
  /** Until when (ISO) a rolled-back release accepts a re-release; null when it does not (yet). */
  String rereleaseOpenUntil;

  public ReleaseState state() {
    return state;
  }

  public int stageIndex() {
    return stageIndex;
  }

  public BakeClock bake() {
    return bake;
  }

  @JsonProperty("rollbackRequestedBy")
  private String rollbackRequestedBy() {
    return rollback == null ? null : rollback.by();
  }

  @JsonProperty("rollbackRequestedBy")
  private void rollbackRequestedBy(String by) {
    rollback = new RollbackRequest(by, rollbackReason(), breakGlass());
  }

  @JsonProperty("rollbackReason")
  String rollbackReason() {
    return rollback == null ? null : rollback.reason();
  }

  @JsonProperty("rollbackReason")
  private void rollbackReason(String reason) {
    rollback = new RollbackRequest(rollback == null ? null : rollback.by(), reason, breakGlass());
  }

  @JsonProperty("breakGlass")
  String breakGlass() {
    return rollback == null ? null : rollback.breakGlass();
  }

  @JsonProperty("breakGlass")
  private void breakGlass(String why) {
    rollback = new RollbackRequest(rollback == null ? null : rollback.by(), rollbackReason(), why);
  }

  /** Whether someone asked for a rollback that the release has not yet acted on, or the one it performs. */
  boolean rollbackAsked() {
    return rollback != null && rollback.by() != null;
  }

  /** The next audit entry's number. */
  int nextSeq() {
    return CarriedLog.lastSeq(audit) + 1;
  }

  /** The next idempotency key of this release. */
  String nextKey(String releaseId) {
    actionSeq++;
    return releaseId + "/" + actionSeq;
  }
}
