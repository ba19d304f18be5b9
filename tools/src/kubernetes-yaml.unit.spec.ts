import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseYamlDocuments, toKubernetesYaml } from './kubernetes-yaml.ts';

describe('Kubernetes YAML', () => {
  it('reads every document of a helm template stream, leaving out empty ones', () => {
    const stream = [
      '---',
      '# Source: paxfleet/templates/service.yaml',
      'apiVersion: v1',
      'kind: Service',
      'metadata: { name: a }',
      '---',
      '# Source: paxfleet/templates/empty.yaml',
      '---',
      'kind: Deployment',
      '',
    ].join('\n');
    assert.deepEqual(parseYamlDocuments(stream, 'render'), [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' } },
      { kind: 'Deployment' },
    ]);
  });

  it('reads scalars as Kubernetes does (YAML 1.1): yes and on are true, timestamps stay strings', () => {
    assert.deepEqual(
      parseYamlDocuments('a: yes\nb: on\nc: "yes"\nd: 2024-01-02\ne: 0x10\n', 'values'),
      [{ a: true, b: true, c: 'yes', d: '2024-01-02', e: 16 }],
    );
  });

  it('names the input and the problem when the YAML is invalid', () => {
    assert.throws(
      () => parseYamlDocuments('a: [1, 2\n', 'default-values (stdin)'),
      /^ToolError: YAML_INVALID: default-values \(stdin\): /,
    );
    assert.throws(
      () => parseYamlDocuments('a: 1\na: 2\n', 'twice'),
      /YAML_INVALID: twice: .*unique/,
    );
  });

  it('writes lists under their key and quotes strings that are not plain names', () => {
    assert.equal(
      toKubernetesYaml({
        name: 'research/',
        ops: ['Read', 'Write'],
        host: '*',
        policy: 'compact,delete',
        flag: 'yes',
        n: 3,
        on: true,
        none: [],
      }),
      'name: research/\nops:\n- Read\n- Write\nhost: "*"\npolicy: "compact,delete"\nflag: "yes"\n"n": 3\n"on": true\nnone: []\n',
    );
  });
});
