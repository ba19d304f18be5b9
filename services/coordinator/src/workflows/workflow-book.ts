import {
  HEADER,
  headerText,
  type ActivityRecord,
  type ClaimRecord,
  type ResearchTask,
  type TopicCatalog,
  type TopicRecord,
} from '@paxfleet/events';

/** The topics a workflow's status is made of, besides the claim log. */
export const WORKFLOW_TOPICS = [
  'research-tasks',
  'research-events',
  'agent-activity',
  'content-results',
  'seo-reports',
  'audit-findings',
] as const;
export type WorkflowTopic = (typeof WORKFLOW_TOPICS)[number];

export type ResearchState = 'pending' | 'started' | 'complete' | 'failed';

// One workflow has a handful of each; a misbehaving producer must not grow one without bound.
const MAX_PER_LIST = 200;

interface Entry {
  readonly id: string;
  /** The timestamp of its first record read: the window and the count bound drop by it. */
  readonly firstAt: number;
  topic: string | null;
  requestedBy: string | null;
  submittedAt: number | null;
  research: { state: ResearchState; agent: string | null; completedAt: number | null };
  readonly claims: Map<string, ClaimRecord>;
  readonly results: Map<
    string,
    {
      agent: string;
      format: string;
      title: string;
      epoch: number;
      bodyBytes: number;
      writtenAt: number;
    }
  >;
  /** Agents that recorded an outcome for the workflow's analysis_complete event. */
  readonly decided: Set<string>;
  readonly skips: { agent: string; outcome: ActivityRecord['outcome']; reason: string }[];
  readonly seo: Map<string, { score: number; at: number }>;
  readonly audit: { severity: string; findings: string[]; at: number }[];
}

/** The status of one workflow across agents: the body of GET /workflows/:id. */
export interface WorkflowStatus {
  readonly workflow_id: string;
  readonly topic: string | null;
  readonly requested_by: string | null;
  readonly submitted_at: string | null;
  readonly research: {
    readonly state: ResearchState;
    readonly agent: string | null;
    readonly completed_at: string | null;
  };
  readonly claims: {
    readonly work_key: string;
    readonly state: ClaimRecord['state'];
    readonly holder: string | null;
    readonly epoch: number;
    readonly decided_at: string;
  }[];
  readonly results: {
    readonly agent: string;
    readonly format: string;
    readonly title: string;
    readonly result_id: string;
    readonly epoch: number;
    readonly body_bytes: number;
    readonly written_at: string;
  }[];
  readonly skips: { readonly agent: string; readonly outcome: string; readonly reason: string }[];
  readonly seo: { readonly result_id: string; readonly score: number }[];
  readonly audit: { readonly severity: string; readonly findings: string[] }[];
  readonly done: boolean;
  readonly waiting_for: string[];
}

export interface WorkflowBookOptions {
  readonly catalog: TopicCatalog;
  /** Workflows first seen longer ago than this are dropped, and older records ignored. */
  readonly windowMs: number;
  /** Past this many workflows, the one first seen longest ago is dropped. */
  readonly maxWorkflows: number;
  readonly clock?: () => number;
}

const research = (state: ResearchState): number =>
  ({ pending: 0, started: 1, failed: 2, complete: 3 })[state];

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function push<T>(list: T[], item: T): void {
  if (list.length < MAX_PER_LIST) list.push(item);
}

/**
 * What the coordinator knows of each recent workflow, from the records that carry its
 * `workflow-id` header: the task, the research, the claim decisions, the results and what
 * seo and the oracle said. Bounded by a time window and a number of workflows.
 */
export class WorkflowBook {
  readonly #options: WorkflowBookOptions;
  readonly #clock: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #writers: readonly string[];
  readonly #scored: boolean;

  constructor(options: WorkflowBookOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    // As `make demo` decides "done": every agent that writes a format, and seo when there is one.
    this.#writers = options.catalog.agents.filter((agent) => agent.format).map((a) => a.name);
    this.#scored = options.catalog.agents.some((agent) => agent.produces.includes('seo-reports'));
  }

  get windowMs(): number {
    return this.#options.windowMs;
  }

  get maxWorkflows(): number {
    return this.#options.maxWorkflows;
  }

  /** A record of one of WORKFLOW_TOPICS. */
  observe(record: TopicRecord<WorkflowTopic>): void {
    const entry = this.#entry(record);
    if (!entry) return;
    switch (record.topic) {
      case 'research-tasks':
        WorkflowBook.#task(entry, record.value);
        return;
      case 'research-events': {
        const event = record.value;
        entry.topic ??= event.topic;
        const state: ResearchState | undefined = {
          analysis_started: 'started' as const,
          analysis_complete: 'complete' as const,
          analysis_failed: 'failed' as const,
        }[event.event_type];
        if (state) {
          this.#research(entry, state, headerText(record.headers, HEADER.producer) ?? null);
          if (state === 'complete') entry.research.completedAt = event.timestamp;
        }
        return;
      }
      case 'agent-activity': {
        const activity = record.value;
        if (activity.outcome !== 'processed') {
          push(entry.skips, {
            agent: activity.agent,
            outcome: activity.outcome,
            reason: activity.reason,
          });
          // The research agent did not analyse the task: nothing will follow.
          if (activity.source_topic === 'research-tasks')
            this.#research(entry, 'failed', activity.agent);
        }
        if (
          activity.source_topic === 'research-events' &&
          activity.event_type === 'analysis_complete'
        )
          entry.decided.add(activity.agent);
        return;
      }
      case 'content-results': {
        const result = record.value;
        entry.topic ??= result.topic;
        if (entry.results.size < MAX_PER_LIST)
          entry.results.set(result.result_id, {
            agent: result.agent,
            format: result.format,
            title: result.title,
            epoch: result.epoch,
            bodyBytes: result.body_bytes,
            writtenAt: result.produced_at,
          });
        return;
      }
      case 'seo-reports':
        if (entry.seo.size < MAX_PER_LIST)
          entry.seo.set(record.value.result_id, {
            score: record.value.score,
            at: record.value.produced_at,
          });
        return;
      case 'audit-findings':
        push(entry.audit, {
          severity: record.value.severity,
          findings: record.value.findings,
          at: record.value.produced_at,
        });
        return;
    }
  }

