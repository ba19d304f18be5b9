import { readFileSync } from 'node:fs';
import { ToolError } from './tool-error.ts';

/** A JSON file's value; a file that is not JSON is named in the error. */
export function readJsonFile(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ToolError('JSON_INVALID', `${path} is not JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
}
