package dev.ripcord.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.VersioningBehavior;
import io.temporal.common.WorkerDeploymentVersion;
import io.temporal.worker.WorkerOptions;
import org.junit.jupiter.api.Test;

class WorkerVersioningTest {
  @Test
  void withABuildIdTheWorkerPollsAsThatBuildOfTheDeploymentAndSetsNoDefaultBehaviour() {
    var v = new WorkerVersioning(new RipcordProperties.Deployment("ripcord", "2026.12.1", null));
    var options = v.customize(WorkerOptions.newBuilder(), "ripcord", "ripcord").build().getDeploymentOptions();
    assertTrue(options.isUsingVersioning());
    assertEquals(new WorkerDeploymentVersion("ripcord", "2026.12.1"), options.getVersion());
    assertEquals(VersioningBehavior.UNSPECIFIED, options.getDefaultVersioningBehavior(),
        "each workflow type declares its own behaviour");
  }

  @Test
  void withoutABuildIdTheWorkerStaysUnversioned() {
    for (String none : new String[] {null, "", "  "}) {
      var v = new WorkerVersioning(new RipcordProperties.Deployment("ripcord", none, null));
      assertNull(v.version());
      assertNull(v.customize(WorkerOptions.newBuilder(), "ripcord", "ripcord").build().getDeploymentOptions());
    }
  }
}
