package dev.ripcord.activities.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.temporal.api.deployment.v1.WorkerDeploymentVersion;
import io.temporal.api.enums.v1.VersioningBehavior;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowTaskCompletedEventAttributes;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunBuildsTest {
  private static HistoryEvent task(String build, VersioningBehavior behavior) {
    var at = WorkflowTaskCompletedEventAttributes.newBuilder().setVersioningBehavior(behavior);
    if (build != null) {
      at.setDeploymentVersion(WorkerDeploymentVersion.newBuilder().setDeploymentName("ripcord").setBuildId(build));
    }
    return HistoryEvent.newBuilder().setWorkflowTaskCompletedEventAttributes(at).build();
  }

  @Test
  void eachBuildOnceInTheOrderItFirstCompletedATask() {
    var pinned = VersioningBehavior.VERSIONING_BEHAVIOR_PINNED;
    assertEquals(List.of("unversioned", "ripcord:b1 (pinned)", "ripcord:b2 (auto-upgrade)"), RunBuilds.of(List.of(
        task(null, VersioningBehavior.VERSIONING_BEHAVIOR_UNSPECIFIED), task("b1", pinned), task("b1", pinned),
        HistoryEvent.getDefaultInstance(), task("b2", VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE))));
  }

  @Test
  void aWorkerWithoutVersioningHasNoBuild() {
    assertNull(RunBuilds.describe(null, VersioningBehavior.VERSIONING_BEHAVIOR_UNSPECIFIED));
    assertNull(RunBuilds.describe(WorkerDeploymentVersion.getDefaultInstance(),
        VersioningBehavior.VERSIONING_BEHAVIOR_PINNED));
  }

  @Test
  void aStoredHistoryFromAnUnversionedWorkerSaysSo() throws Exception {
    var h = WorkflowExecutionHistory.fromJson(Files.readString(Path.of(
        "../workflows/src/test/resources/histories/completed.json")));
    assertEquals(List.of("unversioned"), RunBuilds.of(h.getEvents()));
  }
}
