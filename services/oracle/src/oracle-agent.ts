import { randomUUID } from 'node:crypto';
import type { AgentDefinition, HandlerOutcome, Work } from '@paxfleet/agent-kit';
import type { AuditFinding, ContentResult, ResearchEvent } from '@paxfleet/events';
import { isRetryableModelError, ModelError } from '@paxfleet/models';
import { auditContent, auditResearch, type Audit } from './audit.ts';
import type { KeywordRequest, KeywordSource } from './keywords.ts';
import { LatestEventTracker, type LogPosition } from './latest-event-tracker.ts';

export type OracleTopic = 'research-events' | 'content-results';

/** What the oracle needs of an event to know whether it is the newest: from its consumer or a reader ahead of it. */
export type AuditedEvent =
  | (LogPosition & { readonly topic: 'research-events'; readonly value: ResearchEvent })
  | (LogPosition & { readonly topic: 'content-results'; readonly value: ContentResult });

/** Only a finished analysis is audited, and only a newer finished analysis supersedes one. */
export const AUDITED_RESEARCH = 'analysis_complete';

/** Work key of a research audit, as the research agent names its work in agent-activity. */
export function researchWorkKey(topic: string): string {
  return `research:${topic}`;
}

/**
 * The newest finished analysis per research topic and the newest result per work key.
 * An older event for the same topic or work key is superseded: auditing it is how the
 * article's oracle came to recommend Kubernetes hours after the research had moved on.
 */
export class NewestEvents {
  readonly #research = new LatestEventTracker<ResearchEvent>();
  readonly #content = new LatestEventTracker<null>();

  observe(event: AuditedEvent): void {
    if (event.topic === 'research-events') {
      if (event.value.event_type === AUDITED_RESEARCH)
        this.#research.observe(event.value.topic, event, event.value);
    } else {
      this.#content.observe(event.value.work_key, event, null);
    }
  }

  /** True unless a newer event of the same kind has been seen; events that are not audited are never superseded. */
  isNewest(event: AuditedEvent): boolean {
    if (event.topic === 'research-events') {
      return (
        event.value.event_type !== AUDITED_RESEARCH ||
        this.#research.isLatest(event.value.topic, event)
      );
    }
    return this.#content.isLatest(event.value.work_key, event);
  }

  /** The newest finished analysis of a topic, for checking content against it. */
  latestResearch(topic: string): ResearchEvent | undefined {
    return this.#research.latest(topic)?.value;
  }
}

/** A reader of the log's head, ahead of the consumer: whether it has read what was there at start. */
export interface Lookahead {
  caughtUp(): Promise<void>;
}

export interface OracleAgentOptions {
  readonly name: string;
  readonly maxEventAgeMs: number;
  /** The rate-limited audit API, or the local recommender. */
  readonly keywords: KeywordSource;
  readonly newest?: NewestEvents;
  /** Waited for before an old event is judged, so "newest" covers the whole log, not only what was consumed. */
  readonly lookahead?: Lookahead;
  /** finding_id of each finding; random UUIDs unless a test fixes them. */
  readonly newId?: () => string;
}

const STEPS = 3;

/**
 * The audit agent: keyword recommendations for each finished analysis, and a check that
 * content covers the research it was written from. An event over the age limit is audited
 * only while it is still the newest for its topic or work key; a superseded one is recorded
 * as stale by the agent kit and never acted on.
 */
