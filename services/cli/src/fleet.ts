import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyCatalog, eventRegistry, type ApplyReport } from '@paxfleet/events';
import { createKafka, kafkaConnectionFromEnv } from '@paxfleet/kafka';
import { CliError } from './errors.ts';

const catalog = eventRegistry().catalog;

/** The fleet's services, as the topic catalog declares them (the coordinator first). */
export const AGENTS: readonly string[] = catalog.agents.map((agent) => agent.name);
export type AgentName = string;

/** An agent's port when the coordinator listens on basePort: its declared port, shifted alike. */
export function portOf(agent: AgentName, basePort: number): number {
  return basePort + catalog.agent(agent).port - catalog.agent('coordinator').port;
}

const repository = new URL('../../../', import.meta.url).pathname;

/**
 * V8 flags of every service, as the image's CMD gives them (Dockerfile): young-generation
 * semi-spaces of 2 MB instead of V8's 16 MB on a large machine take an idle service from
 * about 130 to 115 MB RSS; the agents wait on Kafka and the model, not on the allocator.
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=2'] as const;

// Each process has a process group of its own, so no terminal signal reaches it: if the
// launcher ends without stopping the fleet (an uncaught error), kill what is left.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Where bodies too large to ride inline go: the S3 bucket in BLOB_S3_BUCKET when there
 * is one (scripts/with-s3.sh), else none, so every body rides inline.
 */
function objectStoreEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return { BLOB_STORE: env.BLOB_S3_BUCKET ? 's3' : 'none' };
}

export interface FleetOptions {
  readonly agents?: readonly AgentName[];
  /** The coordinator listens on basePort, the others at their declared ports' offsets from it. */
  readonly basePort: number;
  /** Where each process writes its JSON log lines (one file per agent). */
  readonly logDir: string;
  /**
   * Each process gets <podsDir>/<agent> as its working directory, HOME and TMPDIR, and no
   * other directory: like pods, the processes share only Kafka and the object store.
   */
  readonly podsDir: string;
  /** Passed to every process on top of this process's environment (KAFKA_BROKERS, BLOB_STORE...). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Runs the whole fleet in this Kafka namespace (every process's KAFKA_NAMESPACE, also when
   * only `env` names it): startFleet first creates the namespace's topics, and the fleet
   * then touches no live topic, group or transactional id. deleteNamespace removes it after.
   */
  readonly namespace?: string;
  /** Per-agent additions, e.g. a shorter MAX_EVENT_AGE_MS for one agent. */
  readonly agentEnv?: Partial<Record<AgentName, Readonly<Record<string, string>>>>;
  /**
   * `source` (the default) runs the TypeScript sources, as tests and the demo do;
   * `dist` runs what `make build` compiled, as the images do (the memory bench).
   */
  readonly code?: 'source' | 'dist';
}

/** The node arguments that start one service, from its sources or compiled. */
function serviceArguments(agent: AgentName, code: 'source' | 'dist'): string[] {
  // Absolute, since each process runs in a directory of its own, outside the repository.
  if (code === 'dist') {
    return [
      ...SERVICE_NODE_FLAGS,
      '--import',
      join(repository, 'libs', 'telemetry', 'dist', 'instrumentation.js'),
      join(repository, 'services', agent, 'dist', 'main.js'),
    ];
  }
  return [
    ...SERVICE_NODE_FLAGS,
    '--conditions=paxfleet-source',
    '--import',
    fileURLToPath(import.meta.resolve('@paxfleet/telemetry/instrumentation')),
    join(repository, 'services', agent, 'src', 'main.ts'),
  ];
}

/** One agent process of the fleet. */
export class FleetProcess {
  readonly agent: AgentName;
  readonly port: number;
  readonly #options: FleetOptions;
  #child: ChildProcess | undefined;
  /** Resolves when the last log lines of the current process are in its file. */
  #logWritten: Promise<unknown> = Promise.resolve();

  constructor(agent: AgentName, port: number, options: FleetOptions) {
    this.agent = agent;
    this.port = port;
    this.#options = options;
  }

