import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Bodies, type Outbox } from '@paxfleet/events';
import {
  ModelError,
  OfflineModelProvider,
  PriceTable,
  promptHash,
  type ModelProvider,
} from '@paxfleet/models';
import { ledgeredModel, type ModelCallRecord } from './model-ledger.ts';

function scope(model: ModelProvider, inlineMaxBytes = 100_000) {
  const sent: { topic: string; key: string; value: ModelCallRecord }[] = [];
  const told: ModelCallRecord[] = [];
  const outbox: Outbox = {
    send: (topic, key, value) => sent.push({ topic, key, value: value as ModelCallRecord }),
  };
  const ledgered = ledgeredModel(model, {
    agent: 'marketing',
    instance: 'marketing-0',
    source: { topic: 'research-events', partition: 2, offset: 41 },
    context: { workflowId: 'workflow_x', traceparent: '' },
    workKey: () => 'content:observability',
    outbox,
    bodies: new Bodies({ inlineMaxBytes }),
    prices: new PriceTable({ 'offline-deterministic-1': { input: 0.15, output: 0.6 } }),
    clock: () => 1234,
    onCall: (call) => told.push(call),
  });
  return { ledgered, sent, told };
}

describe('the model ledger', () => {
  it('records each call in the work’s outbox: hash, tokens, cost by the price table, the completion', async () => {
    const { ledgered, sent, told } = scope(new OfflineModelProvider());
    const request = { system: 'You write.', prompt: 'Write about observability' };
    const first = await ledgered.complete(request);
    await ledgered.complete({ prompt: 'Keywords for observability' });
    assert.equal(sent.length, 2);
    const [one, two] = sent.map((entry) => entry.value);
    assert.ok(one && two);
    assert.equal(sent[0]?.topic, 'model-calls');
    assert.equal(sent[0]?.key, 'workflow_x');
    assert.deepEqual([one.sequence, two.sequence], [0, 1]);
    assert.equal(one.prompt_hash, promptHash(request));
    assert.equal(one.completion, first.text);
    assert.equal(one.outcome, 'ok');
    assert.equal(one.work_key, 'content:observability');
    assert.equal(one.prompt_tokens, first.promptTokens);
    assert.equal(one.cost_usd, (one.prompt_tokens * 0.15 + one.completion_tokens * 0.6) / 1e6);
    assert.ok(one.cost_usd > 0);
    assert.deepEqual(told, [one, two]);
  });

  it('records a failed call with its reason, and the caller still sees the failure', async () => {
    const failing: ModelProvider = {
      name: 'openai',
      complete: () => Promise.reject(new ModelError('MODEL_RATE_LIMITED', 'HTTP 429')),
    };
    const { ledgered, sent } = scope(failing);
    await assert.rejects(ledgered.complete({ prompt: 'x' }), /HTTP 429/);
    assert.equal(sent[0]?.value.outcome, 'failed');
    assert.match(sent[0]?.value.error ?? '', /HTTP 429/);
    assert.equal(sent[0]?.value.cost_usd, 0);
  });

  it('estimates tokens when the provider reports none, and says so', async () => {
    const bare: ModelProvider = {
      name: 'openai',
      complete: () => Promise.resolve({ text: 'twelve chars', model: 'm', provider: 'openai' }),
    };
    const { ledgered, sent } = scope(bare);
    await ledgered.complete({ prompt: 'abcdefgh' });
    assert.equal(sent[0]?.value.tokens_estimated, true);
    assert.equal(sent[0]?.value.prompt_tokens, 2);
    assert.equal(sent[0]?.value.completion_tokens, 3);
    assert.equal(sent[0]?.value.cost_usd, 0, 'a model the price table does not list costs 0');
  });

  it('keeps a completion over the inline threshold inline when there is no blob store to reference it from', async () => {
    const { ledgered, sent } = scope(new OfflineModelProvider(), 10);
    const completion = await ledgered.complete({ prompt: 'Write about observability' });
    assert.equal(sent[0]?.value.completion, completion.text);
    assert.equal(sent[0]?.value.completion_ref, '');
  });
});
