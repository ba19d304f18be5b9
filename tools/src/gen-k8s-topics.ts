// Generates the Strimzi resources and chart files that follow from the topic catalog
// (schemas/topics.json), so topics, ACLs and the chart's agents are never written by hand:
//
//   k8s/topics/<topic>.yaml                 KafkaTopic, for any cluster
//   k8s/topics/tiered-storage/<topic>.yaml  the same topics for a cluster with
//                                           tiered storage (k8s/kafka/tiered-storage/)
//   k8s/users/<agent>.yaml                  KafkaUser with SCRAM-SHA-512 and ACLs
//   k8s/users/tls/<agent>.yaml              the same KafkaUser authenticated by client
//                                           certificate (mTLS), applied instead
//   helm/paxfleet/files/blob-retention.yaml the days the chart's S3 lifecycle rule keeps
//                                           the blobs under each topic's blobPrefix
//   helm/paxfleet/files/agents.yaml         the agents the chart renders, each with its
//                                           consumer group and the topics KEDA scales it
//                                           on (those it consumes that are not compacted)
//
//   node --conditions=paxfleet-source tools/src/gen-k8s-topics.ts           write the files
//   node --conditions=paxfleet-source tools/src/gen-k8s-topics.ts --check   exit 1 naming every
//       file that differs from what the catalog gives (drift)
//
// The catalog is read by @paxfleet/events' parser and the topic configs are the ones it
// applies to a cluster (topicConfigs). Exits 2 when the catalog is invalid.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { catalogFile, readCatalog } from './catalog.ts';
import { runTool } from './cli.ts';
import { repository } from './repository.ts';
import { drift, layoutUnder, renderFiles, staleFiles } from './strimzi/generated-files.ts';
import { ToolError } from './tool-error.ts';

const NAME = 'gen-k8s-topics';
const COMMAND = 'node --conditions=paxfleet-source tools/src/gen-k8s-topics.ts';

function main(args: readonly string[]): number {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0)
    throw new ToolError(
      'USAGE',
      `unknown argument ${unknown.join(' ')}; usage: ${COMMAND} [--check]`,
    );
  const layout = layoutUnder(repository);
  const files = renderFiles(readCatalog(), layout);
  const catalogName = relative(repository, catalogFile);
  if (args.includes('--check')) {
    const problems = drift(files, layout, repository);
    for (const problem of problems) process.stderr.write(`${NAME}: drift: ${problem}\n`);
    if (problems.length > 0) {
      process.stderr.write(`${NAME}: run \`${COMMAND}\` and commit the result\n`);
      return 1;
    }
    process.stdout.write(`${NAME}: ${files.size} files match ${catalogName}\n`);
    return 0;
  }
  const stale = staleFiles(files, layout);
  for (const file of stale) rmSync(file);
  for (const [file, text] of files) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  process.stdout.write(
    `${NAME}: wrote ${files.size} files${stale.length > 0 ? `, removed ${stale.length}` : ''}\n`,
  );
  return 0;
}

await runTool(NAME, () => main(process.argv.slice(2)));
