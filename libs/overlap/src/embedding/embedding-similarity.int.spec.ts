import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OpenAICompatibleEmbedder } from '@paxfleet/models';
import { EmbeddingSimilarity, type Embedder } from './embedding-similarity.ts';

// The model behind MODEL_BASE_URL: scripts/with-embeddings.sh serves all-MiniLM-L6-v2 locally.
const baseUrl = process.env.MODEL_BASE_URL;
const model = process.env.CLAIM_OVERLAP_EMBEDDING_MODEL ?? 'all-MiniLM-L6-v2';
const timeoutMs = Number(process.env.MODEL_TIMEOUT_MS ?? 30_000);

/** The real client, counting what it is asked for. */
class CountingEmbedder implements Embedder {
  readonly requests: string[][] = [];
  readonly #client = new OpenAICompatibleEmbedder({
    baseUrl: baseUrl ?? '',
    model,
    timeoutMs,
    ...(process.env.MODEL_API_KEY && { apiKey: process.env.MODEL_API_KEY }),
  });

  embed(texts: readonly string[]): Promise<number[][]> {
    this.requests.push([...texts]);
    return this.#client.embed(texts);
  }
}

const SUBJECTS = [
  'observability-for-ai-agents',
  'agent-observability-platforms',
  'kafka-security',
  'securing-kafka-clusters',
];

describe(
  `EmbeddingSimilarity with ${model} on a real embeddings server`,
  {
    skip: baseUrl ? false : 'MODEL_BASE_URL is not set (run it under scripts/with-embeddings.sh)',
    timeout: 120_000,
  },
  () => {
    it('scores the same work in other words above other work', async () => {
      const similarity = new EmbeddingSimilarity({ embedder: new CountingEmbedder() });
      await similarity.prepare(SUBJECTS);
      const same = similarity.score('observability-for-ai-agents', 'agent-observability-platforms');
      const other = similarity.score('observability-for-ai-agents', 'kafka-security');
      assert.ok(same > other, `same work ${same} <= other work ${other}`);
      assert.ok(
        similarity.score('kafka-security', 'securing-kafka-clusters') >
          similarity.score('kafka-security', 'agent-observability-platforms'),
      );
      for (const score of [same, other]) assert.ok(score >= 0 && score <= 1, String(score));
    });

    it('asks the server once per subject: a second prepare sends nothing', async () => {
      const embedder = new CountingEmbedder();
      const similarity = new EmbeddingSimilarity({ embedder });
      await similarity.prepare(SUBJECTS);
      await similarity.prepare([...SUBJECTS].reverse());
      assert.deepEqual(embedder.requests, [
        [
          'observability for ai agents',
          'agent observability platforms',
          'kafka security',
          'securing kafka clusters',
        ],
      ]);
      assert.ok(SUBJECTS.every((subject) => similarity.prepared(subject)));
    });

    it('is symmetric, and repeatable by a fresh instance asking in another order', async () => {
      const first = new EmbeddingSimilarity({ embedder: new CountingEmbedder() });
      await first.prepare(SUBJECTS);
      const again = new EmbeddingSimilarity({ embedder: new CountingEmbedder() });
      for (const subject of [...SUBJECTS].reverse()) await again.prepare([subject]);
      for (const a of SUBJECTS) {
        for (const b of SUBJECTS) {
          const score = first.score(a, b);
          assert.equal(first.score(b, a), score, `${a} ~ ${b} is not symmetric`);
          assert.equal(first.score(a, b), score, `${a} ~ ${b} changed`);
          assert.equal(again.score(a, b), score, `${a} ~ ${b} differs after fetching again`);
        }
      }
      assert.equal(first.score('kafka-security', 'kafka-security'), 1);
    });
  },
);
