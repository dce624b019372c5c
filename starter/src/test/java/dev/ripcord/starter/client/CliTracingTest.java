package dev.ripcord.starter.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.starter.cli.RipcordCli;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ripcord release start --traceparent ...} with an exporter configured the standard way
 * ({@code otel.traces.exporter}, here OpenTelemetry's in-memory exporter by the SDK's own service loader): the CLI's
 * span joins the pipeline's trace, Temporal's client span is its child, and the workflow's start carries the context
 * in its header for the worker's spans. Against Temporal's test server on a real port, as the CLI connects.
 */
class CliTracingTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT = "00f067aa0ba902b7";

  @AfterEach
  void clear() {
    System.clearProperty("otel.traces.exporter");
    InMemoryExporterProvider.SPANS.reset();
  }

  @Test
  void releaseStartJoinsThePipelinesTraceAndHandsItToTheWorkflow() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    System.setProperty("otel.traces.exporter", "memory");
    try (TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port)) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = RipcordCli.run(new String[] {"release", "start", "--policy", "../examples/conversational-agent.yaml",
          "--address", "127.0.0.1:" + port, "--traceparent", "00-" + TRACE + "-" + PARENT + "-01"},
          new PrintWriter(out, true), new PrintWriter(err, true));
      assertEquals(0, code, out + "\n" + err);

      List<SpanData> spans = InMemoryExporterProvider.SPANS.getFinishedSpanItems();
      SpanData cli = spans.stream().filter(s -> s.getName().equals("ripcord release start")).findFirst()
          .orElseThrow(() -> new AssertionError("no CLI span in " + spans));
      assertEquals(TRACE, cli.getTraceId());
      assertEquals(PARENT, cli.getParentSpanId(), "the pipeline's span is the CLI span's parent");
      SpanData start = spans.stream().filter(s -> s.getName().equals("StartWorkflow:Release")).findFirst()
          .orElseThrow(() -> new AssertionError("no Temporal client span in " + spans));
      assertEquals(TRACE, start.getTraceId());
      assertEquals(cli.getSpanId(), start.getParentSpanId());

      WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
          .setTarget("127.0.0.1:" + port).build());
      try {
        String id = out.toString().lines().filter(l -> l.startsWith("started ")).findFirst().orElseThrow()
            .split(" ")[1];
        var started = WorkflowClient.newInstance(stubs).fetchHistory(id).getEvents().get(0)
            .getWorkflowExecutionStartedEventAttributes();
        assertTrue(started.getHeader().getFieldsMap().containsKey("_tracer-data"),
            "the trace travels in the workflow's header: " + started.getHeader().getFieldsMap().keySet());
      } finally {
        stubs.shutdownNow();
      }
    }
  }
}
