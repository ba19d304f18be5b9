// The checks scripts/check-image-bundle.sh runs on a service's bundle (the /app of its
// image, made by scripts/bundle-service.sh), one per run:
//
//   node tools/src/inspect-image-bundle.ts <check> <bundle-dir>
//
// <check> is one of image-bundle/checks.ts's bundleChecks. Prints what it saw and exits
// 0, or prints what is wrong and exits 1; exits 2 for an unknown check. Run without
// --conditions=paxfleet-source: the checks load the bundle's compiled packages as the
// image does, and that condition would send their imports to the TypeScript sources
// the bundle leaves out. So this imports no workspace package, only relative modules.
import { runTool } from './cli.ts';
import { BundleProblem, bundleChecks } from './image-bundle/checks.ts';
import { repository } from './repository.ts';
import { ToolError } from './tool-error.ts';

async function main([name, bundle, ...rest]: readonly string[]): Promise<number> {
  const check = name === undefined ? undefined : bundleChecks[name];
  if (!check || bundle === undefined || rest.length > 0) {
    throw new ToolError(
      'USAGE',
      `usage: inspect-image-bundle.ts <check> <bundle-dir>; <check> is one of ${Object.keys(bundleChecks).join(', ')}`,
    );
  }
  try {
    process.stdout.write(`${await check(bundle, repository)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof BundleProblem)) throw error;
    process.stdout.write(`${error.message}\n`);
    return 1;
  }
}

await runTool('inspect-image-bundle', () => main(process.argv.slice(2)));
