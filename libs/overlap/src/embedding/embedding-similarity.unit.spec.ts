import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OverlapError } from '../errors.ts';
import { EmbeddingSimilarity, subjectText, type Embedder } from './embedding-similarity.ts';

/** An in-process embedder with fixed vectors by text, recording every call. */
class FakeEmbedder implements Embedder {
  readonly calls: string[][] = [];
  failNext = false;
  #release: (() => void) | undefined;
  #gate: Promise<void> | undefined;

  readonly #vectors: Readonly<Record<string, number[]>>;

  constructor(vectors: Readonly<Record<string, number[]>>) {
    this.#vectors = vectors;
  }

  /** Holds answers back until `release`, to have prepares overlap. */
  hold(): void {
    this.#gate = new Promise((resolve) => (this.#release = resolve));
  }

  release(): void {
    this.#release?.();
    this.#gate = undefined;
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    this.calls.push([...texts]);
    await this.#gate;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('the model is down');
    }
    return texts.map((text) => this.#vectors[text] ?? [0, 0, 1]);
  }
}

const VECTORS = {
  'agent observability platforms': [1, 0, 0],
  'observability for ai agents': [0.9, Math.sqrt(1 - 0.81), 0],
  'kafka security': [0, 1, 0],
  'opposite of agents': [-1, 0, 0],
  'a third of the way': [1, 2, 2],
  nothing: [0, 0, 0],
};

function notPrepared(error: unknown): boolean {
  return error instanceof OverlapError && error.code === 'OVERLAP_NOT_PREPARED';
}

describe('subjectText', () => {
  it('turns a slug into words and leaves words alone', () => {
    assert.equal(subjectText('agent-observability-platforms'), 'agent observability platforms');
    assert.equal(subjectText('kafka_security'), 'kafka security');
    assert.equal(subjectText('  observability for  ai agents '), 'observability for ai agents');
  });
});

describe('EmbeddingSimilarity with an in-process embedder', () => {
  it('embeds each missing subject once, as words, in one call', async () => {
    const embedder = new FakeEmbedder(VECTORS);
    const similarity = new EmbeddingSimilarity({ embedder });
    assert.equal(similarity.method, 'embedding');
    assert.equal(similarity.terms('kafka-security'), undefined);
    assert.equal(similarity.prepared('kafka-security'), false);
    await similarity.prepare([
      'agent-observability-platforms',
      'kafka-security',
      'agent-observability-platforms',
    ]);
    assert.deepEqual(embedder.calls, [['agent observability platforms', 'kafka security']]);
    assert.equal(similarity.prepared('kafka-security'), true);
    await similarity.prepare(['kafka-security', 'observability-for-ai-agents']);
    await similarity.prepare(['kafka-security', 'observability-for-ai-agents']);
    assert.deepEqual(embedder.calls.slice(1), [['observability for ai agents']]);
  });

  it('has concurrent prepares of one subject share one request', async () => {
    const embedder = new FakeEmbedder(VECTORS);
    const similarity = new EmbeddingSimilarity({ embedder });
    embedder.hold();
    const first = similarity.prepare(['kafka-security']);
    const second = similarity.prepare(['kafka-security', 'agent-observability-platforms']);
    embedder.release();
    await Promise.all([first, second]);
    assert.deepEqual(embedder.calls, [['kafka security'], ['agent observability platforms']]);
    assert.equal(similarity.score('kafka-security', 'agent-observability-platforms'), 0);
  });

  it('scores the cosine, clamped to 0..1, rounded to 4 decimals, symmetric', async () => {
    const similarity = new EmbeddingSimilarity({ embedder: new FakeEmbedder(VECTORS) });
    const subjects = Object.keys(VECTORS).map((text) => text.replaceAll(' ', '-'));
    await similarity.prepare(subjects);
    const score = (a: string, b: string) => similarity.score(a, b);
    assert.equal(score('agent-observability-platforms', 'observability-for-ai-agents'), 0.9);
    assert.equal(score('agent-observability-platforms', 'a-third-of-the-way'), 0.3333);
    assert.equal(score('agent-observability-platforms', 'kafka-security'), 0);
    assert.equal(score('agent-observability-platforms', 'opposite-of-agents'), 0);
    assert.equal(score('nothing', 'kafka-security'), 0);
    assert.equal(score('a-third-of-the-way', 'a-third-of-the-way'), 1);
    for (const a of subjects) {
      for (const b of subjects) assert.equal(score(a, b), score(b, a), `${a} ~ ${b}`);
    }
  });

  it('throws OVERLAP_NOT_PREPARED for a subject not prepared', async () => {
    const similarity = new EmbeddingSimilarity({ embedder: new FakeEmbedder(VECTORS) });
    await similarity.prepare(['kafka-security']);
    assert.throws(() => similarity.score('kafka-security', 'agent-tracing'), notPrepared);
    assert.throws(() => similarity.score('agent-tracing', 'kafka-security'), notPrepared);
  });

  it('drops the least recently used subject when the cache is full', async () => {
    const embedder = new FakeEmbedder(VECTORS);
    const similarity = new EmbeddingSimilarity({ embedder, cacheSize: 2 });
    await similarity.prepare(['kafka-security', 'agent-observability-platforms']);
    similarity.score('kafka-security', 'kafka-security');
    await similarity.prepare(['observability-for-ai-agents']);
    assert.equal(similarity.prepared('kafka-security'), true);
    assert.equal(similarity.prepared('agent-observability-platforms'), false);
    assert.equal(similarity.prepared('observability-for-ai-agents'), true);
    await similarity.prepare(['kafka-security', 'agent-observability-platforms']);
    assert.deepEqual(embedder.calls.at(-1), ['agent observability platforms']);
    assert.equal(similarity.prepared('observability-for-ai-agents'), false);
  });

  it('passes on a failed request and asks again on the next prepare', async () => {
    const embedder = new FakeEmbedder(VECTORS);
    const similarity = new EmbeddingSimilarity({ embedder });
    embedder.failNext = true;
    await assert.rejects(similarity.prepare(['kafka-security']), /the model is down/);
    assert.equal(similarity.prepared('kafka-security'), false);
    await similarity.prepare(['kafka-security']);
    assert.equal(embedder.calls.length, 2);
    assert.equal(similarity.prepared('kafka-security'), true);
  });
});
