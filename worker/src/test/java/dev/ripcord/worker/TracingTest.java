package dev.ripcord.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.policy.EvaluationSpec;
import dev.ripcord.workflows.policy.ObservationSpec;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.policy.StageSpec;
import dev.ripcord.workflows.release.ReleaseInput;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * One trace from whoever starts a release, through the workflow and its activities, to the router: the worker as it
 * ships, its spans caught by OpenTelemetry's own in-memory exporter, the router's request checked for the trace.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TracingTest.Spans.class)
class TracingTest {
  static ReferenceGateway gateway;

  @TestConfiguration(proxyBeanMethods = false)
  static class Spans {
    @Bean
    InMemorySpanExporter spans() {
      return InMemorySpanExporter.create();
    }
  }

  @Autowired InMemorySpanExporter spans;
  @Autowired OpenTelemetry openTelemetry;
  @Autowired WorkflowClient client;

  @BeforeAll
  static void freePortAndGateway() throws Exception {
    EmbeddedTemporalPort.claim();
    gateway = ReferenceGateway.start(0);
  }

  @AfterAll
  static void stopGateway() {
    EmbeddedTemporalPort.release();
    gateway.close();
  }

  @Test
  void aReleaseIsOneTraceFromItsStartThroughTheWorkflowAndActivitiesToTheRouter() throws Exception {
    ReleasePolicy base = PolicyBuilder.chat().model("traced").interval("1s").build();
    ReleasePolicy p = new ReleasePolicy(base.apiVersion(), base.release(),
        new RouterSpec("http", gateway.url(), "traced"), new ObservationSpec("scripted", "demo"),
        new EvaluationSpec("1s", 5, null, null), List.of(new StageSpec("canary", 10, "2s", null, null)),
        base.signals(), base.criteria(), base.governance(), base.rollback(), null);
    Span start = openTelemetry.getTracer("release-tooling").spanBuilder("release start").startSpan();
    ReleaseWorkflow wf = client.newWorkflowStub(ReleaseWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(p.releaseId()).setTaskQueue(ReleaseWorkflow.TASK_QUEUE).build());
    try (Scope ignored = start.makeCurrent()) {
      WorkflowClient.start(wf::run, ReleaseInput.start(p, PolicyLoader.hash(p)));
    } finally {
      start.end();
    }
    ReleaseReport r = WorkflowStub.fromTyped(wf).getResult(60, TimeUnit.SECONDS, ReleaseReport.class);
    assertEquals(ReleaseState.COMPLETED, r.state(), r.audit().toString());

    String trace = start.getSpanContext().getTraceId();
    List<SpanData> inTrace = spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(trace)).toList();
    Set<String> names = inTrace.stream().map(SpanData::getName).collect(Collectors.toCollection(TreeSet::new));
    for (String expected : List.of("release start", "StartWorkflow:Release", "RunWorkflow:Release",
        "StartActivity:SetWeight", "RunActivity:SetWeight")) {
      assertTrue(names.contains(expected), expected + " in the release's trace: " + names);
    }
    List<ReferenceGateway.Change> changes = gateway.changes().stream().filter(c -> c.route().equals("traced"))
        .toList();
    assertEquals(List.of(10), changes.stream().map(c -> c.weights().get("v2")).toList());
    String traceparent = changes.get(0).traceparent();
    assertTrue(traceparent != null && traceparent.startsWith("00-" + trace + "-"),
        "the router's request carries the release's trace: " + traceparent);
    assertTrue(inTrace.stream().anyMatch(s -> s.getName().equals("RunActivity:SetWeight")
        && traceparent.contains(s.getSpanId())), "the router call's parent is the SetWeight activity's span");
  }
}
