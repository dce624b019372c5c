package dev.ripcord.worker;

import dev.ripcord.workflows.release.ReleaseWorkflow;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.worker.WorkerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness: the Temporal worker is started and polls the {@code ripcord} task queue for workflow tasks (component
 * {@code workers}), read from the SDK's own {@code temporal_num_pollers} gauge. A worker that runs but polls nothing
 * would otherwise look healthy while no release evaluates or rolls back.
 */
@Component("workers")
class WorkerHealth implements HealthIndicator {
  private final WorkerFactory factory;
  private final MeterRegistry registry;

  WorkerHealth(WorkerFactory factory, MeterRegistry registry) {
    this.factory = factory;
    this.registry = registry;
  }

  @Override
  public Health health() {
    if (!factory.isStarted() || factory.isShutdown()) {
      return Health.down().withDetail("error", factory.isShutdown() ? "the worker is shutting down"
          : "the worker has not started").build();
    }
    double pollers = registry.find("temporal_num_pollers").tag("poller_type", "workflow_task")
        .tag("task_queue", ReleaseWorkflow.TASK_QUEUE).gauges().stream().mapToDouble(Gauge::value).sum();
    Health.Builder h = pollers > 0 ? Health.up() : Health.down().withDetail("error", "no workflow-task poller on"
        + " task queue " + ReleaseWorkflow.TASK_QUEUE + " yet");
    return h.withDetail("taskQueue", ReleaseWorkflow.TASK_QUEUE).withDetail("workflowTaskPollers", pollers).build();
  }
}
