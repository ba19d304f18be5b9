import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { AgentSpec } from '@paxfleet/events';

/** What the repository holds for its services, read from disk (or made up, in tests). */
export interface FleetFiles {
  /** helm/paxfleet/values.yaml, parsed. */
  readonly chartValues: unknown;
  /** The paths the root tsconfig.json references. */
  readonly tsconfigReferences: readonly string[];
  /** Whether services/<name>/package.json names the package @paxfleet/<name>. */
  readonly hasPackage: (name: string) => boolean;
}

export function readFleetFiles(repository: string): FleetFiles {
  const tsconfig = JSON.parse(readFileSync(join(repository, 'tsconfig.json'), 'utf8')) as {
    references?: { path: string }[];
  };
  return {
    chartValues: parse(readFileSync(join(repository, 'helm', 'paxfleet', 'values.yaml'), 'utf8')),
    tsconfigReferences: (tsconfig.references ?? []).map((reference) => reference.path),
    hasPackage: (name) => {
      const manifest = join(repository, 'services', name, 'package.json');
      return (
        existsSync(manifest) &&
        (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name ===
          `@paxfleet/${name}`
      );
    },
  };
}

interface Component {
  readonly autoscaling?: { readonly consumerGroup?: string; readonly topics?: readonly string[] };
}

/**
 * What is missing or wrong for the services the catalog declares: each needs its package
 * under services/ and a reference in the root tsconfig. The chart needs nothing per agent
 * (its components come from files/agents.yaml, generated from the catalog), but an
 * override under values.yaml's `components` must name an agent, and one that sets the
 * autoscaling group or topics must keep to the agent's own group and topics it consumes.
 */
export function agentDeclarationProblems(
  agents: readonly AgentSpec[],
  files: FleetFiles,
): string[] {
  const problems: string[] = [];
  const components =
    (files.chartValues as { components?: Record<string, Component | null> } | null)?.components ??
    {};
  for (const agent of agents) {
    if (!files.hasPackage(agent.name))
      problems.push(
        `${agent.name}: services/${agent.name}/package.json naming @paxfleet/${agent.name} is missing`,
      );
    if (!files.tsconfigReferences.includes(`services/${agent.name}`))
      problems.push(
        `${agent.name}: the root tsconfig.json does not reference services/${agent.name}`,
      );
    const autoscaling = components[agent.name]?.autoscaling;
    if (autoscaling?.consumerGroup !== undefined && autoscaling.consumerGroup !== agent.group)
      problems.push(
        `${agent.name}: components.${agent.name}.autoscaling.consumerGroup is ${autoscaling.consumerGroup}, the catalog says ${agent.group}`,
      );
    for (const topic of autoscaling?.topics ?? []) {
      if (!agent.consumes.includes(topic))
        problems.push(
          `${agent.name}: components.${agent.name}.autoscaling.topics has ${topic}, which it does not consume`,
        );
    }
  }
  for (const name of Object.keys(components)) {
    if (!agents.some((agent) => agent.name === name))
      problems.push(
        `helm/paxfleet/values.yaml: components.${name} is not an agent of schemas/topics.json`,
      );
  }
  return problems;
}
