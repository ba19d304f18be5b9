// The coordinator's API asks for a bearer token, and no secret reaches a log, proven on the
// real broker: a coordinator, research and a writer, each as its own SCRAM user under the
// catalog's ACLs (as the ACL test runs them), in a Kafka namespace of their own, with
// API_AUTH=token and two API_TOKENS (a rotation). A request without a token or with a wrong
// one gets 401, either token 202; the paxfleet command is refused without one and submits
// with one. Then every line the services logged (at debug, so each request is a line) and
// everything the command printed is searched for each secret of the run: the SCRAM passwords,
// both API tokens, the model's API key and the broker's TLS keys. None may appear.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  startFleet,
  stopFleet,
  type AgentName,
  type FleetOptions,
  type FleetProcess,
} from '@paxfleet/cli';
import { deleteNamespace, eventRegistry } from '@paxfleet/events';
import { agentUser } from '@paxfleet/events/agent-acls';
import { createKafka, kafkaConnectionFromEnv } from '@paxfleet/kafka';
import { eventually } from '@paxfleet/kafka/testing';
import {
  adminEnv,
  agentPasswords,
  agentScramEnvs,
  grantAgentAcls,
  skipWithoutAgentUsers,
} from './agent-users.ts';
import { readTopic } from './topic-log.ts';

const FLEET: readonly AgentName[] = ['coordinator', 'research', 'marketing'];
/** Not the other fleet tests' ports (17070, 18070, 21070, 23070, 24070, 25070, 27070). */
const BASE_PORT = Number(process.env.API_SECRETS_TEST_BASE_PORT ?? 28070);
const run = randomBytes(3).toString('hex');
const workDir = join(tmpdir(), `paxfleet-api-secrets-${run}`);
const namespace = `api-secrets-${run}`;
const registry = eventRegistry({ namespace });
const repository = join(dirname(fileURLToPath(import.meta.url)), '../..');

const OLD_TOKEN = `old-${randomBytes(18).toString('base64url')}`;
const NEW_TOKEN = `new-${randomBytes(18).toString('base64url')}`;
const MODEL_KEY = `sk-test-${randomBytes(18).toString('hex')}`;

const skip = skipWithoutAgentUsers;

function fleetOptions(): FleetOptions {
  return {
    agents: FLEET,
    namespace,
    basePort: BASE_PORT,
    logDir: join(workDir, 'logs'),
    podsDir: join(workDir, 'pods'),
    env: {
      ...adminEnv(),
      LOG_LEVEL: 'debug',
      MODEL_API_KEY: MODEL_KEY,
      API_AUTH: 'token',
      API_TOKENS: `${OLD_TOKEN},${NEW_TOKEN}`,
      API_BODY_LIMIT_BYTES: '4096',
    },
    agentEnv: agentScramEnvs(FLEET),
  };
}

const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;

/**
 * Every secret of the run, by what it is: each line of a PEM key's body stands for the key
 * (a log that printed a key would hold its lines).
 */
function secrets(): Map<string, string> {
  const found = new Map<string, string>([
    ['the old API token', OLD_TOKEN],
    ['the new API token', NEW_TOKEN],
    ['the model API key', MODEL_KEY],
    ['the admin SCRAM password', process.env.PAXFLEET_TEST_SCRAM_PASSWORD as string],
  ]);
  for (const name of FLEET) {
    const user = agentUser({ name });
    found.set(`${user}'s SCRAM password`, agentPasswords().get(user) as string);
  }
  // The broker's key is in its keystore (the CA's is deleted once it has signed); client
  // keys of the mTLS listener, if the run made them, beside it.
  const tls = dirname(process.env.PAXFLEET_TEST_SCRAM_CA as string);
  let keys = 0;
  for (const file of readdirSync(tls, { recursive: true, encoding: 'utf8' })) {
    const path = join(tls, file);
    if (!statSync(path).isFile()) continue;
    for (const [block] of readFileSync(path, 'utf8').matchAll(PRIVATE_KEY)) {
      keys += 1;
      const lines = block
        .split('\n')
        .filter((line) => line.length >= 32 && !line.startsWith('-----'));
      for (const [index, line] of lines.entries())
        found.set(`the key in ${file}, line ${index + 2}`, line);
    }
  }
  assert.ok(keys > 0, `no TLS private key in ${tls}`);
  return found;
}