  /** A decision from the claim log: the workflow is the request's (its header), not the key's holder's. */
  claim(record: TopicRecord<'content-claims'>): void {
    const entry = this.#entry(record);
    if (entry && (entry.claims.has(record.value.work_key) || entry.claims.size < MAX_PER_LIST))
      entry.claims.set(record.value.work_key, record.value);
  }

  /**
   * A task this coordinator just wrote: known at once, so a GET right after the 202 finds
   * the workflow before its record is read back.
   */
  submitted(task: ResearchTask): void {
    const entry = this.#entry({
      headers: { [HEADER.workflowId]: Buffer.from(task.workflow_id) },
      timestamp: this.#clock(),
    });
    if (entry) WorkflowBook.#task(entry, task);
  }

  get(id: string): WorkflowStatus | undefined {
    this.#expire();
    const entry = this.#entries.get(id);
    return entry && this.#status(entry);
  }

  static #task(entry: Entry, task: ResearchTask): void {
    entry.topic = task.topic;
    entry.requestedBy = task.requested_by;
    entry.submittedAt = task.requested_at;
  }

  #research(entry: Entry, state: ResearchState, agent: string | null): void {
    if (research(state) < research(entry.research.state)) return;
    entry.research.state = state;
    entry.research.agent = agent ?? entry.research.agent;
  }

  #entry(record: {
    readonly headers: Readonly<Record<string, Buffer>>;
    readonly timestamp: number;
  }): Entry | undefined {
    const id = headerText(record.headers, HEADER.workflowId);
    if (!id) return undefined;
    const known = this.#entries.get(id);
    if (known) return known;
    const firstAt = record.timestamp >= 0 ? record.timestamp : this.#clock();
    if (firstAt < this.#clock() - this.#options.windowMs) return undefined;
    const entry: Entry = {
      id,
      firstAt,
      topic: null,
      requestedBy: null,
      submittedAt: null,
      research: { state: 'pending', agent: null, completedAt: null },
      claims: new Map(),
      results: new Map(),
      decided: new Set(),
      skips: [],
      seo: new Map(),
      audit: [],
    };
    this.#entries.set(id, entry);
    this.#expire();
    return entry;
  }

  /** Drops from the oldest: first seen before the window, or past the count. */
  #expire(): void {
    const cutoff = this.#clock() - this.#options.windowMs;
    for (const [id, entry] of this.#entries) {
      if (entry.firstAt >= cutoff && this.#entries.size <= this.#options.maxWorkflows) break;
      this.#entries.delete(id);
    }
  }

  /** Lists in time order: records of several partitions arrive in no order of their own. */
  #status(entry: Entry): WorkflowStatus {
    const results = [...entry.results]
      .sort(([, a], [, b]) => a.writtenAt - b.writtenAt)
      .map(([id, result]) => ({
        agent: result.agent,
        format: result.format,
        title: result.title,
        result_id: id,
        epoch: result.epoch,
        body_bytes: result.bodyBytes,
        written_at: new Date(result.writtenAt).toISOString(),
      }));
    const waiting = [
      ...(entry.research.state === 'complete' ? [] : ['research']),
      ...this.#writers.filter((writer) => !entry.decided.has(writer)),
      ...(this.#scored ? results.filter((result) => !entry.seo.has(result.result_id)) : []).map(
        (result) => `seo for ${result.result_id}`,
      ),
    ];
    return {
      workflow_id: entry.id,
      topic: entry.topic,
      requested_by: entry.requestedBy,
      submitted_at: iso(entry.submittedAt),
      research: {
        state: entry.research.state,
        agent: entry.research.agent,
        completed_at: iso(entry.research.completedAt),
      },
      claims: [...entry.claims.values()]
        .sort((a, b) => a.decided_at - b.decided_at)
        .map((claim) => ({
          work_key: claim.work_key,
          state: claim.state,
          holder: claim.holder,
          epoch: claim.epoch,
          decided_at: new Date(claim.decided_at).toISOString(),
        })),
      results,
      skips: [...entry.skips],
      seo: [...entry.seo]
        .sort(([, a], [, b]) => a.at - b.at)
        .map(([id, { score }]) => ({ result_id: id, score })),
      audit: [...entry.audit]
        .sort((a, b) => a.at - b.at)
        .map(({ severity, findings }) => ({ severity, findings })),
      done: waiting.length === 0,
      waiting_for: waiting,
    };
  }
}
