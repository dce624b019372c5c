package dev.ripcord.integration;

import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Temporal service a test runs against, namespace {@code default}: the CLI's dev server ({@link DevServer})
 * or the multi-shard server on PostgreSQL ({@link TemporalCluster}).
 */
public interface TemporalService extends AutoCloseable {
  /** The frontend's gRPC address, host:port. */
  String address();

  /** The Temporal Web UI in front of it. */
  String uiUrl();

  WorkflowClient client();

  /** The server's process id (for its CPU time). */
  long pid();

  /** Every process the service runs on (the server; for a cluster, PostgreSQL too), for their CPU time. */
  default List<Long> serverPids() {
    return List.of(pid());
  }

  @Override
  void close();

  /** True once the worker registered Ripcord's search attributes in the namespace. */
  default boolean hasSearchAttribute(String name) {
    OperatorServiceStubs ops = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder()
        .setChannel(client().getWorkflowServiceStubs().getRawChannel()).validateAndBuildWithDefaults());
    try {
      return ops.blockingStub().listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace("default")
          .build()).getCustomAttributesMap().containsKey(name);
    } finally {
      ops.shutdown();
    }
  }

  /** {@code temporal workflow show -o json}: the export users replay (of the latest run). */
  default Path export(String workflowId, Path file) throws Exception {
    return export(workflowId, null, file);
  }

  /** The export of one run ({@code -r}), e.g. a run that continued as new. */
  default Path export(String workflowId, String runId, Path file) throws Exception {
    Files.createDirectories(file.getParent());
    List<String> cmd = new ArrayList<>(List.of(Components.temporal().toString(), "workflow", "show", "--address",
        address(), "--namespace", "default", "-w", workflowId, "-o", "json"));
    if (runId != null) {
      cmd.addAll(List.of("-r", runId));
    }
    Process p = new ProcessBuilder(cmd).redirectOutput(file.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    if (p.waitFor() != 0) {
      throw new AssertionError("temporal workflow show failed for " + workflowId);
    }
    return file;
  }
}
