package dev.ripcord.worker;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Traces of releases: an OpenTelemetry SDK, which the Temporal starter bridges to its OpenTracing interceptors (the
 * OpenTracing shim), so the worker's client and workers carry the trace of whoever started a release through the
 * workflow and every activity, and the router call sends it on ({@code traceparent}). Spans go to an OTLP/gRPC
 * collector at {@code RIPCORD_OTLP_ENDPOINT} (or {@code OTEL_EXPORTER_OTLP_ENDPOINT}), batched; with neither set they
 * are made and dropped. A {@link SpanExporter} bean (a test's in-memory one) receives every span as it ends.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {
  private static final Logger log = LoggerFactory.getLogger(TracingConfiguration.class);

  @Bean(destroyMethod = "close")
  OpenTelemetrySdk openTelemetry(
      @Value("${ripcord.tracing.otlp-endpoint:${RIPCORD_OTLP_ENDPOINT:${OTEL_EXPORTER_OTLP_ENDPOINT:}}}") String endpoint,
      @Value("${spring.application.name:ripcord-worker}") String service, ObjectProvider<SpanExporter> exporters) {
    SdkTracerProviderBuilder tracers = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
            service))));
    exporters.orderedStream().forEach(e -> tracers.addSpanProcessor(SimpleSpanProcessor.create(e)));
    if (!endpoint.isBlank()) {
      tracers.addSpanProcessor(BatchSpanProcessor.builder(OtlpGrpcSpanExporter.builder().setEndpoint(endpoint)
          .build()).build());
      log.info("tracing: spans to the OTLP collector at {}", endpoint);
    }
    return OpenTelemetrySdk.builder().setTracerProvider(tracers.build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
  }
}
