// make demo: the article's system on one machine. Starts the coordinator and
// the agents as separate processes on the cluster in KAFKA_BROKERS, submits a
// handful of research topics (one of them twice within seconds), shows a live
// status board from agent-progress, then who wrote what and who skipped why.
//   --once         exit after the summary instead of watching until Ctrl-C
//   --port <port>  the coordinator's port (default DEMO_BASE_PORT or 7070; the next free
//                  block of ports is taken when something listens there)
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { kafkaConnectionFromEnv } from '@paxfleet/kafka';
import { eventRegistry, TopicReader, type TopicName, type TopicValues } from '@paxfleet/events';
import { describeFailure, EXIT } from './errors.ts';
import { AGENTS, freeBasePort, startFleet, stopFleet } from './fleet.ts';

let args;
try {
  args = parseArgs({
    options: { once: { type: 'boolean', default: false }, port: { type: 'string' } },
  }).values;
} catch (error) {
  console.error(
    `demo: ${(error as Error).message}\nusage: make demo [DEMO_ARGS='--once --port 7070']`,
  );
  process.exit(EXIT.usage);
}
const once = args.once;
const requestedPort = Number(args.port ?? process.env.DEMO_BASE_PORT ?? 7070);
if (!Number.isSafeInteger(requestedPort) || requestedPort < 1 || requestedPort > 65_000) {
  console.error(`demo: --port ${args.port ?? process.env.DEMO_BASE_PORT}: a port, 1 to 65000`);
  process.exit(EXIT.usage);
}
const repository = new URL('../../../', import.meta.url).pathname;
const runDir = join(repository, '.run', 'demo', new Date().toISOString().replace(/[:.]/g, '-'));
// One topic twice (the same key: one claim wins) and one phrased another way (another key:
// the coordinator's overlap check denies it).
const topics = [
  'agent-observability-platforms',
  'kafka-for-multi-agent-systems',
  'llm-cost-control',
  'agent-observability-platforms',
  'observability-for-ai-agents',
  'schema-evolution-in-practice',
];
const LABELS: Record<string, string> = {
  coordinator: 'PaxMachina (coordinator)',
  research: 'Research Agent',
  marketing: 'Marketing Agent',
  sales: 'Sales Agent',
  content: 'Content Agent',
  seo: 'SEO Agent',
  oracle: 'Oracle Agent',
  dashboard: 'Dashboard',
};

const agents = AGENTS.filter((agent) =>
  existsSync(join(repository, 'services', agent, 'src', 'main.ts')),
);
const registry = eventRegistry();
const connection = kafkaConnectionFromEnv(process.env, 'paxfleet-demo');
const reader = new TopicReader(connection, registry, { clientId: 'paxfleet-demo' });
const status = new Map<string, string>();
const seen = new Map<TopicName, unknown[]>();

function remember(topic: TopicName, value: unknown): void {
  const values = seen.get(topic) ?? [];
  values.push(value);
  seen.set(topic, values);
}
function events<K extends TopicName>(topic: K): TopicValues[K][] {
  return (seen.get(topic) ?? []) as TopicValues[K][];
}

/** A failure to start is one line that names its reason and its log, never a stack trace. */
async function orExit<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    const { line, exitCode } = describeFailure(error, process.env.KAFKA_BROKERS);
    console.error(`demo: ${line}`);
    await reader.close();
    process.exit(exitCode);
  }
}
await orExit(reader.connect());
const followed = [
  'agent-progress',
  'research-events',
  'agent-activity',
  'content-results',
  'seo-reports',
  'audit-findings',
] as const;
await reader.follow<(typeof followed)[number]>(
  (await Promise.all(followed.map((topic) => reader.everyPartition(topic, 'end')))).flat(),
  (record) => {
    if (record.topic === 'agent-progress') {
      status.set(record.value.agent, record.value.state === 'idle' ? 'Idle' : record.value.status);
    } else {
      remember(record.topic, record.value);
    }
  },
);

mkdirSync(runDir, { recursive: true });
const basePort = await orExit(freeBasePort(agents, requestedPort));
if (basePort !== requestedPort)
  console.log(
    `demo: a port of ${requestedPort}'s block is taken; the fleet listens from ${basePort}`,
  );
console.log(`demo: starting ${agents.length} services (logs in ${join(runDir, 'logs')})`);
const fleet = await orExit(
  startFleet({
    agents,
    basePort,
    logDir: join(runDir, 'logs'),
    podsDir: join(runDir, 'pods'),
    env: {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
      HEARTBEAT_INTERVAL_MS: '1000',
      MODEL_OFFLINE_LATENCY_MS: process.env.MODEL_OFFLINE_LATENCY_MS ?? '300',
    },
  }),
);
status.set('coordinator', 'Routing tasks, deciding claims');
const dashboard = fleet.get('dashboard');
if (dashboard) {
  status.set('dashboard', `Serving ${dashboard.url}/fleet`);
  console.log(`dashboard: ${dashboard.url}/fleet (live in the browser)`);
}
let stopping = false;
// Ctrl-C reaches only this process (each service has a process group of its own): each
// service gets one SIGTERM, and is killed if it is still running after its grace.
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await stopFleet(fleet);
  await reader.close();
  process.exit(code);
};
process.on('SIGINT', () => void shutdown(130));
process.on('SIGTERM', () => void shutdown(143));
/** Past a Ctrl-C the demo's own steps stop where they are; shutdown exits the process. */
async function unlessStopping<T>(step: Promise<T>): Promise<T> {
  try {
    const value = await step;
    if (!stopping) return value;
  } catch (error) {
    if (!stopping) throw error;
  }
  return new Promise<T>(() => {});
}

