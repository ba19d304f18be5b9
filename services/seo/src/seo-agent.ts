import { randomUUID } from 'node:crypto';
import type { AgentDefinition, HandlerOutcome, Work } from '@paxfleet/agent-kit';
import { polishRecommendations } from './polish.ts';
import { scoreContent } from './seo-score.ts';

const STEPS = ['Reading content', 'Scoring SEO', 'Publishing report'] as const;

export interface SeoAgentOptions {
  readonly name: string;
  readonly maxEventAgeMs: number;
  /** report_id of each report; random UUIDs unless a test fixes them. */
  readonly newId?: () => string;
}

/**
 * Reads each finished piece of content (inline, or from the blob store), scores it and publishes an
 * seo-reports record under the content's work key, in the input's transaction.
 */
export function seoAgent(options: SeoAgentOptions): AgentDefinition<'content-results'> {
  const newId = options.newId ?? randomUUID;
  return {
    name: options.name,
    consumes: ['content-results'],
    maxEventAgeMs: options.maxEventAgeMs,
    // Content older than the limit is replay (a new group reading a year of results), not news.
    stalePolicy: { kind: 'skip' },
    async handle(work: Work<'content-results'>): Promise<HandlerOutcome> {
      const result = work.record.value;
      const workKey = result.work_key;
      await work.progress(1, STEPS.length, STEPS[0]);
      let body: string;
      try {
        body = await work.bodies.get({ body: result.body, ref: result.body_ref });
      } catch (error) {
        return {
          outcome: 'failed',
          reason: `content unreadable: ${(error as Error).message}`,
          workKey,
        };
      }

      await work.progress(2, STEPS.length, STEPS[1]);
      const score = scoreContent({
        title: result.title,
        body,
        format: result.format,
        topic: result.topic,
        summary: result.summary,
      });
      let recommendations = score.recommendations;
      try {
        const outcome = await polishRecommendations(work.model, recommendations, {
          title: result.title,
        });
        recommendations = outcome.recommendations;
      } catch (error) {
        // The computed advice is complete on its own: a model outage only costs the wording.
        work.logger.warn('recommendations not polished; publishing them as computed', {
          work_key: workKey,
          error: (error as Error).message,
        });
      }

      await work.progress(3, STEPS.length, STEPS[2]);
      work.outbox.send(
        'seo-reports',
        workKey,
        {
          report_id: newId(),
          work_key: workKey,
          workflow_id: work.record.context.workflowId,
          result_id: result.result_id,
          format: result.format,
          keywords: score.keywords,
          score: score.score,
          recommendations,
          produced_at: work.clock(),
        },
        work.record.context,
      );
      work.logger.info(`SEO score ${score.score}/100 for ${result.title}`, {
        work_key: workKey,
        score: score.score,
        words: score.wordCount,
        recommendations: recommendations.length,
      });
      return { outcome: 'processed', workKey };
    },
  };
}
