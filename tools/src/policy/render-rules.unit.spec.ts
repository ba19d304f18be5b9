import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testCatalog } from '../testing.ts';
import { goodContainer, goodDeployment, service } from './fixtures.ts';
import type { KubernetesObject, ScaledObject } from './manifests.ts';
import { checkRender, type PolicyOptions } from './render-rules.ts';

const { agents } = testCatalog([{ name: 'tasks' }, { name: 'events' }], {
  research: { consumes: ['tasks'], produces: ['events'] },
  content: { consumes: ['events'] },
});
const options: PolicyOptions = { label: 'values', agents, oneDeploymentPerAgent: true };
const research: KubernetesObject[] = [goodDeployment('research'), service('research')];
const contentService = service('content');
const fleet: KubernetesObject[] = [...research, goodDeployment('content'), contentService];
const withContent = (deployment: KubernetesObject) => [...research, deployment, contentService];

function scaledObject(agent: string, consumerGroup: string, topic: string): ScaledObject {
  return {
    kind: 'ScaledObject',
    metadata: { name: `paxfleet-${agent}`, labels: { 'app.kubernetes.io/component': agent } },
    spec: { triggers: [{ type: 'kafka', metadata: { consumerGroup, topic } }, { type: 'cpu' }] },
  };
}

describe('render rules', () => {
  it('accept a render with one good Deployment and its Service per agent', () => {
    assert.deepEqual(checkRender(fleet, options), { deployments: 2, problems: [] });
  });

  it('refuse a render without Deployments', () => {
    assert.deepEqual(checkRender([], { ...options, oneDeploymentPerAgent: false }).problems, [
      'values: renders no Deployment',
    ]);
  });

  it('name the Deployment and container of a broken container rule', () => {
    const broken = goodDeployment('content', { ...goodContainer('content'), livenessProbe: {} });
    assert.deepEqual(checkRender(withContent(broken), options).problems, [
      'Deployment paxfleet-content container content: livenessProbe is not an HTTP GET',
    ]);
  });

  it('refuse a short termination grace period and a pod without containers', () => {
    const base = goodDeployment('content');
    const pod = base.spec?.template?.spec;
    const short = {
      ...base,
      spec: { template: { spec: { ...pod, terminationGracePeriodSeconds: 10, containers: [] } } },
    };
    assert.deepEqual(checkRender(withContent(short), options).problems, [
      'Deployment paxfleet-content: has no containers',
      'Deployment paxfleet-content: terminationGracePeriodSeconds 10 leaves no time to finish a transaction',
    ]);
  });

  it('refuse agents with different blob stores', () => {
    const inline = goodDeployment('content', {
      ...goodContainer('content'),
      env: [{ name: 'BLOB_STORE', value: 'none' }],
    });
    assert.deepEqual(checkRender(withContent(inline), options).problems, [
      "Deployment paxfleet-content: BLOB_* settings differ from paxfleet-research's",
    ]);
  });

  it('refuse a Deployment without its Service', () => {
    assert.deepEqual(checkRender([...research, goodDeployment('content')], options).problems, [
      'Deployment paxfleet-content: has no Service of the same name',
    ]);
  });

  it("refuse KEDA triggers on another agent's group or a topic it does not consume", () => {
    const render = [
      ...fleet,
      scaledObject('research', 'paxfleet-research', 'tasks'),
      scaledObject('content', 'paxfleet-research', 'tasks'),
      scaledObject('ghost', 'g', 't'),
    ];
    assert.deepEqual(checkRender(render, options).problems, [
      'ScaledObject paxfleet-content: consumer group paxfleet-research is not paxfleet-content',
      'ScaledObject paxfleet-content: topic tasks is not one content consumes',
      'ScaledObject paxfleet-ghost: component ghost is not an agent of schemas/topics.json',
    ]);
  });

  it('with one Deployment per agent, refuse a missing, doubled or unknown agent', () => {
    const render = [
      ...research,
      goodDeployment('research'),
      goodDeployment('ghost'),
      service('ghost'),
    ];
    assert.deepEqual(checkRender(render, options).problems, [
      'values: 0 Deployments for agent content, expected 1',
      'values: 2 Deployments for agent research, expected 1',
      'values: Deployment for ghost, which is not an agent',
    ]);
    assert.deepEqual(
      checkRender(render, { ...options, oneDeploymentPerAgent: false }).problems,
      [],
    );
  });
});
