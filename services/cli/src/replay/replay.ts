import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { REPLAY_PRODUCER } from '@paxfleet/agent-kit';
import { createKafka, kafkaConnectionFromEnv } from '@paxfleet/kafka';
import {
  deleteNamespace,
  EventProducer,
  eventRegistry,
  namespacePrefix,
  type BlobStore,
  type Bodies,
  type NamespaceDeletion,
  type TopicValues,
} from '@paxfleet/events';
import { applyTopics, startFleet, stopFleet, type AgentName, type FleetProcess } from '../fleet.ts';
import { workflowHistory, workflowTimeline, type TimelineEntry } from '@paxfleet/timeline';
import { CliError } from '../errors.ts';
import { diffRuns, OUTPUT_TOPICS, summarizeRun, type RunDiff, type RunSummary } from './diff.ts';

export interface ReplayOptions {
  readonly workflowId: string;
  /** KAFKA_* and BLOB_* of the cluster and object store, passed to every shadow process. */
  readonly env: Readonly<Record<string, string>>;
  /** The cold archive, for a workflow the broker no longer has. */
  readonly archive?: { readonly store: BlobStore; readonly topics: readonly string[] };
  /** The object store the fleet's bodies are in (the shadow's bodies are removed from it after). */
  readonly blobs?: BlobStore;
  /** Reads bodies stored by reference, to compare outputs. */
  readonly bodies: Bodies;
  /** Model calls go to the model instead of the recordings. */
  readonly live?: boolean;
  /** Settings for one agent of the replay only: a changed prompt (AGENT_PROMPT_NOTE), a version. */
  readonly agentEnv?: Partial<Record<AgentName, Readonly<Record<string, string>>>>;
  /** Logs and the shadow processes' own directories. */
  readonly workDir: string;
  /** Where the shadow coordinator listens; the agents at their offsets from it. */
  readonly basePort: number;
  /** Longest wait for the shadow run to make every decision the original made. */
  readonly timeoutMs?: number;
  readonly namespace?: string;
  readonly log?: (line: string) => void;
}

export interface ReplayResult {
  readonly namespace: string;
  readonly original: RunSummary;
  readonly replay: RunSummary;
  readonly diff: RunDiff;
  /** Recorded model calls put on the shadow's model-calls, and how many the replay used. */
  readonly recordings: number;
  readonly replayed: number;
  readonly removed: NamespaceDeletion & { readonly blobs: number };
}

/** Agents the original turned away from work another held: started once the winners hold their claims. */
function claimLosers(entries: readonly TimelineEntry[]): Set<string> {
  return new Set(
    entries
      .filter((entry) => entry.topic === 'agent-activity')
      .map((entry) => entry.value as TopicValues['agent-activity'])
      .filter(
        (activity) =>
          activity.outcome === 'skipped' &&
          /^already (claimed|completed) by /.test(activity.reason),
      )
      .map((activity) => activity.agent),
  );
}

const granted = (entries: readonly TimelineEntry[]) =>
  entries
    .filter((entry) => entry.topic === 'content-claims')
    .map((entry) => entry.value as TopicValues['content-claims'])
    .filter((claim) => claim.decision === 'granted')
    .map((claim) => `${claim.work_key} ${claim.holder}`)
    .sort();

/**
 * Re-runs one past workflow through the real agents in a shadow Kafka namespace: its
 * topics and groups are created for the run and deleted after, the live ones are only
 * read. The workflow's task is put on the shadow's research-tasks, its recorded model
 * calls on the shadow's model-calls, and every agent (the archiver aside: the archive is
 * live) runs with MODEL_REPLAY, so the same prompt gets the same answer; a changed one
 * goes to the model. Claim winners start before the agents the original denied, so the
 * claim race is decided as it was. Then both runs are compared.
 */
