import type { AgentSpec } from '@paxfleet/events';
import { containerProblems, finalEnv } from './container-rules.ts';
import {
  component,
  type Deployment,
  type KubernetesObject,
  type ScaledObject,
} from './manifests.ts';

/** Settings of the blob store; every agent must have the same ones. */
const BLOB_ENV = /^(BLOB_|AWS_)/;

export interface PolicyOptions {
  /** Names the render in problems that concern it as a whole (the values file). */
  readonly label: string;
  /** The catalog's agents: each ScaledObject must scale one on its own group and topics. */
  readonly agents: readonly AgentSpec[];
  /**
   * The chart's defaults: exactly one Deployment for each agent of the catalog, none for an
   * optional one (the dashboard is off until turned on).
   */
  readonly oneDeploymentPerAgent: boolean;
}

export interface PolicyReport {
  readonly deployments: number;
  /** One line per problem, "<where>: <what>". */
  readonly problems: readonly string[];
}

const ofKind = <T extends KubernetesObject>(
  objects: readonly KubernetesObject[],
  kind: T['kind'],
) => objects.filter((object): object is T => object.kind === kind);

function deploymentProblems(deployment: Deployment): string[] {
  const where = `Deployment ${deployment.metadata?.name}`;
  const pod = deployment.spec?.template?.spec ?? {};
  const problems: string[] = [];
  if (!pod.containers?.length) problems.push(`${where}: has no containers`);
  const grace = pod.terminationGracePeriodSeconds;
  if (!(grace !== undefined && grace >= 30)) {
    problems.push(
      `${where}: terminationGracePeriodSeconds ${grace} leaves no time to finish a transaction`,
    );
  }
  for (const container of pod.containers ?? []) {
    for (const problem of containerProblems(pod, container)) {
      problems.push(`${where} container ${container.name}: ${problem}`);
    }
  }
  return problems;
}

/** Every agent reads bodies others wrote: they must all use the same store. */
function blobSettingProblems(deployments: readonly Deployment[]): string[] {
  const settings = deployments.flatMap((deployment) =>
    (deployment.spec?.template?.spec?.containers ?? []).map((container) => ({
      name: deployment.metadata?.name,
      blobs: JSON.stringify(
        [...finalEnv(container)]
          .filter(([name]) => BLOB_ENV.test(name))
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      ),
    })),
  );
  const [first, ...others] = settings;
  if (!first) return [];
  return others
    .filter((other) => other.blobs !== first.blobs)
    .map((other) => `Deployment ${other.name}: BLOB_* settings differ from ${first.name}'s`);
}

function serviceProblems(
  objects: readonly KubernetesObject[],
  deployments: readonly Deployment[],
): string[] {
  const services = new Set(
    objects.filter((o) => o.kind === 'Service').map((s) => s.metadata?.name),
  );
  return deployments
    .filter((d) => !services.has(d.metadata?.name))
    .map((d) => `Deployment ${d.metadata?.name}: has no Service of the same name`);
}

function scalingProblems(scaled: ScaledObject, agents: readonly AgentSpec[]): string[] {
  const agentName = component(scaled);
  const agent = agents.find((a) => a.name === agentName);
  const where = `ScaledObject ${scaled.metadata?.name}`;
  if (!agent) return [`${where}: component ${agentName} is not an agent of schemas/topics.json`];
  const problems: string[] = [];
  for (const trigger of scaled.spec?.triggers ?? []) {
    if (trigger.type !== 'kafka') continue;
    const { consumerGroup, topic } = trigger.metadata ?? {};
    if (consumerGroup !== agent.group) {
      problems.push(`${where}: consumer group ${consumerGroup} is not ${agent.group}`);
    }
    if (topic === undefined || !agent.consumes.includes(topic)) {
      problems.push(`${where}: topic ${topic} is not one ${agent.name} consumes`);
    }
  }
  return problems;
}

function oneDeploymentPerAgentProblems(
  label: string,
  deployments: readonly Deployment[],
  agents: readonly AgentSpec[],
): string[] {
  const expected = agents.map((agent) => agent.name).sort();
  const found = deployments.map(component);
  const problems: string[] = [];
  for (const agent of [...agents].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const count = found.filter((c) => c === agent.name).length;
    const wanted = agent.optional ? 0 : 1;
    if (count !== wanted)
      problems.push(
        `${label}: ${count} Deployments for agent ${agent.name}, expected ${wanted}${agent.optional ? ' (optional: off by default)' : ''}`,
      );
  }
  for (const extra of found.filter((c) => c === undefined || !expected.includes(c)).sort()) {
    problems.push(`${label}: Deployment for ${extra}, which is not an agent`);
  }
  return problems;
}

/**
 * The rules a `helm template` render must keep: at least one Deployment, each keeping the
 * container rules; the same BLOB_* settings everywhere; a Service per Deployment; KEDA
 * triggers on the agent's own consumer group and a topic it consumes.
 */
export function checkRender(
  objects: readonly KubernetesObject[],
  options: PolicyOptions,
): PolicyReport {
  const deployments = ofKind<Deployment>(objects, 'Deployment');
  const problems = [
    ...(deployments.length === 0 ? [`${options.label}: renders no Deployment`] : []),
    ...deployments.flatMap(deploymentProblems),
    ...blobSettingProblems(deployments),
    ...serviceProblems(objects, deployments),
    ...ofKind<ScaledObject>(objects, 'ScaledObject').flatMap((scaled) =>
      scalingProblems(scaled, options.agents),
    ),
    ...(options.oneDeploymentPerAgent
      ? oneDeploymentPerAgentProblems(options.label, deployments, options.agents)
      : []),
  ];
  return { deployments: deployments.length, problems };
}