export function oracleAgent(options: OracleAgentOptions): AgentDefinition<OracleTopic> {
  const newest = options.newest ?? new NewestEvents();
  const newId = options.newId ?? randomUUID;
  const { keywords: source, maxEventAgeMs } = options;

  const rank = async (
    work: Work<OracleTopic>,
    request: KeywordRequest,
    workKey: string,
  ): Promise<string[] | HandlerOutcome> => {
    try {
      return await source.keywords(request);
    } catch (error) {
      // Rate limits and outages are retried by the processor from the last commit: the
      // oracle falls behind (visible as lag), the staleness guard keeps that safe.
      if (
        isRetryableModelError(error) ||
        (error instanceof ModelError && error.code === 'MODEL_ABORTED')
      )
        throw error;
      work.logger.warn('keyword API refused the request', {
        work_key: workKey,
        error: (error as Error).message,
      });
      return { outcome: 'failed', reason: `keyword API: ${(error as Error).message}`, workKey };
    }
  };

  const publish = (
    work: Work<OracleTopic>,
    finding: Omit<AuditFinding, 'finding_id' | 'workflow_id' | 'produced_at'>,
  ): HandlerOutcome => {
    work.outbox.send(
      'audit-findings',
      finding.work_key,
      {
        finding_id: newId(),
        workflow_id: work.record.context.workflowId,
        ...finding,
        produced_at: work.clock(),
      },
      work.record.context,
    );
    work.logger.info(`Audit of ${finding.work_key}: ${finding.severity}`, {
      work_key: finding.work_key,
      severity: finding.severity,
      findings: finding.findings.length,
      source_age_ms: finding.source_age_ms,
    });
    return { outcome: 'processed', workKey: finding.work_key };
  };

  async function auditResearchEvent(work: Work<OracleTopic>, event: ResearchEvent, ageMs: number) {
    const workKey = researchWorkKey(event.topic);
    if (event.event_type !== AUDITED_RESEARCH) {
      return { outcome: 'skipped', reason: `${event.event_type} is not audited`, workKey } as const;
    }
    await work.progress(1, STEPS, 'Reading research');
    let text: string;
    try {
      text = await work.bodies.get({ body: event.body, ref: event.output_path });
    } catch (error) {
      return {
        outcome: 'failed',
        reason: `research unreadable: ${(error as Error).message}`,
        workKey,
      } as const;
    }
    await work.progress(2, STEPS, `Ranking keywords (${source.name})`);
    const ranked = await rank(work, { topic: event.topic, text }, workKey);
    if (!Array.isArray(ranked)) return ranked;
    await work.progress(3, STEPS, 'Publishing findings');
    const audit: Audit = auditResearch({
      topic: event.topic,
      keywords: ranked,
      summary: event.summary,
      ageMs,
      maxAgeMs: maxEventAgeMs,
    });
    return publish(work, {
      work_key: workKey,
      subject: 'research',
      source_event_id: event.event_id,
      keywords: ranked,
      findings: audit.findings,
      severity: audit.severity,
      source_age_ms: ageMs,
    });
  }

  async function auditContentResult(work: Work<OracleTopic>, result: ContentResult, ageMs: number) {
    const workKey = result.work_key;
    await work.progress(1, STEPS, 'Reading content');
    let content: string;
    let research: string | undefined;
    const analysis = newest.latestResearch(result.topic);
    try {
      content = await work.bodies.get({ body: result.body, ref: result.body_ref });
    } catch (error) {
      return {
        outcome: 'failed',
        reason: `content unreadable: ${(error as Error).message}`,
        workKey,
      } as const;
    }
    try {
      if (analysis)
        research = await work.bodies.get({ body: analysis.body, ref: analysis.output_path });
    } catch (error) {
      return {
        outcome: 'failed',
        reason: `research unreadable: ${(error as Error).message}`,
        workKey,
      } as const;
    }
    await work.progress(2, STEPS, `Ranking keywords (${source.name})`);
    // Without research to compare with, the content's own keywords are still worth recommending.
    const ranked = await rank(work, { topic: result.topic, text: research ?? content }, workKey);
    if (!Array.isArray(ranked)) return ranked;
    await work.progress(3, STEPS, 'Publishing findings');
    const audit = auditContent({
      topic: result.topic,
      workKey,
      researchKeywords: research === undefined ? undefined : ranked,
      content,
      ageMs,
      maxAgeMs: maxEventAgeMs,
    });
    return publish(work, {
      work_key: workKey,
      subject: 'content',
      source_event_id: result.result_id,
      keywords: ranked,
      findings: audit.findings,
      severity: audit.severity,
      source_age_ms: ageMs,
    });
  }

  return {
    name: options.name,
    consumes: ['research-events', 'content-results'],
    maxEventAgeMs,
    observe: (record) => newest.observe(record),
    stalePolicy: {
      kind: 'recheck',
      stillCurrent: async (record) => {
        await options.lookahead?.caughtUp();
        return newest.isNewest(record);
      },
    },
    async handle(work: Work<OracleTopic>): Promise<HandlerOutcome> {
      const { record } = work;
      const ageMs = Math.max(0, work.clock() - record.timestamp);
      return record.topic === 'research-events'
        ? auditResearchEvent(work, record.value, ageMs)
        : auditContentResult(work, record.value, ageMs);
    },
  };
}