  /** This process's private directory, as a pod's own disk. */
  get dir(): string {
    return join(this.#options.podsDir, this.agent);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /**
   * The process's memory now and at most so far (VmRSS and VmHWM, in MB), or undefined
   * when it is not running or the system has no /proc (not Linux).
   */
  memory(): { rssMb: number; peakMb: number } | undefined {
    if (!this.running || this.pid === undefined) return undefined;
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
      return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
    } catch {
      return undefined;
    }
  }

  get running(): boolean {
    return (
      this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null
    );
  }

  /** Starts the process; `extraEnv` applies to this start only (a restart with other settings). */
  start(extraEnv: Readonly<Record<string, string>> = {}): void {
    const log = createWriteStream(join(this.#options.logDir, `${this.agent}.log`), { flags: 'a' });
    mkdirSync(join(this.dir, 'tmp'), { recursive: true });
    this.#child = spawn(
      process.execPath,
      serviceArguments(this.agent, this.#options.code ?? 'source'),
      {
        cwd: this.dir,
        env: {
          ...process.env,
          ...objectStoreEnv(process.env),
          ...this.#options.env,
          ...this.#options.agentEnv?.[this.agent],
          ...extraEnv,
          ...(this.#options.namespace !== undefined && {
            KAFKA_NAMESPACE: this.#options.namespace,
          }),
          PORT: String(this.port),
          HOST: '127.0.0.1',
          INSTANCE_ID: `${this.agent}-local`,
          OTEL_SERVICE_NAME: this.agent,
          HOME: this.dir,
          TMPDIR: join(this.dir, 'tmp'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group: a Ctrl-C in the terminal reaches the launcher only, which
        // then sends each process one signal.
        detached: true,
      },
    );
    // Both streams share the file: neither may close it for the other.
    this.#child.stdout?.pipe(log, { end: false });
    this.#child.stderr?.pipe(log, { end: false });
    const child = this.#child;
    live.add(child);
    child.once('exit', () => live.delete(child));
    // 'close', not 'exit': the pipes may still carry the last lines when the process exits.
    child.once('close', () => log.end());
    this.#logWritten = once(log, 'finish');
  }

  /** Polls /readyz until it answers 200. */
  async ready(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new CliError('FLEET_START_FAILED', await this.#exitedWhy());
      // A bounded wait: whatever else holds the port may accept and never answer.
      const status = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(1000) }).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new CliError(
      'FLEET_START_FAILED',
      `${this.agent} was not ready on ${this.url}/readyz within ${timeoutMs} ms`,
    );
  }

  /** One line on why the process ended before it was ready: its start-failed reason and its log. */
  async #exitedWhy(): Promise<string> {
    const child = this.#child;
    // The log is whole once the pipes have closed and the file has its last lines.
    await Promise.race([this.#logWritten, new Promise((resolve) => setTimeout(resolve, 2000))]);
    const path = join(this.#options.logDir, `${this.agent}.log`);
    let reason = '';
    try {
      const failed = readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line.includes('"start failed"'))
        .at(-1);
      const entry = failed ? (JSON.parse(failed) as { error?: string; fix?: string }) : {};
      if (entry.error) reason = `: ${entry.error}${entry.fix ? ` (${entry.fix})` : ''}`;
    } catch {
      // No log, or not one of ours: the path below is still where to look.
    }
    return `${this.agent} exited (${child?.exitCode ?? child?.signalCode})${reason}; log: ${path}`;
  }

  /** Sends a signal without waiting (see exited). */
  signal(signal: NodeJS.Signals): void {
    this.#child?.kill(signal);
  }

  /** Resolves when the process has exited (at once if it is not running), with how it ended. */
  async exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.#child;
    if (child && this.running) await once(child, 'exit');
    return { code: child?.exitCode ?? null, signal: child?.signalCode ?? null };
  }

  /**
   * Sends the signal once and waits for the exit; a process still running after
   * `graceMs` (the chart's termination grace) is killed, as Kubernetes would.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 45_000): Promise<void> {
    const child = this.#child;
    if (!child || !this.running) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Applies the topic catalog (creates missing topics, brings configs in line) on the cluster
 * `env` names (KAFKA_BROKERS and the other KAFKA_* over this process's environment), in
 * the namespace if one is given.
 */
export async function applyTopics(
  env: Readonly<Record<string, string>>,
  namespace?: string,
): Promise<ApplyReport> {
  // The pure-protocol client (topic configs) is loaded only by a launcher that applies topics.
  const { TopicConfigAdmin } = await import('@paxfleet/kafka/topic-configs');
  const connection = kafkaConnectionFromEnv({ ...process.env, ...env }, 'paxfleet-fleet-topics');
  const admin = createKafka(connection).admin();
  const configs = new TopicConfigAdmin(connection);
  await admin.connect();
  try {
    const cluster = await configs.cluster();
    return await applyCatalog(admin, configs, catalog, {
      ...cluster,
      ...(namespace !== undefined && { namespace }),
    });
  } finally {
    await admin.disconnect();
    await configs.close();
  }
}

/** Whether nothing listens on 127.0.0.1:port (a listen there succeeds). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

/**
 * The first base port from `from` up, in steps of 100, at which every agent's port is free,
 * as the broker's script picks its port: a demo next to something on 7070 still starts.
 */
export async function freeBasePort(
  agents: readonly AgentName[],
  from: number,
  attempts = 20,
): Promise<number> {
  for (let base = from, tried = 0; tried < attempts; base += 100, tried++) {
    const free = await Promise.all(agents.map((agent) => portFree(portOf(agent, base))));
    if (free.every(Boolean)) return base;
  }
  throw new CliError(
    'FLEET_START_FAILED',
    `no free ports for the fleet from ${from} to ${from + 100 * (attempts - 1)}: stop what listens there or set another base port`,
  );
}

/**
 * Starts the agents as separate processes and waits until every one is ready; in a
 * namespace, after creating its topics (the live topics are applied before, by
 * scripts/fleet-run.sh or the test).
 */
export async function startFleet(options: FleetOptions): Promise<Map<AgentName, FleetProcess>> {
  mkdirSync(options.logDir, { recursive: true });
  const namespace = options.namespace ?? options.env.KAFKA_NAMESPACE;
  if (namespace !== undefined) await applyTopics(options.env, namespace);
  const inNamespace = namespace === undefined ? options : { ...options, namespace };
  const fleet = new Map<AgentName, FleetProcess>();
  for (const agent of options.agents ?? AGENTS) {
    fleet.set(agent, new FleetProcess(agent, portOf(agent, options.basePort), inNamespace));
  }
  for (const process of fleet.values()) process.start();
  try {
    await Promise.all([...fleet.values()].map((process) => process.ready()));
  } catch (error) {
    await stopFleet(fleet);
    throw error;
  }
  return fleet;
}

export async function stopFleet(fleet: ReadonlyMap<AgentName, FleetProcess>): Promise<void> {
  await Promise.all([...fleet.values()].map((process) => process.stop()));
}
