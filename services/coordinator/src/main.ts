import { EventProducer, eventRegistry } from '@paxfleet/events';
import { runServiceProcess } from '@paxfleet/service';
import { coordinatorRoutes } from './http/routes.ts';
import { coordinatorApiInfo } from './http/schemas.ts';
import { ClaimArbiter } from './claims/claim-arbiter.ts';
import { ClaimBoard } from './claims/claim-board.ts';
import { ClaimMetrics } from './claims/claim-metrics.ts';
import { overlapFromConfig } from './claims/overlap-settings.ts';
import { coordinatorServiceConfig } from './config.ts';
import { taskRoutes } from './routing/task-routes.ts';
import { TaskRouter } from './routing/task-router.ts';
import { WorkflowBook } from './workflows/workflow-book.ts';
import { WorkflowFollower } from './workflows/workflow-follower.ts';

const declared = eventRegistry().catalog.agent('coordinator');

await runServiceProcess(
  {
    name: 'coordinator',
    port: declared.port,
    config: coordinatorServiceConfig,
    // The whole fleet's lag in one scrape, and the backlog that backpressure reads.
    lag: { groups: 'all', endOffsetTopics: ['dead-letters'] },
  },
  ({
    config,
    logger,
    connection,
    kafka,
    registry: events,
    metrics,
    readiness,
    lag,
    fail,
    onStart,
    onShutdown,
  }) => {
    const producer = new EventProducer({ kafka, registry: events, agent: config.AGENT_ID });
    const workflows = new WorkflowBook({
      catalog: events.catalog,
      windowMs: config.WORKFLOW_HISTORY_MS,
      maxWorkflows: config.WORKFLOW_MAX_TRACKED,
    });
    const board = new ClaimBoard(connection, events, {
      onRecord: (record) => workflows.claim(record),
    });
    const follower = new WorkflowFollower({
      connection,
      registry: events,
      book: workflows,
      windowMs: config.WORKFLOW_HISTORY_MS,
      onError: (error) => logger.warn('reading the workflow topics', { err: error }),
    });
    const transactionalId = `${declared.group}-${config.INSTANCE_ID}`;
    const overlap = overlapFromConfig(config);
    const arbiter = new ClaimArbiter({
      kafka,
      connection,
      registry: events,
      groupId: declared.group,
      transactionalId,
      policy: {
        completionWindowMs: config.CLAIM_COMPLETION_WINDOW_MS,
        maxRequestAgeMs: config.CLAIM_MAX_REQUEST_AGE_MS,
      },
      ...(overlap && { overlap }),
      metrics: new ClaimMetrics(metrics),
      sweepIntervalMs: config.LEASE_SWEEP_INTERVAL_MS,
      logger,
      onRefused: fail,
    });
    const router = new TaskRouter({
      routes: taskRoutes(events.catalog),
      producer,
      lag: (groupId, topic) => lag.backlog(groupId, topic),
      maxLag: config.MAX_TASK_LAG,
      retryAfterSeconds: config.TASK_RETRY_AFTER_SECONDS,
      onRouted: (task) => workflows.submitted(task),
    });

    let kafkaConnected = false;
    readiness
      .add('kafka', () => kafkaConnected || 'connecting')
      .add('claim-requests group', () => arbiter.joined || 'not joined')
      .add('claim board', () => board.following || 'catching up')
      .add('workflow history', () => follower.following || 'catching up');
    onStart(async () => {
      await producer.connect();
      kafkaConnected = true;
      await board.start();
      await arbiter.start();
      await follower.start();
      logger.info('coordinator deciding claims', {
        group: declared.group,
        transactional_id: transactionalId,
        overlap: overlap ? `${overlap.similarity.method}, threshold ${overlap.threshold}` : 'off',
      });
    });
    onShutdown('claim arbiter', () => arbiter.stop());
    onShutdown('claim board', () => board.stop());
    onShutdown('workflow history', () => follower.stop());
    onShutdown('task producer', () => producer.disconnect());
    return {
      routes: coordinatorRoutes({ router, board, workflows }),
      openapi: coordinatorApiInfo(events.catalog),
      api: { config },
    };
  },
);
