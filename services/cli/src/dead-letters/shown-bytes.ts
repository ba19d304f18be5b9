/** Bytes as an operator reads them: always base64, and the text too when it is printable UTF-8. */
export interface ShownBytes {
  readonly size: number;
  readonly base64: string;
  readonly text?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Control characters other than tab, newline and carriage return would garble a terminal.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/;

export function showBytes(bytes: Buffer): ShownBytes {
  let text: string | undefined;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = undefined;
  }
  return {
    size: bytes.length,
    base64: bytes.toString('base64'),
    ...(text !== undefined && !UNPRINTABLE.test(text) && { text }),
  };
}
