import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { KafkaError, kafkaConnectionFromEnv } from '@paxfleet/kafka';
import { CliError, describeFailure, EXIT } from '../errors.ts';
import { parseFormat, plain, render, renderLine, type Column } from './output.ts';

interface Row {
  readonly name: string;
  readonly lag: number | null;
}
const COLUMNS: readonly Column<Row>[] = [
  { header: 'name', value: (row) => row.name },
  { header: 'lag', value: (row) => row.lag },
];
const rows: Row[] = [
  { name: 'research', lag: 12 },
  { name: 'seo', lag: null },
];

describe('the command output', () => {
  it('a table pads columns under upper-case headings, shows a missing value as -, and no colour off a terminal', () => {
    assert.equal(
      render({ data: rows, rows, columns: COLUMNS }, 'table'),
      ['NAME      LAG', 'research  12', 'seo       -'].join('\n'),
    );
    assert.equal(
      render({ data: [], rows: [], columns: COLUMNS, empty: 'no agents' }, 'table'),
      'no agents',
    );
  });

  it('JSON and YAML carry the same data: bytes as base64, maps as objects, big integers as numbers', () => {
    const data = {
      key: Buffer.from('k1'),
      byAgent: new Map([['seo', { calls: 2n }]]),
      at: new Date(0),
    };
    const expected = {
      key: 'azE=',
      byAgent: { seo: { calls: 2 } },
      at: '1970-01-01T00:00:00.000Z',
    };
    assert.deepEqual(plain(data), expected);
    assert.deepEqual(JSON.parse(render({ data, rows: [], columns: [] }, 'json')), expected);
    assert.deepEqual(parseYaml(render({ data, rows: [], columns: [] }, 'yaml')), expected);
    assert.equal(
      renderLine({ a: 1 }, 'json', () => 'line'),
      '{"a":1}',
    );
    assert.equal(
      renderLine({ a: 1 }, 'table', () => 'line'),
      'line',
    );
  });

  it('an unknown format, a usage error and a missing variable are exit 2; an unreachable cluster is 3, naming it', () => {
    assert.throws(
      () => parseFormat('xml'),
      (error: unknown) => error instanceof CliError && error.exitCode === EXIT.usage,
    );
    let missing: unknown;
    try {
      kafkaConnectionFromEnv({}, 'paxfleet-cli');
    } catch (error) {
      missing = error;
    }
    const config = describeFailure(missing);
    assert.equal(config.exitCode, EXIT.usage);
    assert.match(
      config.line,
      /^CONFIG_INVALID: KAFKA_BROKERS .*\(or give --brokers, --namespace\)$/,
    );
    const down = describeFailure(
      new KafkaError('KAFKA_CONNECT_FAILED', 'could not connect'),
      '10.0.0.9:9092',
    );
    assert.equal(down.exitCode, EXIT.unreachable);
    assert.match(
      down.line,
      /cannot reach Kafka at 10\.0\.0\.9:9092; set KAFKA_BROKERS or --brokers/,
    );
    const unreachable = describeFailure(
      new CliError('CLI_UNREACHABLE', 'cannot reach the coordinator'),
    );
    assert.equal(unreachable.exitCode, EXIT.unreachable);
    assert.equal(describeFailure(new Error('boom')).line, 'unexpected error: boom');
  });
});
