import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bins, runtimeExports } from './manifest.ts';

describe('package manifests', () => {
  it('give the file Node loads for each export: import, else default', () => {
    assert.deepEqual(
      runtimeExports({
        exports: {
          '.': {
            'paxfleet-source': './src/index.ts',
            types: './dist/index.d.ts',
            default: './dist/index.js',
          },
          './esm': { import: './dist/esm.js', default: './dist/cjs.js' },
          './plain': './dist/plain.js',
          './types-only': { types: './dist/t.d.ts' },
        },
      }),
      [
        ['.', './dist/index.js'],
        ['./esm', './dist/esm.js'],
        ['./plain', './dist/plain.js'],
        ['./types-only', undefined],
      ],
    );
    assert.deepEqual(runtimeExports({ exports: './index.js' }), [['.', './index.js']]);
  });

  it('name a single bin after the package', () => {
    assert.deepEqual(bins({ name: 'tool', bin: './cli.js' }), { tool: './cli.js' });
    assert.deepEqual(bins({ bin: { a: './a.js' } }), { a: './a.js' });
    assert.deepEqual(bins({}), {});
  });
});
