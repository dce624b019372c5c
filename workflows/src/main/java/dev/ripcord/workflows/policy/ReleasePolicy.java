package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A release policy: what is released, how it is exposed, what is watched, when it is rolled back and who decides.
 * Parsed by {@link PolicyLoader}, checked by {@link PolicyValidator}; a workflow only ever starts from a valid one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReleasePolicy(
    String apiVersion,
    ReleaseSpec release,
    RouterSpec router,
    ObservationSpec observations,
    EvaluationSpec evaluation,
    List<StageSpec> stages,
    List<SignalSpec> signals,
    List<CriterionSpec> criteria,
    GovernanceSpec governance,
    RollbackSpec rollback,
    NotificationSpec notifications,
    PlaybookSpec playbook,
    EvidenceSpec evidence,
    Boolean dryRun) {

  public static final String API_VERSION = "ripcord/v1";

  /** A policy that is not a dry run (it may roll back). */
  public ReleasePolicy(String apiVersion, ReleaseSpec release, RouterSpec router, ObservationSpec observations,
      EvaluationSpec evaluation, List<StageSpec> stages, List<SignalSpec> signals, List<CriterionSpec> criteria,
      GovernanceSpec governance, RollbackSpec rollback, NotificationSpec notifications, PlaybookSpec playbook,
      EvidenceSpec evidence) {
    this(apiVersion, release, router, observations, evaluation, stages, signals, criteria, governance, rollback,
        notifications, playbook, evidence, null);
  }

  /**
   * Whether the policy says it is a dry run ({@code dryRun: true}): every criterion only alerts, and nothing it sees
   * can roll the release back. A policy whose criteria all alert only must say so.
   */
  public boolean declaresDryRun() {
    return Boolean.TRUE.equals(dryRun);
  }

  /** A policy without an evidence store. */
  public ReleasePolicy(String apiVersion, ReleaseSpec release, RouterSpec router, ObservationSpec observations,
      EvaluationSpec evaluation, List<StageSpec> stages, List<SignalSpec> signals, List<CriterionSpec> criteria,
      GovernanceSpec governance, RollbackSpec rollback, NotificationSpec notifications, PlaybookSpec playbook) {
    this(apiVersion, release, router, observations, evaluation, stages, signals, criteria, governance, rollback,
        notifications, playbook, null);
  }

  /** A policy without a playbook. */
  public ReleasePolicy(String apiVersion, ReleaseSpec release, RouterSpec router, ObservationSpec observations,
      EvaluationSpec evaluation, List<StageSpec> stages, List<SignalSpec> signals, List<CriterionSpec> criteria,
      GovernanceSpec governance, RollbackSpec rollback, NotificationSpec notifications) {
    this(apiVersion, release, router, observations, evaluation, stages, signals, criteria, governance, rollback,
        notifications, null);
  }

  /** The workflow id of a release: {@code release-<model>-<candidate>}. */
  public String releaseId() {
    return "release-" + release.model() + "-" + release.candidate();
  }

  public SignalSpec signal(String name) {
    for (SignalSpec s : signals == null ? List.<SignalSpec>of() : signals) {
      if (s != null && name != null && name.equals(s.name())) {
        return s;
      }
    }
    return null;
  }

  public CriterionSpec criterion(String name) {
    for (CriterionSpec c : criteria) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return null;
  }

  /** The same policy pointed at other routing and observation back-ends (the demo and tests use this). */
  public ReleasePolicy withRouter(RouterSpec newRouter) {
    return new ReleasePolicy(apiVersion, release, newRouter, observations, evaluation, stages, signals,
        criteria, governance, rollback, notifications, playbook, evidence, dryRun);
  }

  public ReleasePolicy withObservations(ObservationSpec newObservations) {
    return new ReleasePolicy(apiVersion, release, router, newObservations, evaluation, stages, signals,
        criteria, governance, rollback, notifications, playbook, evidence, dryRun);
  }

  public ReleasePolicy withNotifications(NotificationSpec newNotifications) {
    return new ReleasePolicy(apiVersion, release, router, observations, evaluation, stages, signals,
        criteria, governance, rollback, newNotifications, playbook, evidence, dryRun);
  }

  public ReleasePolicy withPlaybook(PlaybookSpec newPlaybook) {
    return new ReleasePolicy(apiVersion, release, router, observations, evaluation, stages, signals,
        criteria, governance, rollback, notifications, newPlaybook, evidence, dryRun);
  }

  public ReleasePolicy withEvidence(EvidenceSpec newEvidence) {
    return new ReleasePolicy(apiVersion, release, router, observations, evaluation, stages, signals,
        criteria, governance, rollback, notifications, playbook, newEvidence, dryRun);
  }

  public ReleasePolicy withRelease(ReleaseSpec newRelease) {
    return new ReleasePolicy(apiVersion, newRelease, router, observations, evaluation, stages, signals,
        criteria, governance, rollback, notifications, playbook, evidence, dryRun);
  }
}
