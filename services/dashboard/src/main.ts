import { existsSync, readFileSync } from 'node:fs';
import { blobStoreFromConfig, bodiesFromConfig } from '@paxfleet/agent-kit';
import { archiveStore } from '@paxfleet/archive';
import { eventRegistry, type TopicName } from '@paxfleet/events';
import { apiAccess, runServiceProcess, tokenMatcher } from '@paxfleet/service';
import { DASHBOARD_API } from './auth.ts';
import { dashboardServiceConfig } from './config.ts';
import { TopicFeed } from './feed.ts';
import { FleetState } from './fleet-state.ts';
import { LiveHub } from './live.ts';
import { dashboardRoutes } from './routes.ts';
import { workflowReader } from './workflow-read.ts';

const catalog = eventRegistry().catalog;
const declared = catalog.agent('dashboard');
/** The groups whose lag the Fleet page shows: every service that consumes in a group. */
const groups = catalog.agents
  .filter((agent) => agent.consumes.length > 0)
  .map((agent) => agent.group);

const asset = (name: string) => readFileSync(new URL(`../static/${name}`, import.meta.url), 'utf8');

await runServiceProcess(
  {
    name: 'dashboard',
    port: declared.port,
    config: dashboardServiceConfig,
    // The Fleet page's lag: every agent's group, and the end of every topic.
    lag: { groups, endOffsetTopics: catalog.topics.map((topic) => topic.name) },
  },
  ({ config, logger, connection, registry, readiness, lag, onStart, onShutdown }) => {
    const access = apiAccess(config);
    const state = new FleetState({
      catalog: registry.catalog,
      maxRecordsPerTopic: config.DASHBOARD_MAX_RECORDS,
      maxWorkflows: config.DASHBOARD_MAX_WORKFLOWS,
    });
    const feed = new TopicFeed({
      connection,
      registry,
      state,
      topics: declared.reads as TopicName[],
      historyMs: config.DASHBOARD_HISTORY_MS,
      onError: (error) => logger.warn('reading the topics', { err: error }),
    });
    const hub = new LiveHub(state, {
      onError: (error) => logger.error('rendering a live page failed', { err: error }),
    });
    const configured = blobStoreFromConfig(config);
    const bodies = bodiesFromConfig(config, configured);
    // The cold archive: the object store's, or ARCHIVE_DIR when there is none and it exists.
    const archive =
      configured || existsSync(config.ARCHIVE_DIR)
        ? archiveStore(configured, config.ARCHIVE_DIR)
        : undefined;
    const readWorkflow = workflowReader({
      connection,
      registry,
      bodies,
      began: (id) => state.workflows.get(id)?.firstAt,
      ...(archive && {
        archive: { store: archive, topics: registry.catalog.agent('archiver').consumes },
      }),
    });

    // Cluster names (a namespace's) back to the catalog's, for the pages.
    const prefix = registry.namespace === undefined ? '' : `${registry.namespace}.`;
    const logical = (name: string) => (name.startsWith(prefix) ? name.slice(prefix.length) : name);
    let ends = new Map<string, number>();
    const measureLag = async () => {
      const snapshot = await lag.refresh();
      if (!snapshot) return;
      state.setLag(
        snapshot.partitions.map((row) => ({
          group: logical(row.group),
          messages: row.messages,
          seconds: row.seconds,
        })),
      );
      const sums = new Map<string, number>();
      for (const row of snapshot.ends)
        sums.set(logical(row.topic), (sums.get(logical(row.topic)) ?? 0) + row.lastStable);
      ends = sums;
    };
    let lagTimer: NodeJS.Timeout | undefined;

    readiness.add('topics', () => feed.following || 'connecting');
    onStart(async () => {
      await feed.start();
      void measureLag();
      lagTimer = setInterval(() => void measureLag(), config.DASHBOARD_LAG_INTERVAL_MS);
      logger.info('dashboard serving', {
        url: `http://${config.HOST}:${config.PORT}/fleet`,
        history_ms: config.DASHBOARD_HISTORY_MS,
      });
    });
    onShutdown('live pages', () => hub.close());
    onShutdown('lag', () => clearInterval(lagTimer));
    onShutdown('topic feed', () => feed.stop());
    onShutdown('blob store', () => (archive ?? configured)?.close());
    return {
      routes: dashboardRoutes({
        state,
        hub,
        ...(access.read === 'token' && { signIn: tokenMatcher(access.tokens) }),
        ...(config.DASHBOARD_JAEGER_URL !== undefined && {
          jaegerUrl: config.DASHBOARD_JAEGER_URL,
        }),
        groupOf: (agent) => agent.group,
        readWorkflow,
        topicEnds: () => ends,
        assets: { css: asset('dashboard.css'), js: asset('dashboard.js') },
      }),
      api: { config, ...DASHBOARD_API },
    };
  },
);