interface Output {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The paxfleet command, run as an operator runs it; what it printed is kept for the search. */
const printed: string[] = [];
async function paxfleet(args: readonly string[], env: Record<string, string>): Promise<Output> {
  const child = spawn(
    process.execPath,
    ['--conditions=paxfleet-source', join(repository, 'services/cli/src/bin/paxfleet.ts'), ...args],
    {
      env: { PATH: process.env.PATH, ...adminEnv(), KAFKA_NAMESPACE: namespace, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const [code] = (await once(child, 'close')) as [number | null];
  printed.push(stdout, stderr);
  return { code, stdout, stderr };
}

describe(
  'the coordinator API with bearer tokens, and no secret in any log',
  { skip, timeout: 300_000 },
  () => {
    let fleet: Map<AgentName, FleetProcess> | undefined;
    let url = '';

    before(async () => {
      await grantAgentAcls(namespace);
      fleet = await startFleet(fleetOptions());
      url = fleet.get('coordinator')?.url as string;
    });

    after(async () => {
      if (fleet) await stopFleet(fleet);
      const admin = createKafka(kafkaConnectionFromEnv(process.env, 'api-secrets-test')).admin();
      await admin.connect();
      await deleteNamespace(admin, namespace).finally(() => admin.disconnect());
    });

    const research = (topic: string, headers: Record<string, string> = {}, brief = 'API test') =>
      fetch(`${url}/research`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ topic, brief }),
      });

    it('refuses a request without a valid token with 401, takes either token with 202, and the work is done', async () => {
      const topic = `api-${run}`;
      const none = await research(topic);
      assert.equal(none.status, 401);
      assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer /);
      assert.equal(((await none.json()) as { code: string }).code, 'AUTH_REQUIRED');
      const wrong = await research(topic, { authorization: `Bearer ${NEW_TOKEN}x` });
      assert.equal(wrong.status, 401);
      assert.equal(((await wrong.json()) as { code: string }).code, 'AUTH_INVALID');
      const large = await research(
        topic,
        { authorization: `Bearer ${OLD_TOKEN}` },
        'x'.repeat(5000),
      );
      assert.equal(large.status, 413);
      assert.equal(((await large.json()) as { code: string }).code, 'BODY_TOO_LARGE');
      assert.equal((await fetch(`${url}/healthz`)).status, 200, 'the probe needs no token');
      assert.equal((await fetch(`${url}/claims`)).status, 401, 'reads follow API_AUTH');

      const accepted = await research(topic, { authorization: `Bearer ${OLD_TOKEN}` });
      assert.equal(accepted.status, 202, await accepted.clone().text());
      const { workflow_id: workflow } = (await accepted.json()) as { workflow_id: string };
      const rotated = await research(`token-rotation-${run}`, {
        authorization: `Bearer ${NEW_TOKEN}`,
      });
      assert.equal(rotated.status, 202, 'the second token of the rotation is taken too');
      const status = await fetch(`${url}/workflows/${workflow}`, {
        headers: { authorization: `Bearer ${NEW_TOKEN}` },
      });
      assert.equal(status.status, 200);

      const results = await eventually(
        async () =>
          (await readTopic('content-results', registry)).filter(
            (event) => event.value.work_key === `content:${topic}`,
          ),
        (found) => found.length > 0,
        { timeoutMs: 120_000 },
      );
      assert.equal(results.length, 1);
    });

    it('the paxfleet command is refused without a token, and submits with one', async () => {
      const coordinator = { PAXFLEET_COORDINATOR_URL: url };
      const refused = await paxfleet(['submit', `cli-${run}`], coordinator);
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stderr, /401 .*set PAXFLEET_API_TOKEN or --token/);
      const wrong = await paxfleet(
        ['--token', `${OLD_TOKEN}x`, 'submit', `cli-${run}`],
        coordinator,
      );
      assert.equal(wrong.code, 1, wrong.stderr);
      assert.match(wrong.stderr, /PAXFLEET_API_TOKEN or --token is not one of its tokens/);
      const flag = await paxfleet(
        ['--token', NEW_TOKEN, '-o', 'json', 'submit', `cli-${run}`],
        coordinator,
      );
      assert.equal(flag.code, 0, flag.stderr);
      assert.match(flag.stdout, /workflow_/);
      const variable = await paxfleet(['-o', 'json', 'claims'], {
        ...coordinator,
        PAXFLEET_API_TOKEN: OLD_TOKEN,
      });
      assert.equal(variable.code, 0, variable.stderr);
    });

    it('no secret of the run is in any service log line or in what the command printed', async () => {
      if (fleet) await stopFleet(fleet);
      fleet = undefined;
      const logDir = join(workDir, 'logs');
      const logs = readdirSync(logDir).map((file) => ({
        file,
        text: readFileSync(join(logDir, file), 'utf8'),
      }));
      assert.deepEqual(
        logs.map(({ file }) => file).sort(),
        FLEET.map((name) => `${name}.log`).sort(),
      );
      const requests = logs
        .find(({ file }) => file === 'coordinator.log')
        ?.text.split('\n')
        .filter((line) => line.includes('"request completed"'));
      assert.ok((requests?.length ?? 0) >= 8, 'each request is a log line (LOG_LEVEL=debug)');
      assert.ok(existsSync(process.env.PAXFLEET_TEST_SCRAM_CA as string));
      const sources = [...logs, { file: 'the paxfleet command', text: printed.join('\n') }];
      const leaks: string[] = [];
      for (const [what, secret] of secrets()) {
        assert.ok(secret && secret.length >= 8, `${what} is known`);
        for (const { file, text } of sources)
          if (text.includes(secret)) leaks.push(`${what} in ${file}`);
      }
      assert.deepEqual(leaks, []);
    });
  },
);
