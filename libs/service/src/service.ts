import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { startFailureFields } from './boot.ts';
import { ServiceError } from './errors.ts';
import { silentLogger, type ServiceLogger } from './logger.ts';

/** Work to finish before the process exits: stop the processor, disconnect the producer. */
export type ShutdownHook = (() => unknown) | { readonly name: string; readonly run: () => unknown };

export interface RunServiceOptions {
  /** Interface to listen on; all of them by default (a pod's probes come from outside). */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /**
   * Connects the service's clients once the server listens. A shutdown while it
   * runs aborts the signal, skips the hooks and exits: nothing has been consumed
   * yet, and a Kafka client's disconnect waits for its pending connect (30 s when
   * the broker is unreachable). When it fails, the service logs why and exits 1.
   */
  readonly start?: (signal: AbortSignal) => Promise<unknown>;
  /** Run in order on shutdown, once start has finished; one failing does not skip the rest. */
  readonly onShutdown?: readonly ShutdownHook[];
  /** Budget for the hooks and closing the HTTP server together (default 25 s, under Kubernetes' 30 s grace). */
  readonly shutdownTimeoutMs?: number;
  readonly signals?: readonly NodeJS.Signals[];
  /** The service's logger; app.logger when not given. */
  readonly logger?: ServiceLogger;
  /** process.exit unless replaced (tests). */
  readonly exit?: (code: number) => void;
  /**
   * Ends the process at once, for a second signal or a shutdown past its budget: SIGKILL
   * to itself unless replaced (tests). process.exit is not enough there: it joins libuv's
   * worker threads, and one blocked in a Kafka client's close waits for the main thread.
   */
  readonly kill?: () => void;
}

export interface RunningService {
  readonly url: string;
  readonly port: number;
  /** Resolves true when start has finished, false when it failed or a shutdown came first. */
  readonly started: Promise<boolean>;
  /** Drains, runs the hooks, closes the server, exits; resolves with the exit code. Idempotent. */
  shutdown(reason?: string): Promise<number>;
  /**
   * Stops a service that cannot go on (the broker's ACLs refuse it): one line with the
   * error's code and fix, as a failed start has, then the shutdown, exit 1.
   */
  fail(error: unknown): Promise<number>;
}

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;

function hookName(hook: ShutdownHook, index: number): string {
  if (typeof hook === 'object') return hook.name;
  return hook.name !== '' ? hook.name : `hook ${index + 1}`;
}

/**
 * Listens on host:port and shuts down on SIGTERM/SIGINT: /healthz and /readyz turn 503,
 * the hooks run, Fastify closes, the process exits 0 (1 when anything failed or the
 * budget ran out: then it is killed, as it is at once by a second signal during shutdown).
 */
export async function runService(
  app: FastifyInstance,
  options: RunServiceOptions,
): Promise<RunningService> {
  const host = options.host ?? '0.0.0.0';
  const timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const allHooks = options.onShutdown ?? [];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const kill = options.kill ?? (() => process.kill(process.pid, 'SIGKILL'));
  const logger =
    options.logger ?? (app.hasDecorator('logger') ? app.logger : undefined) ?? silentLogger;

  let url: string;
  try {
    url = await app.listen({ host, port: options.port });
  } catch (error) {
    throw new ServiceError(
      'SERVICE_LISTEN_FAILED',
      `could not listen on ${host}:${options.port}: ${(error as Error).message}`,
      {
        cause: error,
        details: {
          host,
          port: options.port,
          fix: 'stop what holds the port, or set PORT (and HOST) to a free address',
        },
      },
    );
  }
  const port = (app.server.address() as AddressInfo).port;
  logger.info('listening', { url, host, port });

  let stopping: Promise<number> | undefined;
  let running = options.start === undefined;
  const starting = new AbortController();

  const stop = async (reason: string, startFailed: boolean): Promise<number> => {
    logger.info('shutting down', { reason, timeout_ms: timeoutMs });
    if (app.hasDecorator('startDraining')) app.startDraining();
    if (!running) {
      logger.info('shutdown before start finished: nothing to drain, hooks skipped');
      starting.abort(new ServiceError('SERVICE_STOPPING', `shutting down (${reason})`));
    }
    const hooks = running ? allHooks : [];

    let step = 'running shutdown hooks';
    const work = (async () => {
      const failed: string[] = [];
      for (const [index, hook] of hooks.entries()) {
        const name = hookName(hook, index);
        step = `running shutdown hook "${name}"`;
        try {
          await (typeof hook === 'object' ? hook.run() : hook());
        } catch (error) {
          failed.push(name);
          logger.error('shutdown hook failed', { hook: name, err: error });
        }
      }
      step = 'closing the HTTP server';
      await app.close();
      if (failed.length > 0) {
        throw new ServiceError(
          'SERVICE_SHUTDOWN_FAILED',
          `shutdown hooks failed: ${failed.join(', ')}`,
          { details: { hooks: failed } },
        );
      }
    })();
    // Past the deadline nobody awaits work; its late failure must not become unhandled.
    work.catch(() => {});

    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new ServiceError(
            'SERVICE_SHUTDOWN_TIMEOUT',
            `shutdown did not finish within ${timeoutMs} ms (still ${step})`,
            { details: { timeout_ms: timeoutMs, step } },
          ),
        );
      }, timeoutMs);
    });

    let code = startFailed ? 1 : 0;
    let timedOut = false;
    try {
      await Promise.race([work, deadline]);
      logger.info('stopped', { reason });
    } catch (error) {
      code = 1;
      timedOut = (error as ServiceError).code === 'SERVICE_SHUTDOWN_TIMEOUT';
      logger.error('shutdown failed', { reason, err: error });
    } finally {
      clearTimeout(timer);
      for (const signal of signals) process.off(signal, onSignal);
    }
    // Let the last log lines reach stdout before the process goes.
    await nextTurn();
    if (timedOut) kill();
    else exit(code);
    return code;
  };

  const shutdown = (reason = 'requested', startFailed = false): Promise<number> => {
    stopping ??= stop(reason, startFailed);
    return stopping;
  };

  function onSignal(signal: NodeJS.Signals): void {
    if (stopping) {
      logger.warn('second signal during shutdown, exiting now', { signal });
      kill();
      return;
    }
    void shutdown(signal);
  }
  for (const signal of signals) process.on(signal, onSignal);

  const started = (async () => {
    if (!options.start) return true;
    try {
      await options.start(starting.signal);
    } catch (error) {
      if (stopping) return false;
      logger.error('start failed', startFailureFields(error));
      void shutdown('start failed', true);
      return false;
    }
    running = stopping === undefined;
    return running;
  })();

  const fail = (error: unknown): Promise<number> => {
    if (!stopping) logger.error('cannot go on', startFailureFields(error));
    return shutdown('failed', true);
  };

  return { url, port, started, shutdown: (reason) => shutdown(reason), fail };
}
