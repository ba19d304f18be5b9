import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

type Env = Record<string, string | undefined>;

const probes = /^\/(healthz|readyz|metrics)\b/;

/**
 * Starts the OpenTelemetry SDK when an OTLP endpoint is configured
 * (OTEL_EXPORTER_OTLP_ENDPOINT, e.g. Jaeger's http://jaeger-collector:4318);
 * otherwise tracing stays the API's no-op and trace context still rides in
 * Kafka headers. Traces only: metrics are Prometheus', logs are winston's.
 */
export function startTelemetry(env: Env = process.env): { shutdown(): Promise<void> } | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED === 'true') return undefined;
  env.OTEL_METRICS_EXPORTER ??= 'none';
  env.OTEL_LOGS_EXPORTER ??= 'none';
  env.OTEL_BSP_SCHEDULE_DELAY ??= '1000';
  const serviceName = env.OTEL_SERVICE_NAME ?? env.AGENT_ID ?? env.SERVICE_NAME ?? 'paxfleet';
  const sdk = new NodeSDK({
    serviceName,
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [
      new HttpInstrumentation({
        // Kubernetes probes and Prometheus scrapes would drown the workflows.
        ignoreIncomingRequestHook: (request) => probes.test(request.url ?? ''),
        ignoreOutgoingRequestHook: () => true,
      }),
    ],
  });
  sdk.start();
  const flush = () => {
    sdk.shutdown().catch(() => undefined);
  };
  // The service drains on these signals too; spans still buffered are exported meanwhile.
  process.once('SIGTERM', flush);
  process.once('SIGINT', flush);
  return sdk;
}
