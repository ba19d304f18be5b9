import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import {
  AGENTS,
  formatCost,
  formatDiff,
  formatTimeline,
  replayWorkflow,
  startFleet,
  workflowCost,
  stopFleet,
  workflowTimeline,
  type AgentName,
  type FleetProcess,
} from '@paxfleet/cli';
import { createKafka, kafkaConnectionFromEnv } from '@paxfleet/kafka';
import { TopicConfigAdmin } from '@paxfleet/kafka/topic-configs';
import { applyCatalog, Bodies, eventRegistry, type TopicValues } from '@paxfleet/events';
import { blobConfig, blobStoreFromConfig } from '@paxfleet/agent-kit';
import { lookUpWorkflow } from '@paxfleet/archive';
import { loadConfig } from '@paxfleet/core';
import { researchTopics } from './research-topics.ts';
import { readTopic } from './topic-log.ts';

const WRITERS = ['marketing', 'sales', 'content'] as const;
const RESEARCH_INLINE_MAX_BYTES = 512;
/** The ledger's price table in this test: USD per million tokens of the offline model. */
const PRICE = { input: 0.15, output: 0.6 };
const run = randomBytes(3).toString('hex');
const topicOf = researchTopics(run);
/**
 * Where the fleet listens (FLEET_TEST_BASE_PORT: two runs on one machine), and a replay's
 * shadow fleet; both below 32768, where Linux takes ephemeral ports for outgoing connections.
 */
const BASE_PORT = Number(process.env.FLEET_TEST_BASE_PORT ?? 17070);
const SHADOW_BASE_PORT = BASE_PORT + 10_000;
const workDir = mkdtempSync(join(tmpdir(), 'paxfleet-e2e-'));
let fleet: Map<AgentName, FleetProcess>;

async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function submit(topic: string): Promise<string> {
  const response = await fetch(`${fleet.get('coordinator')?.url}/research`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ topic, brief: `e2e ${run}` }),
  });
  assert.equal(response.status, 202, await response.clone().text());
  return ((await response.json()) as { workflow_id: string }).workflow_id;
}

/** Submits a research task and waits for the end of its workflow: seo's report on the piece. */
async function submitAndFinish(topic: string): Promise<string> {
  const workflow = await submit(topic);
  await eventually(
    async () =>
      (await readTopic('seo-reports')).filter(
        (event) => event.value.work_key === `content:${topic}`,
      ),
    (found) => found.length > 0,
  );
  return workflow;
}

async function resultsFor(topics: readonly string[]) {
  return (await readTopic('content-results')).filter((event) => topics.includes(event.value.topic));
}

async function writerActivityFor(workflows: ReadonlySet<string>) {
  return (await readTopic('agent-activity')).filter(
    (event) =>
      workflows.has(event.value.workflow_id) &&
      (WRITERS as readonly string[]).includes(event.value.agent),
  );
}

const repository = new URL('../../', import.meta.url).pathname;

