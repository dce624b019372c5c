package dev.ripcord.worker;

import io.temporal.common.WorkerDeploymentVersion;
import io.temporal.spring.boot.WorkerOptionsCustomizer;
import io.temporal.worker.WorkerDeploymentOptions;
import io.temporal.worker.WorkerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker Versioning for every worker this process runs: with a build id ({@code ripcord.deployment.build-id}) each
 * polls as that build of the deployment ({@code ripcord.deployment.name}), and Temporal sends a workflow only to the
 * build it runs on. Each workflow type declares its behaviour on the classes {@link VersionedWorkflowClasses}
 * registers for a versioned worker ({@code @WorkflowVersioningBehavior}: releases and drills pinned, the ledger and
 * the spent-token record auto-upgrade), so no default is set here. Without a build id the workers poll unversioned.
 */
public final class WorkerVersioning implements WorkerOptionsCustomizer {
  private static final Logger log = LoggerFactory.getLogger(WorkerVersioning.class);
  private final RipcordProperties.Deployment deployment;

  public WorkerVersioning(RipcordProperties.Deployment deployment) {
    this.deployment = deployment;
  }

  /** The version this worker polls as, e.g. {@code ripcord:2026.12.1}; null when unversioned. */
  public WorkerDeploymentVersion version() {
    return deployment.versioned() ? new WorkerDeploymentVersion(deployment.name(), deployment.buildId()) : null;
  }

  @Override
  public WorkerOptions.Builder customize(WorkerOptions.Builder options, String workerName, String taskQueue) {
    WorkerDeploymentVersion version = version();
    if (version == null) {
      log.info("worker {} on task queue {}: unversioned (no ripcord.deployment.build-id / RIPCORD_BUILD_ID)",
          workerName, taskQueue);
      return options;
    }
    log.info("worker {} on task queue {}: build {} of deployment {} (Worker Versioning; releases stay on the build"
        + " that started them)", workerName, taskQueue, version.getBuildId(), version.getDeploymentName());
    return options.setDeploymentOptions(WorkerDeploymentOptions.newBuilder().setUseVersioning(true)
        .setVersion(version).build());
  }
}