const coordinator = fleet.get('coordinator')?.url as string;
const workflows = new Map<string, string[]>();
for (const topic of topics) {
  const response = await unlessStopping(
    fetch(`${coordinator}/research`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic, requested_by: 'make demo' }),
    }),
  );
  const body = (await unlessStopping(response.json())) as {
    workflow_id?: string;
    message?: string;
  };
  if (!body.workflow_id)
    throw new Error(`POST /research ${topic}: ${response.status} ${body.message ?? ''}`);
  workflows.set(topic, [...(workflows.get(topic) ?? []), body.workflow_id]);
  console.log(`submitted ${topic} -> ${body.workflow_id}`);
  await new Promise((resolve) => setTimeout(resolve, 500));
}

const allWorkflows = [...workflows.values()].flat();
/** Every workflow done, as the coordinator judges it (GET /workflows/:id). */
async function done(): Promise<boolean> {
  const statuses = await Promise.all(
    allWorkflows.map((workflow) =>
      fetch(`${coordinator}/workflows/${workflow}`, { signal: AbortSignal.timeout(2000) })
        .then(async (response) =>
          response.ok ? ((await response.json()) as { done: boolean }) : { done: false },
        )
        .catch(() => ({ done: false })),
    ),
  );
  return statuses.every((status) => status.done);
}

function board(): string {
  return agents
    .map((agent) => `  ${(LABELS[agent] ?? agent).padEnd(26)} ${status.get(agent) ?? 'starting'}`)
    .join('\n');
}

let last = '';
const deadline = Date.now() + 180_000;
while (!(await done()) && Date.now() < deadline && !stopping) {
  const text = board();
  if (text !== last) {
    console.log(`\n${new Date().toISOString().slice(11, 19)}\n${text}`);
    last = text;
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
await unlessStopping(new Promise((resolve) => setTimeout(resolve, 1500)));

console.log('\n=== Summary ===');
for (const [topic, ids] of workflows) {
  for (const workflow of ids) {
    console.log(`\n${topic} (${workflow})`);
    for (const result of events('content-results').filter(
      (record) => record.workflow_id === workflow,
    )) {
      console.log(
        `  written  ${LABELS[result.agent] ?? result.agent}: ${result.format} "${result.title}" (epoch ${result.epoch}, ${result.body_bytes} bytes)`,
      );
      const seo = events('seo-reports').find((report) => report.result_id === result.result_id);
      if (seo)
        console.log(
          `  seo      score ${seo.score}; keywords ${seo.keywords.slice(0, 4).join(', ')}`,
        );
    }
    for (const record of events('agent-activity').filter(
      (entry) => entry.workflow_id === workflow && entry.outcome !== 'processed',
    )) {
      console.log(
        `  ${record.outcome.padEnd(8)} ${LABELS[record.agent] ?? record.agent}: ${record.reason}`,
      );
    }
    const audits = events('audit-findings').filter((finding) => finding.workflow_id === workflow);
    if (audits.length > 0)
      console.log(
        `  audit    ${audits.length} finding(s), e.g. ${audits[0]?.findings[0] ?? audits[0]?.severity}`,
      );
  }
}
const results = events('content-results').length;
const skips = events('agent-activity').filter((record) => record.outcome === 'skipped').length;
console.log(
  `\n${topics.length} submissions, ${new Set(topics).size} topics: ${results} pieces written, ${skips} skips.`,
);
const bodies = [
  ...events('research-events').map((event) => event.body !== null),
  ...events('content-results').map((result) => result.body !== null),
];
const inline = bodies.filter(Boolean).length;
console.log(
  `Bodies: ${inline} inline, ${bodies.length - inline} by reference (${process.env.BLOB_S3_BUCKET ? `s3://${process.env.BLOB_S3_BUCKET}` : 'no object store'}).`,
);
console.log(
  [
    `Try, in another terminal (while this demo runs):`,
    `  export PAXFLEET_COORDINATOR_URL=${coordinator} KAFKA_BROKERS=${process.env.KAFKA_BROKERS ?? ''}`,
    `  pnpm paxfleet agents --watch`,
    `  pnpm paxfleet claims`,
    `  pnpm paxfleet timeline ${allWorkflows[0] ?? '<workflow-id>'}`,
    `  pnpm paxfleet tail research-events -o json | jq .value.summary`,
    `API: ${coordinator}/docs   Metrics: ${coordinator}/metrics`,
  ].join('\n'),
);
if (dashboard) console.log(`Dashboard: ${dashboard.url}/fleet`);

if (once) await shutdown((await done()) ? 0 : 1);
console.log('\nWatching (Ctrl-C stops everything this demo started)...');
setInterval(() => {
  const text = board();
  if (text !== last) {
    console.log(`\n${new Date().toISOString().slice(11, 19)}\n${text}`);
    last = text;
  }
}, 500);
