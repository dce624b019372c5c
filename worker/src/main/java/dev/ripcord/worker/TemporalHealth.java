package dev.ripcord.worker;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness: the Temporal frontend answers and knows this worker's namespace ({@code /actuator/health/readiness},
 * component {@code temporal}). Not part of liveness: restarting the worker does not bring Temporal back.
 */
@Component("temporal")
class TemporalHealth implements HealthIndicator {
  private final WorkflowClient client;

  TemporalHealth(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public Health health() {
    String namespace = client.getOptions().getNamespace();
    try {
      var ns = client.getWorkflowServiceStubs().blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS)
          .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
      return Health.up().withDetail("namespace", namespace)
          .withDetail("state", ns.getNamespaceInfo().getState().name()).build();
    } catch (StatusRuntimeException e) {
      return down(namespace, e);
    }
  }

  /** What a failed DescribeNamespace means for readiness (NOT_FOUND is how a Temporal server answers for a namespace it lacks). */
  static Health down(String namespace, StatusRuntimeException e) {
    String why = e.getStatus().getCode() == Status.Code.NOT_FOUND ? "namespace '" + namespace + "' does not exist"
        + " (create it: temporal operator namespace create " + namespace + ")"
        : "Temporal frontend not answering: " + e.getStatus().getCode() + " " + e.getStatus().getDescription();
    return Health.down().withDetail("namespace", namespace).withDetail("error", why).build();
  }
}
