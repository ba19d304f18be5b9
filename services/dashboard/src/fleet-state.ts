import type {
  ActivityOutcome,
  ClaimRecord,
  DeadLetter,
  Progress,
  TopicCatalog,
  TopicValues,
  WorkInFlight,
} from '@paxfleet/events';
import { HEADER } from '@paxfleet/events';
import { groupLags, type GroupLag, type LagRow } from './lag-alerts.ts';

/** One record as the dashboard keeps it: where it is, its headers as text, its decoded value. */
export interface SeenRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Epoch ms; -1 when the record has none. */
  readonly timestamp: number;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /** Size of the value's bytes. */
  readonly bytes: number;
  /** The value decoded by the catalog's schema; undefined when it did not decode. */
  readonly value?: unknown;
  /** Why it did not decode, and the first bytes in hex. */
  readonly undecodable?: { readonly reason: string; readonly hex: string };
}

/** What an agent instance last said on agent-progress. */
export interface InstanceView {
  readonly agent: string;
  readonly instance: string;
  readonly state: Progress['state'];
  readonly status: string;
  readonly inFlight: number;
  /** Every piece in flight, by workflow and work key: a heartbeat's list, updated by steps since. */
  readonly work: readonly WorkInFlight[];
  /** The record's own time (`at`, epoch ms): the heartbeat's age is measured from it. */
  readonly at: number;
}

export type ActivityCounts = Record<ActivityOutcome, number>;

/** Milestones of a workflow, in the order they happen. */
export const WORKFLOW_STATUSES = [
  'submitted',
  'researched',
  'claimed',
  'written',
  'reviewed',
] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

export interface WorkflowSummary {
  readonly id: string;
  topic: string;
  firstAt: number;
  lastAt: number;
  status: WorkflowStatus;
  /** Events an agent recorded as failed, and dead letters of the workflow. */
  failures: number;
  /** Who produced its records (the `producer` header). */
  readonly agents: Set<string>;
  records: number;
  /** The trace id of its first record's traceparent. */
  traceId?: string;
  /** The piece written: by whom, and its title. */
  result?: { readonly agent: string; readonly title: string };
  /** Its records as they arrived (agent-progress left out), for the workflow page's live part. */
  readonly live: SeenRecord[];
}

export interface DeadLetterView {
  readonly record: SeenRecord;
  readonly letter: DeadLetter;
  readonly workflowId: string | undefined;
}

export interface FleetStateOptions {
  readonly catalog: TopicCatalog;
  /** Records kept per topic for the topic browser (the newest). */
  readonly maxRecordsPerTopic: number;
  /** Workflows kept for the list (the most recently seen). */
  readonly maxWorkflows: number;
  readonly clock?: () => number;
}

const RECENT_DECISIONS = 300;
const CLAIM_HISTORY = 20;
const LIVE_RECORDS_PER_WORKFLOW = 300;
const DEAD_LETTERS = 1000;
const HEX_PREVIEW_BYTES = 48;

const rank = (status: WorkflowStatus) => WORKFLOW_STATUSES.indexOf(status);

/** Keeps at most `max` items, dropping the oldest. */
function push<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

/** The trace id of a W3C traceparent (version-traceid-spanid-flags). */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  const match = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent ?? '');
  return match?.[1];
}

export function hexPreview(bytes: Buffer | null): string {
  if (!bytes) return '';
  const hex = bytes.subarray(0, HEX_PREVIEW_BYTES).toString('hex');
  return bytes.length > HEX_PREVIEW_BYTES ? `${hex}…` : hex;
}

/**
 * Everything the pages show, built from the records of the catalog's topics as they are
 * read (history first, then live): agent instances from agent-progress, what each agent
 * handled from agent-activity, claims from content-claims, workflows from every record's
 * workflow-id header, dead letters, and the newest records of every topic. Pure and
 * bounded: each list keeps its newest entries. Listeners hear of every change.
 */
export class FleetState {
  readonly catalog: TopicCatalog;
  readonly instances = new Map<string, InstanceView>();
  readonly activity = new Map<string, ActivityCounts>();
  readonly claims = new Map<string, { current: ClaimRecord; history: ClaimRecord[] }>();
  /** Claim decisions other than renewals, oldest first. */
  readonly decisions: ClaimRecord[] = [];
  readonly workflows = new Map<string, WorkflowSummary>();
  readonly deadLetters: DeadLetterView[] = [];
  readonly records = new Map<string, SeenRecord[]>();
  /** Records seen per topic since the start (the browser keeps only the newest). */
  readonly counts = new Map<string, number>();
  lags: ReadonlyMap<string, GroupLag> = new Map();
  lagAt: number | undefined;
  /** Bumped on every change. */
  version = 0;
  readonly #options: FleetStateOptions;
  readonly #clock: () => number;
  readonly #listeners = new Set<() => void>();

  constructor(options: FleetStateOptions) {
    this.#options = options;
    this.catalog = options.catalog;
    this.#clock = options.clock ?? Date.now;
    for (const topic of options.catalog.topics) this.records.set(topic.name, []);
  }

  now(): number {
    return this.#clock();
  }

