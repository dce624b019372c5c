package dev.ripcord.activities.temporal;

import dev.ripcord.workflows.release.ReleaseSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Registers Ripcord's search attributes (all Keyword) in a namespace if they are missing. Idempotent; the worker and
 * {@code ripcord release start} both call it, because a release that upserts an unregistered attribute would fail.
 */
public final class SearchAttributeRegistration {
  private SearchAttributeRegistration() {}

  /**
   * Adds each attribute on its own and takes "already exists" as success, which works on servers without
   * ListSearchAttributes (Temporal's Java test server). Returns the names it added.
   */
  public static Set<String> ensure(WorkflowServiceStubs service, String namespace) {
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder()
        .setChannel(service.getRawChannel()).validateAndBuildWithDefaults());
    Set<String> added = new LinkedHashSet<>();
    for (var key : ReleaseSearchAttributes.ALL) {
      try {
        operator.blockingStub().addSearchAttributes(AddSearchAttributesRequest.newBuilder()
            .setNamespace(namespace)
            .putSearchAttributes(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
            .build());
        added.add(key.getName());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
          throw e;
        }
      }
    }
    return added;
  }
}
