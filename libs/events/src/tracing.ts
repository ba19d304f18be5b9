import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { newTraceparent, type EventContext } from './headers.ts';

// The API is a no-op until a service starts the SDK; then these spans are exported.
const tracer = () => trace.getTracer('@paxfleet/events');
const propagator = new W3CTraceContextPropagator();

/** The trace context an event carries, as an OpenTelemetry context. */
export function traceContextOf(event: EventContext): Context {
  if (!event.traceparent) return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, { traceparent: event.traceparent }, defaultTextMapGetter);
}

/**
 * The traceparent for a record about to be produced: a PRODUCER span, child of
 * the span in progress (the record being processed, or the HTTP request), else
 * of the event's own trace. Without the SDK, the event's traceparent is kept.
 */
export function producerTraceparent(topic: string, event: EventContext, eventType: string): string {
  const parent = trace.getSpan(context.active()) ? context.active() : traceContextOf(event);
  const span = tracer().startSpan(
    `send ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'send',
        'messaging.destination.name': topic,
        'workflow.id': event.workflowId,
        'event.type': eventType,
      },
    },
    parent,
  );
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpan(parent, span), carrier, defaultTextMapSetter);
  span.end();
  return carrier.traceparent ?? event.traceparent ?? newTraceparent();
}

/** Runs the handling of one consumed record inside a CONSUMER span continuing the record's trace. */
export async function withConsumerSpan<T>(
  record: {
    topic: string;
    partition: number;
    offset: number;
    context: EventContext;
    eventType?: string;
  },
  consumerGroup: string,
  work: () => Promise<T>,
): Promise<T> {
  const span = tracer().startSpan(
    `process ${record.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.destination.name': record.topic,
        'messaging.destination.partition.id': String(record.partition),
        'messaging.kafka.offset': record.offset,
        'messaging.consumer.group.name': consumerGroup,
        'workflow.id': record.context.workflowId,
      },
    },
    traceContextOf(record.context),
  );
  try {
    return await context.with(trace.setSpan(context.active(), span), work);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}
