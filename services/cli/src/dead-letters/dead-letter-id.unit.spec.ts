import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deadLetterId, parseDeadLetterId } from './dead-letter-id.ts';
import { showBytes } from './shown-bytes.ts';

describe('dead letter ids', () => {
  it('are <partition>:<offset>, read back as written', () => {
    assert.deepEqual(parseDeadLetterId('2:1043'), { partition: 2, offset: 1043 });
    assert.equal(deadLetterId(parseDeadLetterId('02:0')), '2:0');
  });

  it('refuse anything else, saying what an id is', () => {
    for (const id of ['', '2', '2:', ':5', '-1:5', '2:-5', '2:1.5', 'dead-letters:2:5', '2:5 '])
      assert.throws(() => parseDeadLetterId(id), {
        code: 'DEAD_LETTER_ID_INVALID',
        message: /is not a dead letter id: <partition>:<offset>/,
      });
  });
});

describe('bytes shown to an operator', () => {
  it('are text as well as base64 when they are printable UTF-8, base64 only when not', () => {
    assert.deepEqual(showBytes(Buffer.from('workflow_7k2p9x0q\n')), {
      size: 18,
      base64: Buffer.from('workflow_7k2p9x0q\n').toString('base64'),
      text: 'workflow_7k2p9x0q\n',
    });
    assert.equal(showBytes(Buffer.from('é ✓')).text, 'é ✓');
    assert.equal(showBytes(Buffer.from([0xc3, 0x01, 0x02])).text, undefined, 'an Avro frame');
    assert.equal(showBytes(Buffer.from([0xff, 0xfe])).text, undefined, 'not UTF-8');
  });
});
