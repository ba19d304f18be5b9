import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lockedPackages } from './lockfile.ts';

describe('pnpm-lock.yaml', () => {
  it('gives the name@version of every package it resolves', () => {
    const lockfile = [
      "lockfileVersion: '9.0'",
      'importers:',
      '  .:',
      '    devDependencies:',
      '      typescript:',
      '        specifier: ~5.9.3',
      '        version: 5.9.3',
      'packages:',
      "  '@aws-sdk/client-s3@3.1169.0':",
      '    resolution: {integrity: sha512-x}',
      '  yaml@2.9.1:',
      '    resolution: {integrity: sha512-y}',
      'snapshots:',
      "  '@aws-sdk/client-s3@3.1169.0(aws-crt@1.0.0)': {}",
      '',
    ].join('\n');
    assert.deepEqual([...lockedPackages(lockfile)], ['@aws-sdk/client-s3@3.1169.0', 'yaml@2.9.1']);
  });

  it('refuses a lockfile without packages', () => {
    assert.throws(
      () => lockedPackages("lockfileVersion: '9.0'\n"),
      /BUNDLE_INVALID: pnpm-lock.yaml has no packages: section/,
    );
  });
});
