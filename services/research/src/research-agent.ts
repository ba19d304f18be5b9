import { randomUUID } from 'node:crypto';
import type { AgentDefinition, HandlerOutcome, Work } from '@paxfleet/agent-kit';

const STEPS = ['Gathering sources', 'Processing competitive analysis', 'Writing analysis'] as const;

function subject(topic: string): string {
  return topic.replace(/[-_]+/g, ' ');
}

/** Turns a research task into an analysis (inline, or in the blob store when large) and an analysis_complete event. */
export function researchAgent(options: {
  readonly name: string;
  readonly maxEventAgeMs: number;
}): AgentDefinition<'research-tasks'> {
  return {
    name: options.name,
    consumes: ['research-tasks'],
    maxEventAgeMs: options.maxEventAgeMs,
    stalePolicy: { kind: 'skip' },
    async handle(work: Work<'research-tasks'>): Promise<HandlerOutcome> {
      const task = work.record.value;
      const about = subject(task.topic);
      const ask = async (step: number, prompt: string, maxTokens: number) => {
        await work.progress(step, STEPS.length, STEPS[step - 1] as string);
        return (
          await work.model.complete({
            system: 'You are a competitive research analyst.',
            prompt,
            maxTokens,
          })
        ).text;
      };
      const sources = await ask(
        1,
        `List the main sources and players for research on ${about}. ${task.brief}`,
        200,
      );
      const findings = await ask(
        2,
        `Analyze ${about}: strengths, gaps and trends, using: ${sources}`,
        800,
      );
      const summary = await ask(
        3,
        `Summarize in two sentences the analysis of ${about}: ${findings}`,
        80,
      );
      const analysis = await work.bodies.put(
        `research/${task.topic}/${task.workflow_id}.md`,
        `# Research: ${about}\n\n## Sources\n${sources}\n\n## Findings\n${findings}\n`,
      );
      work.outbox.send(
        'research-events',
        task.topic,
        {
          event_id: randomUUID(),
          event_type: 'analysis_complete',
          workflow_id: task.workflow_id,
          topic: task.topic,
          output_path: analysis.ref,
          timestamp: work.clock(),
          summary,
          body: analysis.body,
        },
        work.record.context,
      );
      return { outcome: 'processed', workKey: `research:${task.topic}` };
    },
  };
}