/** The paxfleet command, run as a user runs it, on this fleet; its exit code and output. */
async function paxfleet(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=paxfleet-source', join(repository, 'services/cli/src/bin/paxfleet.ts'), ...args],
    {
      env: {
        PATH: process.env.PATH,
        KAFKA_BROKERS: process.env.KAFKA_BROKERS,
        PAXFLEET_COORDINATOR_URL: fleet.get('coordinator')?.url,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(killer);
  return { code, stdout, stderr };
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

// The fleet uses the catalog's topics and consumer groups: on a cluster where a
// real fleet runs, its agents would join that fleet's groups and take its work.
const throwaway =
  process.env.PAXFLEET_THROWAWAY_BROKER === process.env.KAFKA_BROKERS ||
  process.env.PAXFLEET_E2E_ON_CLUSTER === '1';
const skip = throwaway
  ? false
  : 'KAFKA_BROKERS is not the throw-away broker of scripts/with-kafka.sh: set PAXFLEET_E2E_ON_CLUSTER=1 to run the fleet on a cluster no real fleet uses';

describe('the fleet on a real broker', { timeout: 600_000, skip }, () => {
  before(async () => {
    const connection = kafkaConnectionFromEnv(process.env, 'fleet-test');
    const admin = createKafka(connection).admin();
    const configs = new TopicConfigAdmin(connection);
    await admin.connect();
    await applyCatalog(admin, configs, eventRegistry().catalog, await configs.cluster());
    await admin.disconnect();
    await configs.close();
    fleet = await startFleet({
      basePort: BASE_PORT,
      logDir: join(workDir, 'logs'),
      podsDir: join(workDir, 'pods'),
      env: {
        KAFKA_BROKERS: process.env.KAFKA_BROKERS as string,
        LOG_LEVEL: 'info',
        HEARTBEAT_INTERVAL_MS: '1000',
        MODEL_OFFLINE_LATENCY_MS: '50',
        MODEL_PRICES: JSON.stringify({ 'offline-deterministic-1': PRICE }),
        ...(process.env.OTEL_EXPORTER_OTLP_ENDPOINT && {
          OTEL_EXPORTER_OTLP_ENDPOINT: process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
          OTEL_BSP_SCHEDULE_DELAY: '200',
        }),
      },
      // Research's analyses (over 1 KB) go through the object store; articles ride inline.
      agentEnv: {
        research: { BLOB_INLINE_MAX_BYTES: String(RESEARCH_INLINE_MAX_BYTES) },
        archiver: { ARCHIVE_FLUSH_MS: '500' },
      },
    });
  });

  after(() => stopFleet(fleet));

  it('20 research topics at once: exactly one content result each, 40 skips that name the winner, workflow-id on every record', async () => {
    const topics = Array.from({ length: 20 }, (_, index) => topicOf(`topic-${index}`));
    const workflows = new Map<string, string>();
    await Promise.all(topics.map(async (topic) => workflows.set(topic, await submit(topic))));
    const workflowIds = new Set(workflows.values());

    const results = await eventually(
      () => resultsFor(topics),
      (found) => found.length >= 20,
    );
    const activity = await eventually(
      () => writerActivityFor(workflowIds),
      (found) => found.length >= 60,
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const finalResults = await resultsFor(topics);

    assert.equal(finalResults.length, 20, 'one result per topic, no more');
    assert.equal(new Set(finalResults.map((event) => event.value.work_key)).size, 20);
    const winners = new Map(results.map((event) => [event.value.workflow_id, event.value.agent]));
    const skips = activity.filter((event) => event.value.outcome === 'skipped');
    assert.equal(skips.length, 40);
    for (const skip of skips) {
      const winner = winners.get(skip.value.workflow_id);
      assert.match(
        skip.value.reason,
        new RegExp(`^already (claimed|completed) by ${winner}$`),
        `${skip.value.agent}: ${skip.value.reason}`,
      );
      assert.notEqual(skip.value.agent, winner);
    }
    assert.equal(activity.filter((event) => event.value.outcome === 'processed').length, 20);

    for (const topic of [
      'research-tasks',
      'research-events',
      'content-results',
      'agent-activity',
      'claim-requests',
      'content-claims',
    ] as const) {
      const records = (await readTopic(topic)).filter((event) =>
        workflowIds.has(event.headers['workflow-id'] ?? ''),
      );
      assert.ok(records.length >= 20, `${topic} holds the workflows' records`);
      for (const record of records) {
        const bodyWorkflow = (record.value as { workflow_id?: string }).workflow_id;
        if (bodyWorkflow)
          assert.equal(
            record.headers['workflow-id'],
            bodyWorkflow,
            `${topic} header matches its body`,
          );
        assert.ok(
          record.headers.traceparent && record.headers['event-type'] && record.headers.producer,
          `${topic} headers`,
        );
      }
    }
  });

  it('two topics that are one piece of work get one article, the skips naming the overlap (agents, timeline); two related but distinct topics get two', async () => {
    // The pair shares a suffix of its own (this run, not any other on this broker); the
    // distinct topics each have their own.
    const tag = randomBytes(3).toString('hex');
    const same = [`agent-observability-platforms-${tag}`, `observability-for-ai-agents-${tag}`];
    const distinct = [topicOf('kafka-security'), topicOf('kafka-performance')];
    const workflows = new Map<string, string>();
    await Promise.all(
      [...same, ...distinct].map(async (topic) => workflows.set(topic, await submit(topic))),
    );
    const ids = new Set(workflows.values());
    await eventually(
      () => writerActivityFor(ids),
      (found) => found.length >= 3 * ids.size,
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));

    const sameResults = await resultsFor(same);
    assert.equal(sameResults.length, 1, 'one article for the two phrasings');
    assert.equal((await resultsFor(distinct)).length, 2, 'two articles for two pieces of work');
    const [winner] = sameResults;
    const loser = same.find((topic) => topic !== winner?.value.topic) as string;
    const loserWorkflow = workflows.get(loser) as string;
    const skips = (await writerActivityFor(new Set([loserWorkflow]))).filter(
      (event) => event.value.outcome === 'skipped',
    );
    assert.equal(skips.length, 3, 'every writer skips the repeat');
    for (const skip of skips)
      assert.match(
        skip.value.reason,
        new RegExp(
          `^overlaps content:${winner?.value.topic} \\((?:0\\.\\d\\d|1\\.00)\\), (claimed|completed) by ${winner?.value.agent}$`,
        ),
      );
    const logged = WRITERS.flatMap((writer) =>
      readFileSync(join(workDir, 'logs', `${writer}.log`), 'utf8')
        .split('\n')
        .filter((line) => line.includes(`Skipping ${loser} - overlaps ${winner?.value.topic} (`)),
    );
    assert.equal(logged.length, 3, 'each writer says what the topic overlaps and who has it');
    const timeline = await workflowTimeline(
      kafkaConnectionFromEnv(process.env, 'overlap-timeline-test'),
      eventRegistry(),
      loserWorkflow,
    );
    const denials = formatTimeline(timeline)
      .split('\n')
      .filter((line) => line.includes('content-claims') && line.includes('decision=denied'));
    assert.ok(denials.length >= 1, 'the timeline shows the denials');
    for (const line of denials) assert.match(line, /reason=overlaps content:/);
    const claim = await paxfleet(['claims', `content:${loser}`, '-o', 'json']);
    assert.equal(claim.code, 0, claim.stderr);
    const shown = JSON.parse(claim.stdout) as { overlap: { work_key: string; holder: string } };
    assert.equal(shown.overlap.work_key, `content:${winner?.value.topic}`);
    assert.equal(shown.overlap.holder, winner?.value.agent);
    const history = await paxfleet(['claims', `content:${loser}`]);
    assert.match(history.stdout, /denied .* overlaps content:/);
  });

  it('the paxfleet command on the fleet: submit --wait, workflow, tail by workflow, claims, lag, agents, timeline and a dead letter re-driven once, in table and JSON; bad input is one line and exit 2', async () => {
    const topic = topicOf('cli');
    const waited = await paxfleet(['submit', topic, '--wait', '--timeout', '3m', '-o', 'json']);
    assert.equal(waited.code, 0, waited.stderr);
    const accepted = JSON.parse(waited.stdout) as {
      workflow_id: string;
      trace_id?: string;
      status: { done: boolean; results: { agent: string }[]; research: { state: string } };
    };
    assert.match(accepted.workflow_id, /^workflow_/);
    assert.equal(accepted.status.done, true);
    assert.equal(accepted.status.research.state, 'complete');
    assert.equal(accepted.status.results.length, 1);
    const workflow = accepted.workflow_id;

    const live = await paxfleet(['submit', topicOf('submit-live'), '--wait', '--timeout', '3m']);
    assert.equal(live.code, 0, live.stderr);
    assert.match(live.stdout, /^submitted submit-live-\w+: workflow_\w+; waiting$/m);
    assert.match(live.stdout, /research-events\[\d+\]@\d+ +analysis_complete/, 'steps shown live');
    assert.match(live.stdout, /^ {2}written +\w+: /m);
    assert.match(live.stdout, /^ {2}done$/m);

    const shown = await paxfleet(['workflow', workflow]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, new RegExp(`^${workflow} +${topic}`));

    const tail = await paxfleet([
      'tail',
      'research-events',
      '--from-beginning',
      '--workflow',
      workflow,
      '--exit-at-end',
      '-o',
      'json',
    ]);
    assert.equal(tail.code, 0, tail.stderr);
    const records = jsonLines(tail.stdout);
    assert.ok(records.length >= 1, tail.stdout);
    for (const record of records) {
      assert.equal((record.headers as Record<string, string>)['workflow-id'], workflow);
      assert.equal((record.value as { topic: string }).topic, topic);
    }
    assert.deepEqual(
      records.map((record) => (record.headers as Record<string, string>)['event-type']).slice(-1),
      ['analysis_complete'],
    );
    const tailTable = await paxfleet([
      'tail',
      'research-events',
      '--from-beginning',
      '--workflow',
      workflow,
      '-e',
      '-n',
      '1',
    ]);
    assert.equal(tailTable.code, 0, tailTable.stderr);
    assert.equal(tailTable.stdout.trim().split('\n').length, 1);
    assert.match(tailTable.stdout, /research-events\[\d+\]@\d+ +analysis_\w+ +research +/);

    const claims = await paxfleet(['claims', '-o', 'json']);
    assert.equal(claims.code, 0, claims.stderr);
    const claim = (JSON.parse(claims.stdout) as { work_key: string; state: string }[]).find(
      (entry) => entry.work_key === `content:${topic}`,
    );
    assert.equal(claim?.state, 'completed');
    const history = await paxfleet(['claims', `content:${topic}`]);
    assert.equal(history.code, 0, history.stderr);
    assert.match(history.stdout, /^DECIDED +DECISION +STATE +HOLDER +EPOCH +REASON$/m);
    assert.match(history.stdout, /granted/);

    const lag = await paxfleet(['lag', '-o', 'json']);
    assert.equal(lag.code, 0, lag.stderr);
    const rows = JSON.parse(lag.stdout) as { group: string; lag_messages: number }[];
    for (const agent of ['research', 'marketing', 'seo'])
      assert.ok(
        rows.some((row) => row.group === eventRegistry().catalog.agent(agent).group),
        `${agent}'s group in ${lag.stdout.slice(0, 500)}`,
      );
    const lagTable = await paxfleet([
      'lag',
      '--group',
      eventRegistry().catalog.agent('research').group,
    ]);
    assert.equal(lagTable.code, 0, lagTable.stderr);
    assert.match(lagTable.stdout, /^GROUP +TOPIC +PARTITION +COMMITTED +END +LAG +LAG SECONDS$/m);

    const agents = await paxfleet(['agents', '-o', 'yaml']);
    assert.equal(agents.code, 0, agents.stderr);
    for (const agent of ['research', 'marketing', 'sales', 'content', 'seo'])
      assert.match(agents.stdout, new RegExp(`agent: ${agent}$`, 'm'));

    const timeline = await paxfleet(['timeline', workflow, '-o', 'json']);
    assert.equal(timeline.code, 0, timeline.stderr);
    const entries = (JSON.parse(timeline.stdout) as { entries: { topic: string }[] }).entries;
    assert.ok(entries.some((entry) => entry.topic === 'content-results'));

    // A record research cannot decode becomes a dead letter; re-driven, it is published once.
    const producer = createKafka(kafkaConnectionFromEnv(process.env, 'cli-test')).producer();
    await producer.connect();
    const garbageKey = `e2e-${run}-garbage`;
    await producer.send({
      topic: 'research-tasks',
      messages: [{ key: garbageKey, value: Buffer.from(`not avro ${run}`) }],
    });
    await producer.disconnect();
    type Letter = { id: string; sourceTopic: string; sourceOffset: number; redrive?: unknown };
    const listed = await eventually(
      async () => {
        const list = await paxfleet([
          'dead-letters',
          'list',
          '--source-topic',
          'research-tasks',
          '-o',
          'json',
        ]);
        assert.equal(list.code, 0, list.stderr);
        return (JSON.parse(list.stdout) as { rows: Letter[] }).rows;
      },
      (rows) => rows.length > 0,
    );
    const letter = listed.at(-1) as Letter;
    const table = await paxfleet(['dead-letters', '--source-topic', 'research-tasks']);
    assert.match(table.stdout, /^ID +FAILED +SOURCE +CODE +BY +WORKFLOW +REDRIVEN +REASON$/m);
    assert.match(
      table.stdout,
      new RegExp(`^${letter.id} .*research-tasks\\[\\d+\\]@${letter.sourceOffset} `, 'm'),
    );
    const detail = await paxfleet(['dead-letters', 'show', letter.id]);
    assert.equal(detail.code, 0, detail.stderr);
    assert.match(detail.stdout, new RegExp(`key +${garbageKey}`));
    assert.match(detail.stdout, new RegExp(`value +does not decode .*not avro ${run}`));
    const redriven = await paxfleet(['dead-letters', 'redrive', letter.id, '-o', 'json']);
    assert.equal(redriven.code, 0, redriven.stderr);
    assert.equal((JSON.parse(redriven.stdout) as { status: string }[])[0]?.status, 'redriven');
    const again = await paxfleet(['dead-letters', 'redrive', letter.id, '9999:0']);
    assert.equal(again.code, 1, 'an id not found');
    assert.match(again.stdout, new RegExp(`^${letter.id} +already-redriven `, 'm'));
    assert.match(again.stdout, /^9999:0 +not-found/m);
    const raw = await paxfleet([
      'tail',
      'research-tasks',
      '--from-beginning',
      '--key',
      garbageKey,
      '-e',
      '-o',
      'json',
    ]);
    const published = jsonLines(raw.stdout);
    assert.equal(published.length, 2, 'the original and one copy');
    assert.equal((published[1]?.headers as Record<string, string>)['redriven-from'], letter.id);
    assert.ok(published.every((record) => typeof record.undecodable === 'string'));

    const unknown = await paxfleet(['tail', 'no-such-topic']);
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /^paxfleet: CLI_USAGE: unknown topic "no-such-topic"; the catalog's topics: /,
    );
    assert.equal(unknown.stderr.trim().split('\n').length, 1, unknown.stderr);
    const missing = await paxfleet(['workflow', 'workflow_nothere']);
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      /^paxfleet: CLI_NOT_FOUND: GET \/workflows\/workflow_nothere: 404 /,
    );
    const noBroker = await paxfleet(['lag'], { KAFKA_BROKERS: '' });
    assert.equal(noBroker.code, 2);
    assert.match(noBroker.stderr, /KAFKA_BROKERS/);
  });

  it(
    'bodies cross "pods" only through Kafka and the S3 server: large ones by reference, small ones inline',
    {
      skip: process.env.BLOB_S3_BUCKET
        ? false
        : 'BLOB_S3_BUCKET is not set (make test runs this under scripts/with-s3.sh)',
    },
    async () => {
      const topic = topicOf('bodies');
      const workflow = await submit(topic);
      const [result] = await eventually(
        () => resultsFor([topic]),
        (found) => found.length > 0,
      );
      const [research] = (await readTopic('research-events')).filter(
        (event) => event.value.workflow_id === workflow,
      );
      assert.ok(research && result, 'research and a result for the workflow');
      const over = research.value;
      assert.equal(over.body, null, 'the analysis is over the inline threshold');
      assert.match(over.output_path, new RegExp(`^s3://${process.env.BLOB_S3_BUCKET}/research/`));
      assert.ok(result.value.body, 'the article is under the threshold and rides inline');
      assert.equal(result.value.body_ref, '');
      // The writer could only have read the analysis from S3: no process keeps a body on disk.
      const pods = ['research', result.value.agent] as AgentName[];
      for (const pod of pods) {
        const files = readdirSync((fleet.get(pod) as FleetProcess).dir, { recursive: true });
        assert.ok(
          !files.some((file) => String(file).endsWith('.md')),
          `${pod}'s own directory holds no body: ${files.join(', ')}`,
        );
      }
    },
  );

  it(
    'one workflow is one trace in Jaeger, with spans from the coordinator, research, the claim winner and seo',
    {
      skip: process.env.JAEGER_QUERY_URL
        ? false
        : 'JAEGER_QUERY_URL is not set (make test runs this under scripts/with-jaeger.sh)',
    },
    async () => {
      const topic = topicOf('traced');
      const workflow = await submit(topic);
      const [result] = await eventually(
        () => resultsFor([topic]),
        (found) => found.length > 0,
      );
      const winner = result?.value.agent;
      const query = `${process.env.JAEGER_QUERY_URL}/api/traces?service=coordinator&tags=${encodeURIComponent(
        JSON.stringify({ 'workflow.id': workflow }),
      )}&limit=20&lookback=1h`;
      interface JaegerTrace {
        traceID: string;
        spans: { spanID: string; operationName: string; processID: string }[];
        processes: Record<string, { serviceName: string }>;
      }
      const services = (trace: JaegerTrace) =>
        new Set(trace.spans.map((span) => trace.processes[span.processID]?.serviceName));
      const traces = await eventually(
        async () => ((await (await fetch(query)).json()) as { data: JaegerTrace[] }).data ?? [],
        (found) =>
          found.some((trace) =>
            ['coordinator', 'research', winner, 'seo'].every((name) => services(trace).has(name)),
          ),
        60_000,
      );
      assert.equal(traces.length, 1, 'the workflow is a single trace');
      const trace = traces[0] as JaegerTrace;
      const seen = services(trace);
      for (const name of ['coordinator', 'research', winner, 'seo'])
        assert.ok(seen.has(name), `${name} has spans in the trace`);
      const perService = new Map<string, number>();
      for (const span of trace.spans) {
        const name = trace.processes[span.processID]?.serviceName ?? '?';
        perService.set(name, (perService.get(name) ?? 0) + 1);
      }
      const counts = [...perService].sort().map(([name, count]) => `${name} ${count}`);
      console.log(`trace ${trace.traceID}: ${trace.spans.length} spans (${counts.join(', ')})`);

      // The winner's log line for the workflow names the trace and the winner's own span in it.
      const line = readFileSync(join(workDir, 'logs', `${winner}.log`), 'utf8')
        .split('\n')
        .filter((text) => text.startsWith('{'))
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((entry) => entry.workflow_id === workflow && entry.message === 'event processed');
      assert.ok(line, `${winner} logged "event processed" for ${workflow}`);
      assert.equal(line.trace_id, trace.traceID);
      const span = trace.spans.find((candidate) => candidate.spanID === line.span_id);
      assert.equal(span && trace.processes[span.processID]?.serviceName, winner);
    },
  );

  it('a workflow replays as a timeline from every topic, in causal order', async () => {
    const topic = topicOf('timeline');
    const workflow = await submitAndFinish(topic);
    const timeline = await workflowTimeline(
      kafkaConnectionFromEnv(process.env, 'timeline-test'),
      eventRegistry(),
      workflow,
    );
    const first = (name: string) => timeline.findIndex((entry) => entry.topic === name);
    assert.equal(timeline[0]?.topic, 'research-tasks', 'the task starts the workflow');
    const order = [
      'research-tasks',
      'research-events',
      'claim-requests',
      'content-claims',
      'content-results',
      'seo-reports',
    ];
    const firsts = order.map(first);
    assert.ok(
      firsts.every((index) => index >= 0),
      `every step is in the timeline: ${firsts.join(', ')}`,
    );
    assert.deepEqual(
      [...firsts].sort((x, y) => x - y),
      firsts,
      `in order: ${order.join(' < ')}`,
    );
    assert.ok(
      timeline.some((entry) => entry.topic === 'agent-activity' && entry.producer === 'seo'),
    );
    console.log(formatTimeline(timeline.filter((entry) => entry.topic !== 'agent-progress')));

    // The ledger: research's analysis, the winner's draft and seo's polish are model calls of
    // the workflow, each priced by MODEL_PRICES; the writers that lost the claim called nothing.
    const [result] = await resultsFor([topic]);
    const calls = timeline
      .filter((entry) => entry.topic === 'model-calls')
      .map((entry) => entry.value as TopicValues['model-calls']);
    const callers = new Set(calls.map((call) => call.agent));
    assert.ok(
      callers.has('research') && result && callers.has(result.value.agent),
      [...callers].join(),
    );
    for (const writer of WRITERS)
      if (writer !== result?.value.agent)
        assert.ok(!callers.has(writer), `${writer} lost the claim`);
    for (const call of calls) {
      assert.equal(call.outcome, 'ok');
      assert.match(call.prompt_hash, /^[0-9a-f]{64}$/);
      assert.ok(call.prompt_tokens > 0 && call.completion_tokens > 0);
      assert.equal(
        call.cost_usd,
        (call.prompt_tokens * PRICE.input + call.completion_tokens * PRICE.output) / 1e6,
      );
      assert.ok(call.completion || call.completion_ref, 'the completion, inline or by reference');
    }
    const cost = workflowCost(timeline);
    const sum = (pick: (call: (typeof calls)[number]) => number) =>
      calls.reduce((total, call) => total + pick(call), 0);
    assert.equal(cost.calls, calls.length);
    assert.equal(
      cost.promptTokens,
      sum((call) => call.prompt_tokens),
    );
    assert.equal(
      cost.completionTokens,
      sum((call) => call.completion_tokens),
    );
    assert.ok(Math.abs(cost.usd - sum((call) => call.cost_usd)) < 1e-12);
    console.log(formatCost(cost));

    // From the broker's time index: the same history, without reading every partition from its start.
    const scans: { partitions: number; records: number }[] = [];
    const fromStart = await workflowTimeline(
      kafkaConnectionFromEnv(process.env, 'timeline-test'),
      eventRegistry(),
      workflow,
      { scanned: (scan) => scans.push(scan) },
    );
    const fromTime = await workflowTimeline(
      kafkaConnectionFromEnv(process.env, 'timeline-test'),
      eventRegistry(),
      workflow,
      { since: (timeline[0]?.timestamp ?? 0) - 1000, scanned: (scan) => scans.push(scan) },
    );
    const ids = (entries: typeof timeline) =>
      entries.map((entry) => `${entry.topic}/${entry.partition}/${entry.offset}`);
    assert.deepEqual(ids(fromTime), ids(fromStart));
    const [all, recent] = scans;
    assert.ok(all && recent && recent.records < all.records, `scans: ${JSON.stringify(scans)}`);
    console.log(
      `timeline from the time index: ${recent.records} records read instead of ${all.records}`,
    );
  });

  it('a workflow replayed in a shadow namespace with its recorded model outputs does the same; with the winning writer’s prompt changed only its piece and what is computed from it differ; nothing live moves', async () => {
    const topic = topicOf('replay');
    const workflow = await submitAndFinish(topic);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const connection = kafkaConnectionFromEnv(process.env, 'replay-test');
    const admin = createKafka(connection).admin();
    await admin.connect();
    // agent-progress is left out: the live fleet's heartbeats move it all along.
    const live = eventRegistry()
      .catalog.topics.map((spec) => spec.name)
      .filter((name) => name !== 'agent-progress');
    const snapshot = async () => {
      const ends = await Promise.all(
        live.map(async (name) =>
          (await admin.fetchTopicOffsets(name)).map((p) => `${name}[${p.partition}]=${p.high}`),
        ),
      );
      const groups = (await admin.listGroups()).groups.map((group) => group.groupId).sort();
      const committed = await Promise.all(
        groups
          .filter((group) => group.startsWith('paxfleet-') && !group.includes('reader'))
          .map(async (groupId) =>
            JSON.stringify(await admin.fetchOffsets({ groupId, topics: live })),
          ),
      );
      return { ends: ends.flat(), groups, committed };
    };
    const before = await snapshot();
    const store = process.env.BLOB_S3_BUCKET
      ? blobStoreFromConfig(loadConfig(blobConfig, { ...process.env, BLOB_STORE: 's3' }))
      : undefined;
    const bodies = new Bodies({ inlineMaxBytes: 0, ...(store && { store }) });
    // The shadow's research stores its analysis by reference, as the live one does.
    const shadowEnv = { research: { BLOB_INLINE_MAX_BYTES: String(RESEARCH_INLINE_MAX_BYTES) } };
    const replay = (name: string, agentEnv: Record<string, Record<string, string>> = {}) =>
      replayWorkflow({
        workflowId: workflow,
        env: {
          KAFKA_BROKERS: process.env.KAFKA_BROKERS as string,
          MODEL_OFFLINE_LATENCY_MS: '50',
          MODEL_PRICES: JSON.stringify({ 'offline-deterministic-1': PRICE }),
        },
        bodies,
        ...(store && { blobs: store }),
        workDir: join(workDir, name),
        basePort: SHADOW_BASE_PORT,
        agentEnv: { ...shadowEnv, ...agentEnv },
        log: (line) => console.log(line),
      });
    try {
      const same = await replay('replay-same');
      console.log(formatDiff(same.diff));
      assert.ok(same.recordings > 0);
      assert.equal(same.replayed, same.recordings, 'every model call answered from the ledger');
      assert.ok(same.diff.empty, formatDiff(same.diff));
      assert.ok(same.original.decisions.length >= 5, same.original.decisions.join('\n'));

      if (store)
        assert.ok(
          same.removed.blobs > 0,
          'the shadow research wrote its bodies under its namespace',
        );

      // The writer that won, with a changed prompt: its piece differs, and so do the reports
      // computed from that piece (seo's, the oracle's); research and every decision do not.
      const [result] = await resultsFor([topic]);
      const winner = result?.value.agent as string;
      const changed = await replay('replay-changed', {
        [winner]: { AGENT_PROMPT_NOTE: 'Write for finance teams.' },
      });
      console.log(formatDiff(changed.diff));
      assert.deepEqual(changed.diff.decisions, { missing: [], added: [] });
      assert.deepEqual(changed.diff.claims, { missing: [], added: [] });
      const differ = changed.diff.outputs.map((output) => output.what);
      assert.ok(differ.includes(`content-results ${winner} content-result`), differ.join('; '));
      for (const what of differ)
        assert.match(
          what,
          new RegExp(`^(content-results ${winner} |seo-reports seo |audit-findings oracle )`),
          `only ${winner}'s piece and what was computed from it: ${what}`,
        );
      assert.ok(changed.replayed < changed.recordings, `${winner}'s calls went to the model`);
      for (const removed of [same.removed, changed.removed]) {
        assert.ok(
          removed.topics.length >= 10 && removed.topics.every((t) => t.startsWith('shadow-')),
        );
        assert.ok(removed.groups.every((group) => group.startsWith('shadow-')));
      }
      const after = await snapshot();
      assert.deepEqual(after.ends, before.ends, 'live topics: not one record more');
      assert.deepEqual(after.committed, before.committed, 'live groups: offsets unchanged');
      assert.deepEqual(
        after.groups.filter((group) => !before.groups.includes(group)),
        [],
        'no group left behind, live or shadow',
      );
      assert.deepEqual(
        (await admin.listTopics()).filter((name) => name.startsWith('shadow-')),
        [],
      );
    } finally {
      await admin.disconnect();
      store?.close();
    }
  });

  it('every agent exports its own consumer lag and when it last reported progress; the coordinator exports the whole fleet’s lag', async () => {
    const scrape = async (agent: AgentName) =>
      (await fetch(`${fleet.get(agent)?.url}/metrics`)).text();
    const reportedAt = async (agent: AgentName) => {
      const found = new RegExp(
        `paxfleet_agent_progress_reported_timestamp_seconds\\{agent="${agent}"\\} ([\\d.e+]+)`,
      ).exec(await scrape(agent));
      assert.ok(found, `${agent} exports paxfleet_agent_progress_reported_timestamp_seconds`);
      return Number(found[1]);
    };
    for (const agent of ['research', 'marketing', 'seo', 'oracle'] as const) {
      assert.match(
        await scrape(agent),
        new RegExp(
          `kafka_consumer_lag_seconds\\{consumer_group="paxfleet-${agent}",topic="[a-z-]+",partition="\\d+"\\} \\d`,
        ),
      );
    }
    // Idle agents heartbeat (every second in this test): each one's timestamp moves on.
    await Promise.all(
      (['research', 'marketing', 'seo', 'oracle'] as const).map(async (agent) => {
        const first = await reportedAt(agent);
        const later = await eventually(
          () => reportedAt(agent),
          (at) => at > first,
        );
        assert.ok(later > first, `${agent} reported progress again after ${first}`);
      }),
    );
    const fleetWide = await scrape('coordinator');
    for (const agent of [
      'research',
      'marketing',
      'sales',
      'content',
      'seo',
      'oracle',
      'coordinator',
    ]) {
      assert.match(
        fleetWide,
        new RegExp(`kafka_consumer_lag_messages\\{consumer_group="paxfleet-${agent}"`),
        agent,
      );
    }
    assert.match(
      fleetWide,
      /kafka_topic_partition_end_offset\{topic="dead-letters",partition="0"\} \d/,
    );
  });

  it('the old configuration fails across pods (a file store in each pod), the shipped one succeeds', async () => {
    const agents = ['research', ...WRITERS] as const;
    const restart = (env: Record<string, string>) =>
      Promise.all(
        agents.map(async (agent) => {
          const process = fleet.get(agent) as FleetProcess;
          await process.stop();
          process.start(env);
          await process.ready();
        }),
      );
    const writerOutcomes = async (workflow: string) =>
      eventually(
        () => writerActivityFor(new Set([workflow])),
        (found) => found.length >= WRITERS.length,
      );
    // Before: every body went to a file store in the writer's BLOB_DIR; with a disk of its
    // own per pod, research's file is not on the writers' disks.
    await restart({ BLOB_STORE: 'file', BLOB_DIR: 'blobs', BLOB_INLINE_MAX_BYTES: '0' });
    let before;
    try {
      before = await writerOutcomes(await submit(topicOf('old-config')));
    } finally {
      await restart({});
    }
    assert.equal(before.length, WRITERS.length);
    for (const event of before) {
      assert.equal(event.value.outcome, 'failed', `${event.value.agent}: ${event.value.reason}`);
      assert.match(
        event.value.reason,
        new RegExp(
          `^research unreadable: BLOB_REF_INVALID: "file://.*/pods/research/blobs/research/.*" is outside the blob store at .*/pods/${event.value.agent}/blobs$`,
        ),
        "research's file is on research's own disk, which no writer's pod has",
      );
    }
    const topic = topicOf('shipped-config');
    const after = await writerOutcomes(await submit(topic));
    assert.deepEqual(after.map((event) => event.value.outcome).sort(), [
      'processed',
      'skipped',
      'skipped',
    ]);
    assert.equal((await resultsFor([topic])).length, 1);
  });

  it('a writer killed with SIGKILL mid-draft and restarted: still exactly one result per topic', async () => {
    const topics = Array.from({ length: 6 }, (_, index) => topicOf(`crash-${index}`));
    const slow = { MODEL_OFFLINE_LATENCY_MS: '400' };
    await Promise.all(
      WRITERS.map(async (writer) => {
        const process = fleet.get(writer) as FleetProcess;
        await process.stop();
        process.start(slow);
        await process.ready();
      }),
    );
    await Promise.all(topics.map((topic) => submit(topic)));
    const drafting = await eventually(
      async () =>
        (await readTopic('agent-progress')).find(
          (event) =>
            event.value.status.startsWith('Writing draft') &&
            topics.some((topic) => event.value.work_key === `content:${topic}`),
        ),
      (found) => found !== undefined,
      60_000,
    );
    assert.ok(drafting, 'a writer reached the draft step');
    const victim = fleet.get(drafting.value.agent) as FleetProcess;
    await victim.stop('SIGKILL');
    victim.start(slow);
    await victim.ready();

    await eventually(
      () => resultsFor(topics),
      (found) => found.length >= topics.length,
      120_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const results = await resultsFor(topics);
    assert.equal(results.length, topics.length, 'no duplicate and no missing result');
    assert.equal(new Set(results.map((event) => event.value.topic)).size, topics.length);
  });

  it('research with many events in flight, SIGKILLed three times during a burst and restarted: each task researched once, and nothing committed handled again', async () => {
    const research = fleet.get('research') as FleetProcess;
    const callLog = join(workDir, 'research-calls.jsonl');
    const slow = { MODEL_OFFLINE_LATENCY_MS: '300', MODEL_OFFLINE_CALL_LOG: callLog };
    await research.stop();
    research.start(slow);
    await research.ready();
    const topics = Array.from({ length: 300 }, (_, index) => topicOf(`burst-${index}`));
    const burst = new Set(topics);
    const researched = async () =>
      (await readTopic('research-events')).filter((event) => burst.has(event.value.topic));
    const kills: { pid: number; at: number }[] = [];
    try {
      await Promise.all(topics.map((topic) => submit(topic)));
      for (let kill = 0; kill < 3; kill += 1) {
        const before = (await researched()).length;
        await eventually(
          async () => (await researched()).length,
          (count) => count >= before + 20,
          60_000,
        );
        await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 600));
        kills.push({ pid: research.pid as number, at: Date.now() });
        await research.stop('SIGKILL');
        research.start(slow);
        await research.ready();
      }
      await eventually(
        async () => new Set((await researched()).map((event) => event.value.topic)).size,
        (count) => count >= topics.length,
        120_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 2000));
    } finally {
      await research.stop();
      research.start();
      await research.ready();
    }
    const events = await researched();
    assert.equal(events.length, topics.length, 'one research event per task, no duplicate');
    assert.equal(new Set(events.map((event) => event.value.topic)).size, topics.length);

    // Each task costs three model calls. A task first handled by a run that was killed
    // after its output was written (the output's timestamp is before the kill) was
    // committed by that run: any call for it from a later run is a re-run of committed work.
    const calls = new Map<string, { pid: number; at: number }[]>();
    for (const line of readFileSync(callLog, 'utf8').split('\n').filter(Boolean)) {
      const call = JSON.parse(line) as { pid: number; at: number; prompt: string };
      const index = new RegExp(`burst (\\d+) [0-9a-f]{6}[.:]`).exec(call.prompt)?.[1];
      const topic = index === undefined ? undefined : topics[Number(index)];
      if (topic) calls.set(topic, [...(calls.get(topic) ?? []), call]);
    }
    const written = new Map(events.map((event) => [event.value.topic, event.record.timestamp]));
    let reruns = 0;
    let retried = 0;
    for (const [topic, made] of calls) {
      const firstPid = made[0]?.pid;
      const killedAt = kills.find((kill) => kill.pid === firstPid)?.at ?? Infinity;
      const committedByFirst = (written.get(topic) ?? Infinity) < killedAt;
      const later = made.filter((call) => call.pid !== firstPid).length;
      if (later > 0 && committedByFirst) reruns += 1;
      if (later > 0) retried += 1;
      if (made.filter((call) => call.pid === firstPid).length > 3) reruns += 1;
    }
    console.log(
      `research crash test: ${topics.length} tasks, ${[...calls.values()].reduce((sum, made) => sum + made.length, 0)} model calls, ${retried} tasks handled again after a kill (not yet committed), ${reruns} re-runs of committed work`,
    );
    assert.equal(calls.size, topics.length, 'every task reached the model');
    assert.equal(reruns, 0, 'no task whose research was committed ran again');
  });

  it('a second signal during shutdown ends an agent with events in flight at once (five times over); a later instance finishes the work', async () => {
    const research = fleet.get('research') as FleetProcess;
    const slow = { MODEL_OFFLINE_LATENCY_MS: '3000' };
    const topics = Array.from({ length: 10 }, (_, index) => topicOf(`signals-${index}`));
    const logFile = join(workDir, 'logs', 'research.log');
    const secondSignalLines = () =>
      readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => line.includes('second signal during shutdown, exiting now')).length;
    const before = secondSignalLines();
    const took: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      await research.stop();
      research.start(slow);
      await research.ready();
      if (round === 0) await Promise.all(topics.map((topic) => submit(topic)));
      const metrics = `${research.url}/metrics`;
      await eventually(
        async () =>
          (await (await fetch(metrics)).text()).match(
            /paxfleet_agent_events_in_flight\{[^}]*\} (\d+)/,
          )?.[1],
        (count) => Number(count) > 0,
        30_000,
      );
      const started = Date.now();
      research.signal('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 100));
      research.signal('SIGTERM');
      const ended = await research.exited();
      took.push(Date.now() - started);
      assert.equal(
        ended.signal,
        'SIGKILL',
        'the second signal killed it rather than waiting for the drain',
      );
    }
    console.log(`second signal: research ended ${took.join(', ')} ms after the first signal`);
    // The last line may still be on its way from the dead process's pipe to the log file.
    const said = await eventually(
      () => Promise.resolve(secondSignalLines() - before),
      (count) => count >= 5,
      10_000,
    );
    assert.equal(said, 5, 'each time it said why it went at once');
    research.start();
    await research.ready();
    const events = await eventually(
      async () =>
        (await readTopic('research-events')).filter((event) => topics.includes(event.value.topic)),
      (found) => found.length >= topics.length,
      60_000,
    );
    assert.equal(events.length, topics.length, 'the next instance researched each task once');
  });

  it('research over its model budget takes no work until the window has room again, and says so on /metrics', async () => {
    const research = fleet.get('research') as FleetProcess;
    const windowMs = 6000;
    const researched = (workflow: string) =>
      eventually(
        async () =>
          (await readTopic('agent-activity')).filter(
            (event) => event.value.agent === 'research' && event.value.workflow_id === workflow,
          ),
        (found) => found.length > 0,
      );
    const paused = async () =>
      /paxfleet_agent_budget_paused\{agent="research"\} (\d)/.exec(
        await (await fetch(`${research.url}/metrics`)).text(),
      )?.[1];
    await research.stop();
    // One token a window: the first call spends it.
    research.start({ AGENT_BUDGET_TOKENS: '1', AGENT_BUDGET_WINDOW_MS: String(windowMs) });
    await research.ready();
    try {
      const first = await submit(topicOf('budget-first'));
      await researched(first);
      assert.equal(await eventually(paused, (value) => value === '1'), '1');
      const [call] = (await readTopic('model-calls')).filter(
        (event) => event.value.workflow_id === first && event.value.agent === 'research',
      );
      assert.ok(call, 'the first task’s model call is in the ledger');
      const second = await submit(topicOf('budget-second'));
      const [done] = await researched(second);
      assert.ok(done, 'the second task is researched once the window has room');
      assert.ok(
        done.value.recorded_at >= call.value.recorded_at + windowMs,
        `researched ${done.value.recorded_at - call.value.recorded_at} ms after the call that spent the budget`,
      );
      // Paused and resumed, each task is still researched once.
      for (const workflow of [first, second])
        assert.equal((await researched(workflow)).length, 1, `${workflow} researched once`);
      const log = readFileSync(join(workDir, 'logs', 'research.log'), 'utf8');
      assert.match(log, /model budget exceeded: taking no work until the window has room/);
      assert.match(log, /model budget has room again: taking work/);
    } finally {
      await research.stop();
      research.start({});
      await research.ready();
    }
  });

  it('an event older than a writer’s maximum age is recorded as stale and not acted on', async () => {
    const topic = topicOf('stale');
    await Promise.all(WRITERS.map((writer) => (fleet.get(writer) as FleetProcess).stop()));
    const workflow = await submit(topic);
    await eventually(
      async () =>
        (await readTopic('research-events')).filter((event) => event.value.topic === topic),
      (found) => found.length > 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 3500));
    await Promise.all(
      WRITERS.map(async (writer) => {
        const process = fleet.get(writer) as FleetProcess;
        process.start({ MAX_EVENT_AGE_MS: '2000' });
        await process.ready();
      }),
    );
    const stale = await eventually(
      () => writerActivityFor(new Set([workflow])),
      (found) => found.length >= 3,
    );
    assert.deepEqual(stale.map((event) => event.value.outcome).sort(), ['stale', 'stale', 'stale']);
    for (const event of stale)
      assert.match(event.value.reason, /^event is \d+ s old, over the 2 s limit$/);
    assert.equal((await resultsFor([topic])).length, 0, 'nobody wrote about the stale research');
  });

  // Last of the suite: it deletes every record the broker holds.
  it(
    'a workflow whose records the broker no longer holds replays the same from the cold archive',
    {
      skip: process.env.BLOB_S3_BUCKET
        ? false
        : 'BLOB_S3_BUCKET is not set (make test runs this under scripts/with-s3.sh)',
    },
    async () => {
      const topic = topicOf('replay-archived');
      const workflow = await submitAndFinish(topic);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const store = blobStoreFromConfig(
        loadConfig(blobConfig, { ...process.env, BLOB_STORE: 's3' }),
      );
      assert.ok(store);
      const archived = eventRegistry().catalog.agent('archiver').consumes;
      const onBroker = await workflowTimeline(
        kafkaConnectionFromEnv(process.env, 'replay-archive-test'),
        eventRegistry(),
        workflow,
      );
      const wanted = onBroker.filter((entry) => archived.includes(entry.topic)).length;
      // The fleet's archiver flushes every half second (ARCHIVE_FLUSH_MS in this test).
      await eventually(
        async () => (await lookUpWorkflow(store, archived, workflow)).records.length,
        (found) => found >= wanted,
      );
      // The broker lets every record go (as retention would): log start at the end.
      const admin = createKafka(kafkaConnectionFromEnv(process.env, 'replay-archive-test')).admin();
      await admin.connect();
      try {
        for (const name of eventRegistry().catalog.topics.map((spec) => spec.name)) {
          const partitions = (await admin.fetchTopicOffsets(name)).map(({ partition }) => ({
            partition,
            offset: '-1',
          }));
          await admin.deleteTopicRecords({ topic: name, partitions });
        }
      } finally {
        await admin.disconnect();
      }
      assert.deepEqual(
        await workflowTimeline(
          kafkaConnectionFromEnv(process.env, 'replay-archive-test'),
          eventRegistry(),
          workflow,
        ),
        [],
        'the broker holds nothing of the workflow',
      );
      const result = await replayWorkflow({
        workflowId: workflow,
        env: {
          KAFKA_BROKERS: process.env.KAFKA_BROKERS as string,
          MODEL_OFFLINE_LATENCY_MS: '50',
          MODEL_PRICES: JSON.stringify({ 'offline-deterministic-1': PRICE }),
        },
        archive: { store, topics: archived },
        blobs: store,
        bodies: new Bodies({ inlineMaxBytes: 0, store }),
        workDir: join(workDir, 'replay-archived'),
        basePort: SHADOW_BASE_PORT,
        log: (line) => console.log(line),
      });
      console.log(formatDiff(result.diff));
      assert.ok(result.recordings > 0);
      assert.equal(result.replayed, result.recordings);
      assert.ok(result.diff.empty, formatDiff(result.diff));
      store.close();
    },
  );
});

