package dev.ripcord.starter.client;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.opentracingshim.OpenTracingShim;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.temporal.common.interceptors.WorkflowClientInterceptor;
import io.temporal.opentracing.OpenTracingClientInterceptor;
import io.temporal.opentracing.OpenTracingOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Traces of what the CLI starts, for release tooling that traces its pipeline: on when an OpenTelemetry exporter is
 * configured the standard way ({@code OTEL_TRACES_EXPORTER}, {@code OTEL_EXPORTER_OTLP_ENDPOINT}, or their
 * {@code otel.*} system properties; {@code RIPCORD_OTLP_ENDPOINT} as for the worker) or a W3C {@code traceparent} is
 * given to join. The span the CLI makes is the parent of Temporal's client span, whose context Temporal carries in
 * the workflow's headers to the worker's spans. Off, it costs nothing and adds no interceptor.
 */
public final class CliTracing implements AutoCloseable {
  private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private final OpenTelemetrySdk sdk;
  private final Context parent;

  private CliTracing(OpenTelemetrySdk sdk, Context parent) {
    this.sdk = sdk;
    this.parent = parent;
  }

  public static CliTracing off() {
    return new CliTracing(null, Context.root());
  }

  /** From the environment, joining {@code traceparent} (W3C; null or blank: a new trace). */
  public static CliTracing fromEnvironment(String traceparent) {
    String ripcordEndpoint = System.getenv("RIPCORD_OTLP_ENDPOINT");
    boolean exporter = configured("otel.traces.exporter") || configured("otel.exporter.otlp.endpoint")
        || configured("otel.exporter.otlp.traces.endpoint") || (ripcordEndpoint != null && !ripcordEndpoint.isBlank());
    boolean join = traceparent != null && !traceparent.isBlank();
    if (!exporter && !join) {
      return off();
    }
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("otel.service.name", "ripcord-cli");
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    if (ripcordEndpoint != null && !ripcordEndpoint.isBlank()) {
      defaults.put("otel.exporter.otlp.endpoint", ripcordEndpoint);
    }
    if (!exporter) {
      defaults.put("otel.traces.exporter", "none"); // joined, so the worker's spans are in the trace; none exported
    }
    OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder().addPropertiesSupplier(() -> defaults)
        .disableShutdownHook().build().getOpenTelemetrySdk();
    Context parent = join ? W3CTraceContextPropagator.getInstance().extract(Context.root(),
        Map.of("traceparent", traceparent.strip()), MAP) : Context.root();
    return new CliTracing(sdk, parent);
  }

  private static boolean configured(String property) {
    String env = System.getenv(property.toUpperCase().replace('.', '_'));
    String prop = System.getProperty(property);
    return (env != null && !env.isBlank()) || (prop != null && !prop.isBlank());
  }

  /** Temporal's OpenTracing client interceptor over this SDK, or none when off. */
  List<WorkflowClientInterceptor> interceptors() {
    if (sdk == null) {
      return List.of();
    }
    return List.of(new OpenTracingClientInterceptor(OpenTracingOptions.newBuilder()
        .setTracer(OpenTracingShim.createTracerShim(sdk)).build()));
  }

  /** Runs {@code body} in a span named {@code name}, a child of the joined trace. */
  public <T> T inSpan(String name, Supplier<T> body) {
    if (sdk == null) {
      return body.get();
    }
    Span span = sdk.getTracer("ripcord-cli").spanBuilder(name).setParent(parent).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      return body.get();
    } catch (RuntimeException e) {
      span.recordException(e);
      throw e;
    } finally {
      span.end();
    }
  }

  /** Flushes and stops the exporter, so a short-lived CLI sends its spans before it exits. */
  @Override
  public void close() {
    if (sdk != null) {
      sdk.close();
    }
  }
}
