import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFleet, stopFleet, type AgentName, type FleetProcess } from '@paxfleet/cli';
import { deleteNamespace, eventRegistry } from '@paxfleet/events';
import { createKafka, kafkaConnectionFromEnv, type Admin } from '@paxfleet/kafka';
import { eventually } from '@paxfleet/kafka/testing';

// GET /workflows/:id on the real fleet: every writer of the catalog (done waits for all of
// them), seo and the oracle, in a namespace of their own on the real broker.
const catalog = eventRegistry().catalog;
const WRITERS = catalog.agents.filter((agent) => agent.format).map((agent) => agent.name);
const AGENTS: readonly AgentName[] = ['coordinator', 'research', ...WRITERS, 'seo', 'oracle'];
/** Below the ephemeral range, apart from the other fleet tests' (17070, 18070, 25070, 27070). */
const BASE_PORT = Number(process.env.WORKFLOW_TEST_BASE_PORT ?? 23070);
const run = randomBytes(3).toString('hex');
const namespace = `workflows-${run}`;
const workDir = mkdtempSync(join(tmpdir(), 'paxfleet-workflows-'));

interface Status {
  workflow_id: string;
  topic: string | null;
  requested_by: string | null;
  submitted_at: string | null;
  research: { state: string; agent: string | null; completed_at: string | null };
  claims: { work_key: string; state: string; holder: string | null; epoch: number }[];
  results: { agent: string; format: string; result_id: string; epoch: number }[];
  skips: { agent: string; outcome: string; reason: string }[];
  seo: { result_id: string; score: number }[];
  audit: { severity: string; findings: string[] }[];
  done: boolean;
  waiting_for: string[];
}

async function status(coordinator: FleetProcess, id: string) {
  const response = await fetch(`${coordinator.url}/workflows/${id}`);
  return { code: response.status, body: (await response.json()) as Status & { code?: string } };
}

const throwaway =
  process.env.PAXFLEET_THROWAWAY_BROKER === process.env.KAFKA_BROKERS ||
  process.env.PAXFLEET_E2E_ON_CLUSTER === '1';
const skip = throwaway
  ? false
  : 'KAFKA_BROKERS is not the throw-away broker of scripts/with-kafka.sh: set PAXFLEET_E2E_ON_CLUSTER=1 on a cluster no fleet uses';

describe('GET /workflows/:id on the fleet', { timeout: 300_000, skip }, () => {
  let fleet: Map<AgentName, FleetProcess> | undefined;
  let admin: Admin;

  before(async () => {
    admin = createKafka(kafkaConnectionFromEnv(process.env, 'workflow-status-test')).admin();
    await admin.connect();
    fleet = await startFleet({
      agents: AGENTS,
      namespace,
      basePort: BASE_PORT,
      logDir: join(workDir, 'logs'),
      podsDir: join(workDir, 'pods'),
      env: {
        KAFKA_BROKERS: process.env.KAFKA_BROKERS as string,
        HEARTBEAT_INTERVAL_MS: '1000',
        MODEL_OFFLINE_LATENCY_MS: '20',
      },
    });
  });

  after(async () => {
    if (fleet) await stopFleet(fleet);
    await deleteNamespace(admin, namespace).catch(() => undefined);
    await admin.disconnect();
  });

  it('follows a workflow from its 202 to done, and a restarted coordinator reads the same back', async () => {
    const coordinator = fleet?.get('coordinator') as FleetProcess;
    const topic = `workflow-status-${run}`;
    const response = await fetch(`${coordinator.url}/research`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic, requested_by: 'workflow test' }),
    });
    assert.equal(response.status, 202, await response.clone().text());
    const accepted = (await response.json()) as { workflow_id: string; trace_id: string };
    assert.match(accepted.trace_id, /^[0-9a-f]{32}$/);

    // Found at once: the coordinator knows the task it wrote before it reads it back.
    const first = await status(coordinator, accepted.workflow_id);
    assert.equal(first.code, 200, JSON.stringify(first.body));
    assert.equal(first.body.topic, topic);
    assert.equal(first.body.requested_by, 'workflow test');
    assert.equal(first.body.done, false);

    const finished = await eventually(
      () => status(coordinator, accepted.workflow_id),
      ({ body }) => body.done && body.audit.length > 0,
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    const done = finished.body;
    assert.equal(done.done, true, JSON.stringify(done));
    assert.deepEqual(done.waiting_for, []);
    assert.equal(done.research.state, 'complete');
    assert.equal(done.research.agent, 'research');
    assert.equal(done.results.length, 1, 'one writer won the topic');
    const [result] = done.results;
    assert.ok(result && WRITERS.includes(result.agent));
    assert.deepEqual(
      done.seo.map((report) => report.result_id),
      [result.result_id],
    );
    // The losers skipped the analysis and said who holds it.
    const losers = WRITERS.filter((writer) => writer !== result.agent);
    for (const loser of losers)
      assert.ok(
        done.skips.some((skip) => skip.agent === loser && skip.reason.includes(result.agent)),
        `${loser} skipped: ${JSON.stringify(done.skips)}`,
      );
    const claim = done.claims.find((entry) => entry.work_key === `content:${topic}`);
    assert.equal(claim?.holder, result.agent);
    assert.equal(claim.state, 'completed');
    assert.equal(claim.epoch, result.epoch);

    const unknown = await status(coordinator, 'workflow_nothere0');
    assert.equal(unknown.code, 404);
    assert.equal(unknown.body.code, 'WORKFLOW_NOT_FOUND');
    assert.equal((await status(coordinator, 'not-a-workflow')).code, 400);

    // A new coordinator has only the broker: it reads the window back and says the same.
    await coordinator.stop();
    coordinator.start();
    await coordinator.ready();
    const again = await status(coordinator, accepted.workflow_id);
    assert.equal(again.code, 200);
    assert.deepEqual(again.body, done);
  });
});
