package dev.ripcord.worker;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.deployment.v1.RoutingConfig;
import io.temporal.api.workflowservice.v1.DescribeWorkerDeploymentRequest;
import io.temporal.api.workflowservice.v1.SetWorkerDeploymentCurrentVersionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this worker's build the Worker Deployment's current version at start-up, as {@code ripcord.deployment.current}
 * says ({@link RipcordProperties.Deployment}): without a current version a versioned deployment takes no new release
 * at all, so a fresh installation would sit idle until someone ran {@code temporal worker deployment
 * set-current-version}. Runs on a thread of its own, retrying until the server has seen this build poll (a version
 * exists only once its workers poll), for at most {@code patience}; it never fails the worker.
 */
public final class CurrentBuild implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CurrentBuild.class);
  private final WorkflowServiceStubs service;
  private final String namespace;
  private final RipcordProperties.Deployment deployment;
  private final Thread thread;

  public CurrentBuild(WorkflowServiceStubs service, String namespace, RipcordProperties.Deployment deployment,
      Duration patience) {
    this.service = service;
    this.namespace = namespace;
    this.deployment = deployment;
    this.thread = new Thread(() -> settle(patience), "ripcord-current-build");
    thread.setDaemon(true);
  }

  /** Starts settling, when this worker is versioned and may make itself current. */
  public CurrentBuild start() {
    if (deployment.versioned() && deployment.current() != RipcordProperties.Deployment.Current.never) {
      thread.start();
    }
    return this;
  }

  private void settle(Duration patience) {
    long until = System.nanoTime() + patience.toNanos();
    String last = "";
    while (System.nanoTime() < until && !Thread.currentThread().isInterrupted()) {
      try {
        if (trySettle()) {
          return;
        }
      } catch (StatusRuntimeException e) {
        last = e.getStatus().getCode() + ": " + e.getStatus().getDescription();
      }
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        return;
      }
    }
    log.warn("build {} of deployment {} did not become current within {} ({}); set it with `temporal worker"
        + " deployment set-current-version --deployment-name {} --build-id {}`", deployment.buildId(),
        deployment.name(), patience, last, deployment.name(), deployment.buildId());
  }

  /** True once settled: this build is current, or another is and this worker only takes over a deployment with none. */
  boolean trySettle() {
    RoutingConfig routing = null;
    com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;
    try {
      var described = service.blockingStub().describeWorkerDeployment(DescribeWorkerDeploymentRequest.newBuilder()
          .setNamespace(namespace).setDeploymentName(deployment.name()).build());
      routing = described.getWorkerDeploymentInfo().getRoutingConfig();
      token = described.getConflictToken();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
    }
    String current = routing != null && routing.hasCurrentDeploymentVersion()
        ? routing.getCurrentDeploymentVersion().getBuildId() : "";
    if (current.equals(deployment.buildId())) {
      log.info("build {} is the current version of deployment {}", current, deployment.name());
      return true;
    }
    if (!current.isEmpty() && deployment.current() == RipcordProperties.Deployment.Current.first) {
      log.info("deployment {} runs new releases on build {}; this build ({}) takes them once made current or"
          + " ramped", deployment.name(), current, deployment.buildId());
      return true;
    }
    service.blockingStub().setWorkerDeploymentCurrentVersion(SetWorkerDeploymentCurrentVersionRequest.newBuilder()
        .setNamespace(namespace).setDeploymentName(deployment.name()).setBuildId(deployment.buildId())
        .setConflictToken(token).setIdentity("ripcord-worker " + deployment.buildId()).build());
    log.info("build {} made itself the current version of deployment {} (was: {})", deployment.buildId(),
        deployment.name(), current.isEmpty() ? "none" : current);
    return true;
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
