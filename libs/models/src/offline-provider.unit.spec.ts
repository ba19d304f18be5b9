import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModelError } from './errors.ts';
import { OFFLINE_MODEL, OfflineModelProvider } from './offline-provider.ts';

const provider = new OfflineModelProvider();

describe('OfflineModelProvider', () => {
  it('answers the same request with the same text, and a different prompt differently', async () => {
    const request = {
      system: 'You are the marketing agent.',
      prompt: 'Write a blog post about Kafka',
    };
    const first = await provider.complete(request);
    const second = await new OfflineModelProvider().complete(request);
    assert.equal(first.text, second.text);
    assert.equal(first.model, OFFLINE_MODEL);
    assert.equal(first.provider, 'offline');
    const other = await provider.complete({ ...request, system: 'You are the sales agent.' });
    assert.notEqual(other.text, first.text);
  });

  it('outlines the topic the prompt names', async () => {
    const { text } = await provider.complete({
      prompt: 'Write a blog post outline about agent observability platforms',
    });
    assert.match(text, /^# .*Agent Observability Platforms/);
    assert.match(text, /agent observability platforms/);
    const sections = text.split('\n').filter((line) => /^\d+\. /.test(line));
    assert.equal(sections.length, 5);
    assert.ok(text.split('\n').filter((line) => line.startsWith('   - ')).length >= 5);
    assert.doesNotMatch(text, /lorem|ipsum/i);
  });

  it('writes a draft with headings and prose for a blog post', async () => {
    const { text } = await provider.complete({
      prompt: 'Write a blog post about Kafka exactly-once semantics for marketing teams',
    });
    assert.match(text, /^# /);
    assert.ok(text.split('\n').filter((line) => line.startsWith('## ')).length >= 2);
    assert.match(text, /Kafka exactly-once semantics/);
    assert.doesNotMatch(text, /marketing teams/, 'the audience is not the topic');
  });

  it('summarises, lists keywords and analyses by what the prompt asks', async () => {
    const summary = await provider.complete({
      prompt: 'Summarize the research on vector databases',
    });
    assert.match(summary.text, /^In short: .*vector databases/);
    const keywords = await provider.complete({
      prompt: 'List SEO keywords for "serverless postgres"',
    });
    assert.match(keywords.text, /^Keywords for serverless postgres:\n- serverless postgres\n/);
    const analysis = await provider.complete({
      prompt: 'Research the market for AI code review tools',
    });
    assert.match(analysis.text, /^Analysis: AI code review tools\n/);
  });

  it('keeps roughly within maxTokens, cutting at a word boundary', async () => {
    const { text, completionTokens } = await provider.complete({
      prompt: 'Write a blog post about agent observability',
      maxTokens: 30,
    });
    assert.ok(text.length <= 120, `${text.length} chars`);
    assert.ok(text.length > 60, `${text.length} chars`);
    assert.ok(completionTokens !== undefined && completionTokens <= 30);
    assert.doesNotMatch(text, /\s$/);
  });

  it('refuses an already aborted call', async () => {
    await assert.rejects(
      provider.complete({ prompt: 'x', signal: AbortSignal.abort() }),
      (error: unknown) => error instanceof ModelError && error.code === 'MODEL_ABORTED',
    );
  });
});
