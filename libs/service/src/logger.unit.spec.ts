import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED } from '@paxfleet/core';
import type { Logger } from '@paxfleet/core';
import { captureLogs } from './testing.ts';
import { ServiceError } from './errors.ts';

const clock = () => Date.parse('2025-03-01T12:00:00.000Z');

describe('createLogger', () => {
  it('writes one JSON line per entry with timestamp, level, message, agent and fields', () => {
    const { logger, entries } = captureLogs({ agent: 'research', level: 'info', clock });
    logger.info('Writing draft (step 3/5)', { step: 3 });
    assert.deepEqual(entries(), [
      {
        timestamp: '2025-03-01T12:00:00.000Z',
        level: 'info',
        message: 'Writing draft (step 3/5)',
        agent: 'research',
        step: 3,
      },
    ]);
  });

  it('drops entries below the level', () => {
    const { logger, entries } = captureLogs({ level: 'warn' });
    logger.info('hidden');
    logger.debug('hidden');
    logger.warn('shown');
    logger.error('shown too');
    assert.deepEqual(
      entries().map((entry) => entry.level),
      ['warn', 'error'],
    );
    assert.equal(logger.isLevelEnabled('info'), false);
    assert.equal(logger.isLevelEnabled('error'), true);
  });

  it('binds workflow and trace ids in a child, call fields winning', () => {
    const { logger, entries } = captureLogs({ fields: { instance: 'research-0' } });
    const child = logger.child({ workflow_id: 'workflow_7k2p', trace_id: 'abc' });
    child.child({ span_id: 'def' }).info('claimed', { trace_id: 'override' });
    const [entry] = entries();
    assert.equal(entry?.instance, 'research-0');
    assert.equal(entry?.workflow_id, 'workflow_7k2p');
    assert.equal(entry?.span_id, 'def');
    assert.equal(entry?.trace_id, 'override');
  });

  it('redacts secrets at any depth', () => {
    const { logger, entries } = captureLogs();
    logger.child({ apiKey: 'sk-live-1' }).warn('calling provider', {
      password: 'hunter2',
      request: {
        headers: { Authorization: 'Bearer abc', 'x-api-key': 'k', accept: 'json' },
        auth: [{ client_secret: 's3' }],
      },
      model: { access_token: { value: 'tok' } },
      prompt_tokens: 812,
    });
    const [entry] = entries();
    const text = JSON.stringify(entry);
    for (const secret of ['sk-live-1', 'hunter2', 'Bearer abc', '"k"', 's3', 'tok"']) {
      assert.equal(text.includes(secret), false, `${secret} leaked: ${text}`);
    }
    assert.equal(entry?.apiKey, REDACTED);
    assert.equal(entry?.password, REDACTED);
    assert.deepEqual(entry?.request, {
      headers: { Authorization: REDACTED, 'x-api-key': REDACTED, accept: 'json' },
      auth: [{ client_secret: REDACTED }],
    });
    assert.deepEqual(entry?.model, { access_token: REDACTED });
    assert.equal(entry?.prompt_tokens, 812, 'token counts are not credentials');
  });

  it('writes errors with code, details and cause, redacting their secrets', () => {
    const { logger, entries } = captureLogs();
    const error = new ServiceError('SERVICE_SHUTDOWN_FAILED', 'hooks failed', {
      cause: new Error('broker gone'),
      details: { token: 'abc', hooks: ['producer'] },
    });
    const cyclic: Record<string, unknown> = { big: 10n };
    cyclic.self = cyclic;
    logger.error('shutdown failed', { err: error, cyclic });
    const entry = entries()[0] as { err: Record<string, unknown>; cyclic: unknown };
    assert.equal(entry.err.type, 'ServiceError');
    assert.equal(entry.err.code, 'SERVICE_SHUTDOWN_FAILED');
    assert.match(entry.err.message as string, /hooks failed/);
    assert.deepEqual(entry.err.details, { token: REDACTED, hooks: ['producer'] });
    assert.equal((entry.err.cause as { message: string }).message, 'broker gone');
    assert.equal(typeof entry.err.stack, 'string');
    assert.deepEqual(entry.cyclic, { big: '10', self: '[circular]' });
  });

  it('keeps the reserved fields its own', () => {
    const { logger, entries } = captureLogs({ agent: 'seo' });
    logger.info('real', { agent: 'impostor', level: 'error' });
    const [entry] = entries();
    assert.equal(entry?.agent, 'seo');
    assert.equal(entry?.level, 'info');
    assert.equal(entry?.field_agent, 'impostor');
  });

  it("serves as the libraries' logger (the processors, the broker wait, the Kafka client)", () => {
    const { logger, entries } = captureLogs({ agent: 'content' });
    const processor: Logger = logger;
    processor.info('committed', { records: 2 });
    processor.warn('aborted', { reason: 'timeout' });
    processor.error('fatal', { secret: 'x' });
    assert.deepEqual(
      entries().map(({ level, message, agent, records, reason, secret }) => ({
        level,
        message,
        agent,
        records,
        reason,
        secret,
      })),
      [
        {
          level: 'info',
          message: 'committed',
          agent: 'content',
          records: 2,
          reason: undefined,
          secret: undefined,
        },
        {
          level: 'warn',
          message: 'aborted',
          agent: 'content',
          records: undefined,
          reason: 'timeout',
          secret: undefined,
        },
        {
          level: 'error',
          message: 'fatal',
          agent: 'content',
          records: undefined,
          reason: undefined,
          secret: REDACTED,
        },
      ],
    );
  });
});
