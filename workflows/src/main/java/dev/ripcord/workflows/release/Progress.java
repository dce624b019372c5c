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
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.audit.CarriedLog;
import dev.ripcord.workflows.decision.EngineState;
import dev.ripcord.workflows.decision.WindowVerdict;
import dev.ripcord.workflows.release.state.Answer;
import dev.ripcord.workflows.release.state.Hold;
import dev.ripcord.workflows.release.state.Inbox;
import dev.ripcord.workflows.release.state.Moments;
import dev.ripcord.workflows.release.state.RollbackRequest;
import dev.ripcord.workflows.release.state.TrustedKeys;
import dev.ripcord.workflows.rollout.BakeClock;
import java.util.ArrayList;
import java.util.List;

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
  /** The decision the release waits for from people, or null; people's answer to it, not yet acted on. */
  OpenDecision waitingFor;
  @JsonUnwrapped Answer answer = new Answer();
  /** What holds the release still: a person's pause or an investigation. */
  @JsonUnwrapped Hold hold = new Hold();
  /** Pushed observations and firing alerts the loop has not taken yet. */
  @JsonUnwrapped Inbox inbox = new Inbox();
  @JsonSetter(nulls = Nulls.SKIP) List<AuditEntry> audit = new ArrayList<>();
  @JsonSetter(nulls = Nulls.SKIP) List<WeightChange> actions = new ArrayList<>();
  /** How many runs came before this one (continue-as-new during a bake). */
  int runs;
  /** How many times this release id has been re-released (0 for the first rollout). */
  int rereleases;
  /** Whether this release keeps a post-promotion watch ({@code evaluation.afterPromotion}), decided at its start. */
  Boolean watchesAfterPromotion;
  /** When the candidate was first exposed, the first trigger fired, the rollback was done. */
  @JsonUnwrapped Moments moments = new Moments();
  /** The current stage's split of traffic between the arms, as the sample-ratio guard counted it; null before. */
  dev.ripcord.workflows.decision.SampleRatio.State sampleRatio;
  /** Who started the release (the starter's {@code --by}), or null when it did not say. */
  String releasedBy;
  /** Verified identity's keys and spent tokens. */
  @JsonUnwrapped TrustedKeys trusted = new TrustedKeys();
  /**
   * The rollback asked for (by a person not yet acted on, or the one the release performs), or null. Carried under
   * the three flat names older runs wrote ({@code rollbackRequestedBy}, {@code rollbackReason}, {@code breakGlass}).
   */
  @JsonIgnore RollbackRequest rollback;
  /** Until when (ISO) a rolled-back release accepts a re-release; null when it does not (yet). */
  String rereleaseOpenUntil;
  /**
   * The arithmetic of its statistical tests this rollout was pinned to at its start ({@code SequentialTest.Rules}
   * by name, e.g. {@code v4}); null for releases started before marker {@code arithmetic-pinned}, which choose by
   * per-window markers.
   */
  String arithmetic;
  /** Where the release pages are served (the starter's {@code --pages-url}); null when the starter did not say. */
  String pages;

  public ReleaseState state() {
    return state;
  }

  public int stageIndex() {
    return stageIndex;
  }

  public BakeClock bake() {
    return bake;
  }

  /** The engine's running state as this record holds it (a run continued as new starts from it). */
  public EngineState engine() {
    return engine;
  }

  /** The current stage's split as the sample-ratio guard counted it; null before its first window. */
  public dev.ripcord.workflows.decision.SampleRatio.State sampleRatio() {
    return sampleRatio;
  }

  /** The arithmetic this rollout was pinned to, by name; null before marker {@code arithmetic-pinned}. */
  public String arithmetic() {
    return arithmetic;
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
