import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';

/** Runs the coordinator's entry point until it exits; its log lines, parsed, and the exit code. */
async function runCoordinator(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['--conditions=paxfleet-source', new URL('./main.ts', import.meta.url).pathname],
    {
      // Only what the test sets: no variable of the runner's environment may look like a typo.
      env: { PATH: process.env.PATH, HOST: '127.0.0.1', KAFKA_BROKERS: '127.0.0.1:1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const lines = output
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { code, output, lines };
}

describe('the coordinator process', () => {
  it('a taken port stops it with one line naming the code and the fix, exit 1; look-alike variables are warned about', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const { code, output, lines } = await runCoordinator({
        PORT: String(port),
        KAFKA_BROKER: '127.0.0.1:9092',
        CLAIM_LEASE_MS: '30000',
      });
      assert.equal(code, 1, output);
      const failures = lines.filter((line) => line.message === 'start failed');
      assert.equal(failures.length, 1, output);
      assert.equal(failures[0]?.code, 'SERVICE_LISTEN_FAILED');
      assert.match(String(failures[0]?.fix), /PORT/);
      assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
      assert.deepEqual(
        lines
          .filter((line) => line.message === 'unknown variable ignored')
          .map(({ variable, did_you_mean }) => ({ variable, did_you_mean })),
        [
          // An agent's setting, not the coordinator's: no likely typo to suggest.
          { variable: 'CLAIM_LEASE_MS', did_you_mean: undefined },
          { variable: 'KAFKA_BROKER', did_you_mean: 'KAFKA_BROKERS' },
        ],
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('bad configuration stops it with one line naming every bad variable, exit 1', async () => {
    const { code, output, lines } = await runCoordinator({
      PORT: '0',
      KAFKA_SECURITY_PROTOCOL: 'sasl_ssl',
      MAX_TASK_LAG: 'lots',
    });
    assert.equal(code, 1, output);
    const [failure, ...more] = lines.filter((line) => line.message === 'start failed');
    assert.equal(more.length, 0, output);
    assert.equal(failure?.code, 'CONFIG_INVALID');
    assert.match(
      String(failure?.error),
      /PORT must be an integer between 1 and 65535 \(got "0"\); MAX_TASK_LAG must be an integer at least 0 \(got "lots"\); KAFKA_SASL_USERNAME is required when KAFKA_SECURITY_PROTOCOL is sasl_ssl; KAFKA_SASL_PASSWORD is required when KAFKA_SECURITY_PROTOCOL is sasl_ssl/,
    );
    assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
  });

  it('a bad overlap check stops it at boot naming each variable: an unknown format, a threshold out of range, embeddings without a model or an API', async () => {
    const { code, output, lines } = await runCoordinator({
      CLAIM_OVERLAP_METHOD: 'embedding',
      CLAIM_OVERLAP_THRESHOLD: '1.5',
      CLAIM_OVERLAP_COMPLEMENTARY: 'blog_post:slide_deck',
    });
    assert.equal(code, 1, output);
    const [failure] = lines.filter((line) => line.message === 'start failed');
    assert.equal(failure?.code, 'CONFIG_INVALID');
    const error = String(failure?.error);
    assert.match(
      error,
      /CLAIM_OVERLAP_THRESHOLD must be a number greater than 0 and at most 1 \(got "1\.5"\)/,
    );
    assert.match(
      error,
      /CLAIM_OVERLAP_COMPLEMENTARY names the format "slide_deck" in "blog_post:slide_deck": the writers' formats are blog_post, newsletter, prospect_deck, or \* for any/,
    );
    assert.match(
      error,
      /CLAIM_OVERLAP_EMBEDDING_MODEL is required when CLAIM_OVERLAP_METHOD=embedding/,
    );
    assert.match(error, /MODEL_BASE_URL is required when CLAIM_OVERLAP_METHOD=embedding/);
    const pairs = await runCoordinator({ CLAIM_OVERLAP_COMPLEMENTARY: 'blog post' });
    assert.match(
      String(pairs.lines.find((line) => line.message === 'start failed')?.error),
      /CLAIM_OVERLAP_COMPLEMENTARY must be format pairs, e\.g\. blog_post:prospect_deck,newsletter:\*/,
    );
  });
});
