package dev.ripcord.integration;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;

/** A test's client of one Temporal frontend (namespace {@code default}), connected on first use. */
final class Frontend implements AutoCloseable {
  private final String address;
  private WorkflowServiceStubs stubs;
  private WorkflowClient client;

  Frontend(String address) {
    this.address = address;
  }

  synchronized WorkflowClient client() {
    if (client == null) {
      stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(address)
          .setRpcTimeout(Duration.ofSeconds(10)).build());
      client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    }
    return client;
  }

  /** True when the frontend answers GetSystemInfo. */
  boolean answers() {
    try {
      client().getWorkflowServiceStubs().blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() {
    if (stubs != null) {
      stubs.shutdownNow();
    }
  }
}
