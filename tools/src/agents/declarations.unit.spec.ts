import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventRegistry } from '@paxfleet/events';
import { repository } from '../repository.ts';
import { agentDeclarationProblems, readFleetFiles } from './declarations.ts';

const agents = eventRegistry().catalog.agents;

describe('agent declarations', () => {
  it('every agent of the catalog has its package and tsconfig reference, and the chart overrides only agents', () => {
    assert.deepEqual(agentDeclarationProblems(agents, readFleetFiles(repository)), []);
  });

  it('names what an eighth agent still lacks', () => {
    const files = readFleetFiles(repository);
    const eighth = { ...agents[1]!, name: 'newsletter', group: 'paxfleet-newsletter', port: 7077 };
    assert.deepEqual(agentDeclarationProblems([...agents, eighth], files), [
      'newsletter: services/newsletter/package.json naming @paxfleet/newsletter is missing',
      'newsletter: the root tsconfig.json does not reference services/newsletter',
    ]);
  });

  it('needs no chart component for an agent: the chart takes its agents from the catalog', () => {
    const files = readFleetFiles(repository);
    assert.deepEqual(agentDeclarationProblems(agents, { ...files, chartValues: {} }), []);
    assert.deepEqual(
      agentDeclarationProblems(agents, { ...files, chartValues: { components: { seo: null } } }),
      [],
    );
  });

  it('finds a chart override that names no agent, or watches another group or a topic the agent does not consume', () => {
    const files = readFleetFiles(repository);
    const values = files.chartValues as { components: Record<string, unknown> };
    const chartValues = {
      components: {
        ...values.components,
        seo: { autoscaling: { consumerGroup: 'paxfleet-research', topics: ['research-tasks'] } },
        gone: {},
      },
    };
    assert.deepEqual(agentDeclarationProblems(agents, { ...files, chartValues }), [
      'seo: components.seo.autoscaling.consumerGroup is paxfleet-research, the catalog says paxfleet-seo',
      'seo: components.seo.autoscaling.topics has research-tasks, which it does not consume',
      'helm/paxfleet/values.yaml: components.gone is not an agent of schemas/topics.json',
    ]);
  });
});
