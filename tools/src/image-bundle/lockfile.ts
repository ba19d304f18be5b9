import { parse } from 'yaml';
import { ToolError } from '../tool-error.ts';

/**
 * The packages pnpm-lock.yaml resolves, as name@version: the keys of its `packages:`
 * section (e.g. @aws-sdk/client-s3@3.1169.0), without any peer suffix in parentheses.
 */
export function lockedPackages(lockfile: string): Set<string> {
  const parsed = parse(lockfile) as { packages?: unknown } | null;
  const packages = parsed?.packages;
  if (typeof packages !== 'object' || packages === null) {
    throw new ToolError('BUNDLE_INVALID', 'pnpm-lock.yaml has no packages: section');
  }
  return new Set(Object.keys(packages).map((id) => id.replace(/\(.*$/, '')));
}
