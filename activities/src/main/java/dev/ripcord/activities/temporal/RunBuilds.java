package dev.ripcord.activities.temporal;

import io.temporal.api.deployment.v1.WorkerDeploymentVersion;
import io.temporal.api.enums.v1.VersioningBehavior;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Which worker build ran a release, as Temporal records it: each completed workflow task carries the Worker Deployment
 * version of the worker that completed it and the behaviour the workflow declared. Read by {@code ripcord status},
 * {@code ripcord audit} and the release page.
 */
public final class RunBuilds {
  private RunBuilds() {}

  /** {@code deployment:build (pinned)} or {@code (auto-upgrade)}; null for a worker without Worker Versioning. */
  public static String describe(WorkerDeploymentVersion version, VersioningBehavior behavior) {
    if (version == null || version.getBuildId().isEmpty()) {
      return null;
    }
    String how = switch (behavior) {
      case VERSIONING_BEHAVIOR_PINNED -> " (pinned)";
      case VERSIONING_BEHAVIOR_AUTO_UPGRADE -> " (auto-upgrade)";
      default -> "";
    };
    return version.getDeploymentName() + ":" + version.getBuildId() + how;
  }

  /**
   * Every build that completed a workflow task in {@code events} (one run or several, in order), each once, in the
   * order they first did; {@code unversioned} for tasks completed by a worker without Worker Versioning.
   */
  public static List<String> of(List<HistoryEvent> events) {
    List<String> builds = new ArrayList<>();
    for (HistoryEvent e : events) {
      if (!e.hasWorkflowTaskCompletedEventAttributes()) {
        continue;
      }
      var task = e.getWorkflowTaskCompletedEventAttributes();
      String build = describe(task.hasDeploymentVersion() ? task.getDeploymentVersion() : null,
          task.getVersioningBehavior());
      build = build == null ? "unversioned" : build;
      if (!builds.contains(build)) {
        builds.add(build);
      }
    }
    return builds;
  }
}
