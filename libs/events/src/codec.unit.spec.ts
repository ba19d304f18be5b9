import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frame } from './avro/single-object.ts';
import { EventCodec } from './codec.ts';
import { EventsError } from './errors.ts';
import { eventRegistry } from './registry.ts';
import type { ResearchEvent } from './generated/events.ts';

const schemas = eventRegistry().schemas;
const v1 = new EventCodec<Omit<ResearchEvent, 'summary' | 'body'>>(schemas, 'research-event', 1);
const v2 = new EventCodec<Omit<ResearchEvent, 'body'>>(schemas, 'research-event', 2);
const v3 = new EventCodec<ResearchEvent>(schemas, 'research-event', 3);
const base = {
  event_id: 'evt-1',
  event_type: 'analysis_complete',
  workflow_id: 'workflow_7k2p',
  topic: 'agent_observability_platforms',
  output_path: 's3://research/obs-platforms-analysis.md',
  timestamp: Date.parse('2026-02-14T03:30:15Z'),
};

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof EventsError, `expected EventsError, got ${String(error)}`);
    return error.code;
  }
  assert.fail('expected an error');
}

describe('EventCodec', () => {
  it('writes the writer schema fingerprint in the header', () => {
    const bytes = v2.encode({ ...base, summary: 'Five platforms compared' });
    assert.equal(bytes.readBigUInt64LE(2), schemas.version('research-event', 2).fingerprint);
  });

  it('a v2 reader reads v1 data with summary null', () => {
    const decoded = v2.decode(v1.encode(base));
    assert.deepEqual({ ...decoded.value }, { ...base, summary: null });
    assert.equal(decoded.writerVersion, 1);
  });

  it('a v1 reader reads v2 data and ignores the summary', () => {
    const decoded = v1.decode(v2.encode({ ...base, summary: 'ignored by v1' }));
    assert.deepEqual({ ...decoded.value }, base);
    assert.equal(decoded.writerVersion, 2);
  });

  it('a v3 reader reads v2 data with body null; a v2 reader reads v3 data and ignores the inline body', () => {
    const older = v3.decode(v2.encode({ ...base, summary: 's' }));
    assert.deepEqual({ ...older.value }, { ...base, summary: 's', body: null });
    const inline = { ...base, output_path: '', summary: 's', body: '# Analysis' };
    const newer = v2.decode(v3.encode(inline));
    assert.deepEqual({ ...newer.value }, { ...base, output_path: '', summary: 's' });
    assert.equal(newer.writerVersion, 3);
  });

  it('refuses a value that does not fit the schema and names the field', () => {
    assert.throws(
      () => v2.encode({ ...base, timestamp: 'yesterday' } as unknown as ResearchEvent),
      /ENCODE_INVALID_VALUE: research-event v2 rejects timestamp="yesterday"/,
    );
  });

  it('reports an unknown fingerprint, another event, and a corrupt body with distinct codes', () => {
    assert.equal(
      codeOf(() => v2.decode(frame(42n, Buffer.from([0])))),
      'DECODE_UNKNOWN_FINGERPRINT',
    );
    const progress = eventRegistry().codecForEvent('progress').encode({
      agent: 'sales',
      instance: '',
      state: 'idle',
      workflow_id: null,
      work_key: null,
      step: 0,
      total_steps: 0,
      status: 'Idle',
      at: 1,
      in_flight: 0,
      work: [],
    });
    assert.equal(
      codeOf(() => v2.decode(progress)),
      'DECODE_WRONG_EVENT',
    );
    const truncated = v2.encode({ ...base, summary: 'x' }).subarray(0, 20);
    assert.equal(
      codeOf(() => v2.decode(truncated)),
      'DECODE_BAD_BODY',
    );
  });
});
