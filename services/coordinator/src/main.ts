import { Registry } from 'prom-client';
import { createKafka, kafkaConnectionFromEnv, waitForBroker } from '@paxfleet/kafka';
import { EventProducer, eventRegistry } from '@paxfleet/events';
import { ConsumerLagMonitor } from '@paxfleet/lag';
import { bootService, createLogger, ReadinessRegistry, runService } from '@paxfleet/service';
import { buildApp } from './app.ts';
import { ClaimArbiter } from './claims/claim-arbiter.ts';
import { ClaimBoard } from './claims/claim-board.ts';
import { ClaimMetrics } from './claims/claim-metrics.ts';
import { loadCoordinatorConfig } from './config.ts';
import { parseRoutingTable } from './routing/routing-table.ts';
import { TaskRouter } from './routing/task-router.ts';

// A failure to start (a bad variable, a taken port, refused credentials) is one log line
// with its code and the fix, then exit 1.
await bootService('coordinator', async () => {
  const config = loadCoordinatorConfig(process.env);
  const logger = createLogger({ agent: config.AGENT_ID, level: config.LOG_LEVEL });
  const connection = kafkaConnectionFromEnv(
    process.env,
    `${config.AGENT_ID}-${config.INSTANCE_ID}`,
  );
  const events = eventRegistry();
  const routes = parseRoutingTable(config.TASK_ROUTES, ['research-tasks']);
  const kafka = createKafka(connection, logger);
  const registry = new Registry();

  const producer = new EventProducer({ kafka, registry: events, agent: config.AGENT_ID });
  const board = new ClaimBoard(connection, events);
  const group = events.catalog.agent('coordinator').group;
  const arbiter = new ClaimArbiter({
    kafka,
    connection,
    registry: events,
    groupId: group,
    transactionalId: `${group}-${config.INSTANCE_ID}`,
    policy: {
      completionWindowMs: config.CLAIM_COMPLETION_WINDOW_MS,
      maxRequestAgeMs: config.CLAIM_MAX_REQUEST_AGE_MS,
    },
    metrics: new ClaimMetrics(registry),
    sweepIntervalMs: config.LEASE_SWEEP_INTERVAL_MS,
    logger,
  });
  // The whole fleet's lag in one scrape, and the backlog that backpressure reads.
  const lagMonitor = new ConsumerLagMonitor({
    connection,
    registry,
    groups: 'all',
    endOffsetTopics: ['dead-letters'],
    onError: (error) =>
      logger.warn('lag refresh failed', { code: error.code, error: error.message }),
  });
  const router = new TaskRouter({
    routes,
    producer,
    lag: (groupId, topic) => lagMonitor.backlog(groupId, topic),
    maxLag: config.MAX_TASK_LAG,
    retryAfterSeconds: config.TASK_RETRY_AFTER_SECONDS,
  });

  let kafkaConnected = false;
  const readiness = new ReadinessRegistry()
    .add('kafka', () => kafkaConnected || 'connecting')
    .add('claim-requests group', () => arbiter.joined || 'not joined')
    .add('claim board', () => board.following || 'catching up');

  const app = await buildApp({ router, board, registry, logger, readiness }, config);
  await runService(app, {
    host: config.HOST,
    port: config.PORT,
    logger,
    start: async (signal) => {
      await waitForBroker(connection, { signal, logger });
      await producer.connect();
      kafkaConnected = true;
      await board.start();
      await arbiter.start();
      logger.info('coordinator deciding claims', {
        group,
        transactional_id: `${group}-${config.INSTANCE_ID}`,
      });
    },
    onShutdown: [
      { name: 'claim arbiter', run: () => arbiter.stop() },
      { name: 'claim board', run: () => board.stop() },
      { name: 'task producer', run: () => producer.disconnect() },
      { name: 'lag monitor', run: () => lagMonitor.close() },
    ],
  });
});
