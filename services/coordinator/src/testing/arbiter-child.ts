import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Starts a claim arbiter as a child process (arbiter-process.ts) on the given topics, in
 * the given group, as instance `id`, with the lexical overlap check unless `overlap` is
 * 'off'; `ready` resolves once it decides claims.
 */
export function startArbiterProcess(options: {
  readonly topics: Readonly<Record<string, string>>;
  readonly group: string;
  readonly id: number;
  readonly overlap?: 'lexical' | 'off';
}): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(
    process.execPath,
    ['--conditions=paxfleet-source', new URL('./arbiter-process.ts', import.meta.url).pathname],
    {
      env: {
        ...process.env,
        CLAIM_TOPICS: JSON.stringify(options.topics),
        ARBITER_GROUP: options.group,
        ARBITER_ID: String(options.id),
        ARBITER_OVERLAP: options.overlap ?? 'lexical',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => line === 'ready' && resolve());
    child.once('exit', (code) =>
      reject(new Error(`arbiter exited with ${code} before it was ready`)),
    );
  });
  return { child, ready };
}