describe('make demo and Ctrl-C', { timeout: 180_000, skip }, () => {
  it('Ctrl-C stops every process the demo started, each within its grace, and leaves none behind', async () => {
    // Its own process group, as a terminal's foreground job: the Ctrl-C goes to the group.
    const demo = spawn(
      process.execPath,
      ['--conditions=paxfleet-source', join(repository, 'services/cli/src/demo.ts')],
      {
        cwd: repository,
        env: { ...process.env, MODEL_OFFLINE_LATENCY_MS: '1000' },
        stdio: ['ignore', 'pipe', 'inherit'],
        detached: true,
      },
    );
    const exited = once(demo, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    let runDir = '';
    const submitted = new Promise<void>((resolve) => {
      createInterface({ input: demo.stdout }).on('line', (line) => {
        const logs = /\(logs in (.+)\/logs\)$/.exec(line)?.[1];
        if (logs) runDir = logs;
        if (line.startsWith('submitted ')) resolve();
      });
    });
    let interrupted = false;
    try {
      await Promise.race([submitted, exited]);
      assert.ok(runDir, 'the demo said where its processes run');
      const inRunDir = () =>
        readdirSync('/proc')
          .filter((entry) => /^\d+$/.test(entry))
          .filter((pid) => {
            try {
              return readlinkSync(`/proc/${pid}/cwd`).startsWith(runDir);
            } catch {
              return false;
            }
          });
      assert.equal(
        inRunDir().length,
        AGENTS.length,
        'every service of the catalog runs in the demo’s directories',
      );
      interrupted = true;
      process.kill(-(demo.pid as number), 'SIGINT');
      const [code] = await exited;
      assert.equal(code, 130, 'the demo exits as interrupted once its processes are gone');
      assert.deepEqual(inRunDir(), [], 'no process of the demo is left');
    } finally {
      // A failed assertion must not leave the demo and its fleet running.
      if (!interrupted && demo.exitCode === null && demo.signalCode === null) {
        process.kill(-(demo.pid as number), 'SIGINT');
        await exited;
      }
    }
  });
});