  /** Called after every change; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    this.version += 1;
    for (const listener of this.#listeners) listener();
  }

  /** A consumer-lag refresh: rows by group as the catalog names it. */
  setLag(rows: readonly LagRow[]): void {
    const now = this.#clock();
    this.lags = groupLags(rows, this.lags, now);
    this.lagAt = now;
    this.#changed();
  }

  observe(record: SeenRecord): void {
    const kept = this.records.get(record.topic);
    if (kept) push(kept, record, this.#options.maxRecordsPerTopic);
    this.counts.set(record.topic, (this.counts.get(record.topic) ?? 0) + 1);
    if (record.value !== undefined) this.#apply(record);
    this.#trackWorkflow(record);
    this.#changed();
  }

  #apply(record: SeenRecord): void {
    switch (record.topic) {
      case 'agent-progress':
        this.#progress(record.value as Progress);
        break;
      case 'agent-activity': {
        const activity = record.value as TopicValues['agent-activity'];
        const counts = this.activity.get(activity.agent) ?? {
          processed: 0,
          skipped: 0,
          stale: 0,
          failed: 0,
        };
        counts[activity.outcome] += 1;
        this.activity.set(activity.agent, counts);
        break;
      }
      case 'content-claims': {
        const claim = record.value as ClaimRecord;
        const entry = this.claims.get(claim.work_key) ?? { current: claim, history: [] };
        entry.current = claim;
        push(entry.history, claim, CLAIM_HISTORY);
        this.claims.set(claim.work_key, entry);
        if (claim.decision !== 'renewed') push(this.decisions, claim, RECENT_DECISIONS);
        break;
      }
      case 'dead-letters': {
        const letter = record.value as DeadLetter;
        const workflowId = letter.headers[HEADER.workflowId]?.toString('utf8');
        push(this.deadLetters, { record, letter, workflowId }, DEAD_LETTERS);
        const workflow = workflowId ? this.workflows.get(workflowId) : undefined;
        if (workflow) workflow.failures += 1;
        break;
      }
      default:
        break;
    }
  }

  #progress(progress: Progress): void {
    const key = `${progress.agent}/${progress.instance}`;
    const before = this.instances.get(key);
    // A heartbeat lists every piece in flight; a step record names its own piece only, so
    // among several it updates that one and keeps the others.
    let work: WorkInFlight[];
    if (progress.state === 'idle') work = [];
    else if (progress.work.length === progress.in_flight) work = [...progress.work];
    else {
      const same = (piece: WorkInFlight) =>
        progress.work.some(
          (step) => step.workflow_id === piece.workflow_id && step.work_key === piece.work_key,
        );
      work = [...(before?.work ?? []).filter((piece) => !same(piece)), ...progress.work].slice(
        -Math.max(progress.in_flight, 1),
      );
    }
    this.instances.set(key, {
      agent: progress.agent,
      instance: progress.instance,
      state: progress.state,
      status: progress.status,
      inFlight: progress.in_flight,
      work,
      at: progress.at,
    });
  }

  #trackWorkflow(record: SeenRecord): void {
    const id = record.headers[HEADER.workflowId];
    // Progress records name the workflow of a step, and heartbeats a made-up one: they are
    // agents' state, not a workflow's history.
    if (!id || record.topic === 'agent-progress') return;
    let workflow = this.workflows.get(id);
    if (!workflow) {
      workflow = {
        id,
        topic: '',
        firstAt: record.timestamp,
        lastAt: record.timestamp,
        status: 'submitted',
        failures: 0,
        agents: new Set(),
        records: 0,
        live: [],
      };
      this.workflows.set(id, workflow);
      if (this.workflows.size > this.#options.maxWorkflows) {
        const oldest = this.workflows.keys().next().value;
        if (oldest !== undefined) this.workflows.delete(oldest);
      }
    }
    workflow.records += 1;
    workflow.firstAt = Math.min(workflow.firstAt, record.timestamp);
    workflow.lastAt = Math.max(workflow.lastAt, record.timestamp);
    workflow.traceId ??= traceIdOf(record.headers[HEADER.traceparent]);
    const producer = record.headers[HEADER.producer];
    if (producer) workflow.agents.add(producer);
    push(workflow.live, record, LIVE_RECORDS_PER_WORKFLOW);
    const value = record.value as Record<string, unknown> | undefined;
    if (!workflow.topic && typeof value?.topic === 'string') workflow.topic = value.topic;
    const reached = (status: WorkflowStatus) => {
      if (rank(status) > rank(workflow.status)) workflow.status = status;
    };
    switch (record.topic) {
      case 'research-events':
        if (value?.event_type === 'analysis_complete') reached('researched');
        break;
      case 'content-claims':
        if (value?.decision === 'granted') reached('claimed');
        break;
      case 'content-results': {
        reached('written');
        const result = value as TopicValues['content-results'] | undefined;
        if (result) workflow.result = { agent: result.agent, title: result.title };
        break;
      }
      case 'seo-reports':
        reached('reviewed');
        break;
      case 'agent-activity':
        if (value?.outcome === 'failed') workflow.failures += 1;
        break;
      default:
        break;
    }
  }
}