export async function replayWorkflow(options: ReplayOptions): Promise<ReplayResult> {
  const log = options.log ?? (() => {});
  const connection = kafkaConnectionFromEnv({ ...process.env, ...options.env }, 'paxfleet-replay');
  const registry = eventRegistry();
  const history = await workflowHistory(connection, registry, options.workflowId, options.archive);
  const original = history.entries;
  if (original.length === 0)
    throw new CliError(
      'REPLAY_WORKFLOW_UNKNOWN',
      `no records carry workflow-id ${options.workflowId}, on the broker or in the archive`,
    );
  const tasks = original.filter((entry) => entry.topic === 'research-tasks');
  if (tasks.length === 0)
    throw new CliError(
      'REPLAY_NO_START',
      `workflow ${options.workflowId} has no research-tasks record to start the replay from`,
    );
  const recordings = original.filter((entry) => entry.topic === 'model-calls');
  const namespace = options.namespace ?? `shadow-${randomBytes(4).toString('hex')}`;
  const shadow = eventRegistry({ namespace });
  const losers = claimLosers(original);
  const originalSummary = await summarizeRun(original, options.bodies);
  // The services that decide and do work (each reports on agent-activity); not the archiver
  // (the archive is live) nor what only reads.
  const agents = eventRegistry()
    .catalog.agents.filter((agent) => agent.produces.includes('agent-activity'))
    .map((agent) => agent.name);
  log(
    `replaying ${options.workflowId} in namespace ${namespace}: ${tasks.length} task(s), ${recordings.length} recorded model calls`,
  );

  let fleet: Map<AgentName, FleetProcess> | undefined;
  let replayEntries: TimelineEntry[];
  try {
    const fleetOptions = {
      basePort: options.basePort,
      logDir: join(options.workDir, 'logs'),
      podsDir: join(options.workDir, 'pods'),
      namespace,
      env: { ...options.env, ...(options.live ? {} : { MODEL_REPLAY: 'true' }) },
      ...(options.agentEnv && { agentEnv: options.agentEnv }),
    };
    await applyTopics(options.env, namespace);
    const producer = new EventProducer({
      kafka: createKafka(connection),
      registry: shadow,
      agent: REPLAY_PRODUCER,
    });
    await producer.connect();
    try {
      // The recordings first: each agent reads them when it starts.
      for (const entry of recordings)
        await producer.send(
          'model-calls',
          entry.key ?? options.workflowId,
          entry.value as TopicValues['model-calls'],
          { workflowId: options.workflowId },
        );
      fleet = await startFleet({
        ...fleetOptions,
        agents: agents.filter((agent) => !losers.has(agent)),
      });
      for (const entry of tasks)
        await producer.send(
          'research-tasks',
          entry.key ?? '',
          entry.value as TopicValues['research-tasks'],
          { workflowId: options.workflowId },
        );
    } finally {
      await producer.disconnect();
    }
    const read = () => workflowTimeline(connection, shadow, options.workflowId);
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    // Done once it has made as many decisions and outputs as the original did.
    const decided = (entries: readonly TimelineEntry[]) =>
      entries.filter((entry) => entry.topic === 'agent-activity').length >=
        originalSummary.decisions.length &&
      entries.filter((entry) => OUTPUT_TOPICS.includes(entry.topic)).length >=
        originalSummary.outputs.size;
    if (losers.size > 0) {
      const grants = granted(original);
      while (Date.now() < deadline && granted(await read()).length < grants.length)
        await sleep(250);
      const later = await startFleet({
        ...fleetOptions,
        agents: agents.filter((agent) => losers.has(agent)),
      });
      for (const [agent, process] of later) fleet.set(agent, process);
    }
    for (;;) {
      replayEntries = await read();
      if (decided(replayEntries) || Date.now() > deadline) break;
      await sleep(500);
    }
    // What is still in flight after the last decision (seo's report of a result) settles.
    await sleep(1500);
    replayEntries = await read();
  } finally {
    if (fleet) await stopFleet(fleet);
  }
  const replaySummary = await summarizeRun(
    replayEntries.filter(
      (entry) => !(entry.topic === 'model-calls' && entry.producer === REPLAY_PRODUCER),
    ),
    options.bodies,
  );
  const removed = await removeNamespace(connection, namespace, options.blobs);
  log(
    `namespace ${namespace} removed: ${removed.topics.length} topics, ${removed.groups.length} groups, ${removed.blobs} blobs`,
  );
  const replayed = replayEntries.filter(
    (entry) =>
      entry.topic === 'model-calls' &&
      (entry.value as TopicValues['model-calls']).outcome === 'replayed',
  ).length;
  return {
    namespace,
    original: originalSummary,
    replay: replaySummary,
    diff: diffRuns(originalSummary, replaySummary),
    recordings: recordings.length,
    replayed,
    removed,
  };
}

async function removeNamespace(
  connection: ReturnType<typeof kafkaConnectionFromEnv>,
  namespace: string,
  blobs: BlobStore | undefined,
): Promise<NamespaceDeletion & { blobs: number }> {
  const admin = createKafka(connection).admin();
  await admin.connect();
  let deleted: NamespaceDeletion;
  try {
    deleted = await deleteNamespace(admin, namespace);
  } finally {
    await admin.disconnect();
  }
  const keys: string[] = [];
  if (blobs) for await (const blob of blobs.list(namespacePrefix(namespace))) keys.push(blob.key);
  if (blobs && keys.length > 0) await blobs.delete(keys);
  return { ...deleted, blobs: keys.length };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
