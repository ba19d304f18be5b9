import { randomUUID } from 'node:crypto';
import {
  HEADER,
  newTraceparent,
  newWorkflowId,
  type EventProducer,
  type ResearchTask,
} from '@paxfleet/events';

/** Where tasks of a type go, and whose backlog decides whether to take more. */
export interface TaskRoute {
  readonly topic: 'research-tasks';
  readonly group: string;
}

export type RoutingTable = Readonly<Record<string, TaskRoute>>;

export interface TaskSubmission {
  readonly type: string;
  readonly topic: string;
  readonly brief?: string;
  readonly requestedBy?: string;
  /** A trace to continue, from the HTTP request's traceparent header. */
  readonly traceparent?: string;
}

export type RouteResult =
  | {
      readonly kind: 'routed';
      readonly workflowId: string;
      readonly taskId: string;
      readonly topic: string;
      /** The trace the task's record carries (what Jaeger shows for the workflow). */
      readonly traceId: string;
    }
  | { readonly kind: 'unknown-type'; readonly known: readonly string[] }
  | {
      readonly kind: 'backlogged';
      readonly lag: number;
      readonly bound: number;
      readonly retryAfterSeconds: number;
    };

export interface TaskRouterOptions {
  readonly routes: RoutingTable;
  readonly producer: EventProducer;
  readonly lag: (group: string, topic: string) => Promise<number>;
  /** Above this many unread tasks the target agent gets no more until it catches up. */
  readonly maxLag: number;
  readonly retryAfterSeconds: number;
  /** Told of each task once it is on its topic. */
  readonly onRouted?: (task: ResearchTask) => void;
  readonly clock?: () => number;
}

/** Turns a submitted task into the first event of a new workflow on the responsible agent's task topic. */
export class TaskRouter {
  readonly #options: TaskRouterOptions;

  constructor(options: TaskRouterOptions) {
    this.#options = options;
  }

  get types(): string[] {
    return Object.keys(this.#options.routes);
  }

  async route(submission: TaskSubmission): Promise<RouteResult> {
    const route = this.#options.routes[submission.type];
    if (!route) return { kind: 'unknown-type', known: this.types };
    const lag = await this.#options.lag(route.group, route.topic);
    if (lag > this.#options.maxLag) {
      return {
        kind: 'backlogged',
        lag,
        bound: this.#options.maxLag,
        retryAfterSeconds: this.#options.retryAfterSeconds,
      };
    }
    const workflowId = newWorkflowId();
    const task: ResearchTask = {
      task_id: randomUUID(),
      workflow_id: workflowId,
      topic: submission.topic,
      brief: submission.brief ?? '',
      requested_by: submission.requestedBy ?? 'api',
      requested_at: (this.#options.clock ?? Date.now)(),
    };
    const { producer } = this.#options;
    // Encoded first, so the answer names the trace in the record's own traceparent: with
    // tracing on that is the HTTP request's span, which may differ from the header sent.
    const record = producer.record(route.topic, task.topic, task, {
      workflowId,
      traceparent: submission.traceparent ?? newTraceparent(),
    });
    await producer.sendRecords([record]);
    this.#options.onRouted?.(task);
    const traceId = (record.headers[HEADER.traceparent] ?? '').split('-')[1] ?? '';
    return { kind: 'routed', workflowId, taskId: task.task_id, topic: route.topic, traceId };
  }
}
