import { randomUUID } from 'node:crypto';
import type { AgentDefinition, HandlerOutcome, Work } from '@paxfleet/agent-kit';
import {
  EventsError,
  type AgentSpec,
  type ClaimOverlap,
  type ContentFormat,
} from '@paxfleet/events';

/** The work key all content agents compete for: one piece of content per research topic. */
export function contentWorkKey(topic: string): string {
  return `content:${topic}`;
}

const STEPS = [
  'Analyzing research',
  'Generating outline',
  'Writing draft',
  'SEO optimization',
  'Publishing',
] as const;

/** Why a denied claim is skipped, as an operator reads it in the log. */
function skipReason(holder: string | null, overlap: ClaimOverlap | null): string {
  if (!overlap) return `already claimed by ${holder ?? 'nobody'}`;
  const by = overlap.state === 'held' ? 'claimed' : 'completed';
  return `overlaps ${overlap.subject} (${overlap.score.toFixed(2)}), ${by} by ${overlap.holder ?? 'nobody'}`;
}

function title(topic: string): string {
  return topic.replace(/[-_]+/g, ' ').replace(/\b\w/g, (letter) => letter.toUpperCase());
}

function formatOf(agent: AgentSpec): ContentFormat {
  if (agent.format) return agent.format;
  throw new EventsError(
    'CATALOG_INVALID',
    `schemas/topics.json: agent ${agent.name} writes content but declares no format`,
  );
}

/**
 * A content agent: sees every analysis_complete research event, asks the
 * coordinator for the topic, writes only if granted, and publishes the result
 * exactly once under its fencing epoch. Denied agents skip and say who won.
 */
export function writerAgent(options: {
  readonly name: string;
  /** The agent's declaration in the topic catalog: its format is what it writes. */
  readonly agent: AgentSpec;
  readonly maxEventAgeMs: number;
}): AgentDefinition<'research-events'> {
  const { name } = options;
  const format: ContentFormat = formatOf(options.agent);
  return {
    name,
    consumes: ['research-events'],
    maxEventAgeMs: options.maxEventAgeMs,
    stalePolicy: { kind: 'skip' },
    async handle(work: Work<'research-events'>): Promise<HandlerOutcome> {
      const event = work.record.value;
      if (event.event_type !== 'analysis_complete') {
        return { outcome: 'skipped', reason: `${event.event_type} starts no content work` };
      }
      const workKey = contentWorkKey(event.topic);
      let research: string;
      try {
        research = await work.bodies.get({ body: event.body, ref: event.output_path });
      } catch (error) {
        return {
          outcome: 'failed',
          reason: `research unreadable: ${(error as Error).message}`,
          workKey,
        };
      }
      const claim = await work.claim(workKey, { format: format.id, subject: event.topic });
      const { overlap } = claim.record;
      if (!claim.granted) {
        work.logger.info(`Skipping ${event.topic} - ${skipReason(claim.holder, overlap)}`, {
          work_key: workKey,
          reason: claim.reason,
          ...(overlap && { overlaps: overlap.work_key, score: overlap.score }),
        });
        return { outcome: 'skipped', reason: claim.reason, workKey };
      }
      if (overlap) {
        work.logger.info(
          `Writing ${event.topic} beside ${overlap.subject} (${overlap.score.toFixed(2)}), ${format.id} complementing ${overlap.format} by ${overlap.holder ?? 'nobody'}`,
          { work_key: workKey, overlaps: overlap.work_key, score: overlap.score },
        );
      }
      work.logger.info(`Claimed ${event.topic} at epoch ${claim.epoch}`, {
        work_key: workKey,
        epoch: claim.epoch,
      });

      const ask = async (step: number, prompt: string, maxTokens: number) => {
        await work.progress(step, STEPS.length, STEPS[step - 1] as string);
        const completion = await work.model.complete({
          system: `You write a ${format.noun} for ${format.audience}.`,
          prompt,
          maxTokens,
        });
        return completion.text;
      };
      const subject = title(event.topic);
      const analysis = await ask(
        1,
        `Summarize the key findings about ${subject}:\n\n${research}`,
        300,
      );
      const outline = await ask(
        2,
        `Write a ${format.noun} outline about ${subject} from these findings:\n${analysis}`,
        300,
      );
      const draft = await ask(
        3,
        `Write the ${format.noun} about ${subject} following this outline:\n${outline}`,
        1200,
      );
      const keywords = await ask(4, `List SEO keywords for a ${format.noun} about ${subject}`, 100);
      await work.progress(5, STEPS.length, STEPS[4]);
      const body = `# ${subject}\n\n${draft}\n\n---\nKeywords: ${keywords}\n`;
      const stored = await work.bodies.put(
        `content/${format.id}/${event.topic}/${work.record.context.workflowId}.md`,
        body,
      );

      // Completion is the gate: under a lapsed lease this throws and nothing is published.
      const completed = await work.completeClaim();
      work.outbox.send(
        'content-results',
        workKey,
        {
          result_id: randomUUID(),
          work_key: workKey,
          workflow_id: work.record.context.workflowId,
          agent: name,
          format: format.id,
          topic: event.topic,
          title: `${subject}: a ${format.noun}`,
          summary: event.summary ?? analysis.slice(0, 200),
          body_ref: stored.ref,
          body_bytes: stored.bytes,
          epoch: completed.epoch,
          produced_at: work.clock(),
          body: stored.body,
        },
        work.record.context,
      );
      return { outcome: 'processed', workKey };
    },
  };
}
