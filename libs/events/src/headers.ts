import { randomBytes, randomFillSync } from 'node:crypto';
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

// Trace and span ids for 256 traceparents, refilled when used up: one call into the
// system's random source per 256 new traces instead of two per record (a CPU profile of
// the exactly-once bench had randomFillSync at 6%).
const ID_BYTES = 16 + 8;
const idPool = Buffer.alloc(ID_BYTES * 256);
let idPoolUsed = idPool.length;

/** A W3C traceparent for a new, sampled trace. */
export function newTraceparent(): string {
  if (idPoolUsed === idPool.length) {
    randomFillSync(idPool);
    idPoolUsed = 0;
  }
  const at = idPoolUsed;
  idPoolUsed += ID_BYTES;
  return `00-${idPool.toString('hex', at, at + 16)}-${idPool.toString('hex', at + 16, at + ID_BYTES)}-01`;
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
