import { randomBytes } from 'node:crypto';
import type { IHeaders } from '@paxfleet/kafka';

export const HEADER = {
  traceparent: 'traceparent',
  workflowId: 'workflow-id',
  eventType: 'event-type',
  producer: 'producer',
} as const;

/** What follows an event from the task that started it: its workflow and its trace. */
export interface EventContext {
  readonly workflowId: string;
  readonly traceparent?: string;
}

const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export function isTraceparent(value: string): boolean {
  const match = traceparentPattern.exec(value);
  return match !== null && !/^0+$/.test(match[1] as string) && !/^0+$/.test(match[2] as string);
}

/** A W3C traceparent for a new, sampled trace. */
export function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

/** workflow_ and eight base-36 characters, e.g. workflow_7k2p9x0q. */
export function newWorkflowId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  return `workflow_${[...randomBytes(8)].map((byte) => alphabet[byte % 36]).join('')}`;
}

export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === null) return undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

export function contextFromHeaders(headers: IHeaders | undefined): EventContext | undefined {
  const workflowId = headerText(headers, HEADER.workflowId);
  if (!workflowId) return undefined;
  const traceparent = headerText(headers, HEADER.traceparent);
  return { workflowId, ...(traceparent && isTraceparent(traceparent) && { traceparent }) };
}

export function eventHeaders(
  context: EventContext,
  eventType: string,
  producer: string,
  traceparent = context.traceparent ?? newTraceparent(),
): Record<string, string> {
  return {
    [HEADER.traceparent]: traceparent,
    [HEADER.workflowId]: context.workflowId,
    [HEADER.eventType]: eventType,
    [HEADER.producer]: producer,
  };
}
