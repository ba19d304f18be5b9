import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

type Env = Record<string, string | undefined>;

const probes = /^\/(healthz|readyz|metrics)\b/;

/** How long finished spans wait to be sent in one batch (OTEL_BSP_SCHEDULE_DELAY, ms). */
function scheduleDelayMs(env: Env): number {
  const value = Number(env.OTEL_BSP_SCHEDULE_DELAY ?? 1000);
  return Number.isFinite(value) && value > 0 ? value : 1000;
}

/**
 * Starts tracing when an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT,
 * e.g. Jaeger's http://jaeger-collector:4318); otherwise tracing stays the API's no-op
 * and trace context still rides in Kafka headers. Traces only (metrics are
 * Prometheus', logs are winston's), so only the trace pieces of OpenTelemetry are
 * loaded: a tracer provider, a batch processor, the OTLP/HTTP exporter, W3C trace
 * context, and the HTTP server instrumentation. The NodeSDK would also load the
 * metrics and logs SDKs, gRPC and every exporter, about 20 MB per process.
 */
export function startTelemetry(env: Env = process.env): { shutdown(): Promise<void> } | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED === 'true') return undefined;
  const serviceName = env.OTEL_SERVICE_NAME ?? env.AGENT_ID ?? env.SERVICE_NAME ?? 'paxfleet';
  const provider = new TracerProvider({
    // OTEL_RESOURCE_ATTRIBUTES (the chart's pod and namespace), then the service's name.
    resource: detectResources({ detectors: [envDetector] }).merge(
      resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    ),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter(),
        scheduledDelayMillis: scheduleDelayMs(env),
      }),
    ],
  });
  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        // Kubernetes probes and Prometheus scrapes would drown the workflows.
        ignoreIncomingRequestHook: (request) => probes.test(request.url ?? ''),
        ignoreOutgoingRequestHook: () => true,
      }),
    ],
  });
  const flush = () => {
    provider.shutdown().catch(() => undefined);
  };
  // The service drains on these signals too; spans still buffered are exported meanwhile.
  process.once('SIGTERM', flush);
  process.once('SIGINT', flush);
  return provider;
}
