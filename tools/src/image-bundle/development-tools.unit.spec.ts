import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { developmentTools, developmentToolsIn } from './development-tools.ts';

describe('development tools', () => {
  const tools = developmentTools([
    {
      devDependencies: {
        typescript: '5',
        vitest: '3',
        avsc: '5',
        '@paxfleet/testing': 'workspace:*',
      },
    },
    { dependencies: { avsc: '5' } },
  ]);

  it('are the devDependencies no package needs in production, and the toolchain', () => {
    assert.deepEqual([...tools].sort(), [
      '@types/node',
      'eslint',
      'prettier',
      'typescript',
      'typescript-eslint',
      'vitest',
    ]);
  });

  it('are found in a bundle unless a production package depends on them', () => {
    const installed = [
      { name: 'vitest', manifest: {} },
      { name: '@types/node', manifest: {} },
      { name: 'protobufjs', manifest: { dependencies: { '@types/node': '*' } } },
      { name: '@typescript-eslint/parser', manifest: {} },
      { name: 'avsc', manifest: {} },
    ];
    assert.deepEqual(developmentToolsIn(installed, tools), ['vitest', '@typescript-eslint/parser']);
  });
});
