// The fleet's services, one name a line, in the order of schemas/topics.json's `agents`
// (read by @paxfleet/events' parser): the list scripts/images.sh builds images for, the
// chart deploys (files/agents.yaml comes from the same catalog) and k8s/README.md makes
// Kafka credentials for.
//
//   node --conditions=paxfleet-source tools/src/list-agents.ts
//
// Exits 2 when the catalog is invalid.
import { readCatalog } from './catalog.ts';
import { runTool } from './cli.ts';
import { ToolError } from './tool-error.ts';

function main(args: readonly string[]): number {
  if (args.length > 0)
    throw new ToolError(
      'USAGE',
      `unknown argument ${args.join(' ')}; usage: node --conditions=paxfleet-source tools/src/list-agents.ts`,
    );
  for (const agent of readCatalog().agents) process.stdout.write(`${agent.name}\n`);
  return 0;
}

await runTool('list-agents', () => main(process.argv.slice(2)));
