// The rules every rendered paxfleet Deployment must keep, checked on `helm template`
// output (YAML on stdin):
//
//   helm template ... | node --conditions=paxfleet-source tools/src/policy-check.ts \
//       <label> [--one-deployment-per-agent]
//
// The rules are in policy/container-rules.ts (per agent container) and
// policy/render-rules.ts (per render); the agents come from schemas/topics.json. With
// --one-deployment-per-agent: exactly one Deployment for each agent of the catalog.
// Prints one line per problem; exits 1 if there is any, 2 if the input is not YAML.
import { readFileSync } from 'node:fs';
import { readCatalog } from './catalog.ts';
import { runTool } from './cli.ts';
import { parseYamlDocuments } from './kubernetes-yaml.ts';
import { kubernetesObjects } from './policy/manifests.ts';
import { checkRender } from './policy/render-rules.ts';
import { ToolError } from './tool-error.ts';

const USAGE = 'usage: policy-check.ts <label> [--one-deployment-per-agent] < rendered.yaml';

function main([label, ...flags]: readonly string[]): number {
  if (label === undefined || label.startsWith('--')) throw new ToolError('USAGE', USAGE);
  const unknown = flags.filter((flag) => flag !== '--one-deployment-per-agent');
  if (unknown.length > 0)
    throw new ToolError('USAGE', `unknown flag ${unknown.join(' ')}; ${USAGE}`);
  const objects = kubernetesObjects(
    parseYamlDocuments(readFileSync(0, 'utf8'), `${label} (stdin)`),
  );
  const report = checkRender(objects, {
    label,
    agents: readCatalog().agents,
    oneDeploymentPerAgent: flags.includes('--one-deployment-per-agent'),
  });
  for (const line of report.problems) process.stdout.write(`  ${line}\n`);
  process.stdout.write(
    `  ${label}: ${report.deployments} Deployments, ${report.problems.length} policy problems\n`,
  );
  return report.problems.length > 0 ? 1 : 0;
}

await runTool('policy-check', () => main(process.argv.slice(2)));
