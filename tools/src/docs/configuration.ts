import { agentServiceConfig } from '@paxfleet/agent-kit';
import { archiverServiceConfig } from '@paxfleet/archiver';
import { configReference, type ConfigFragment } from '@paxfleet/core';
import { coordinatorServiceConfig } from '@paxfleet/coordinator';
import { dashboardServiceConfig } from '@paxfleet/dashboard';
import type { TopicCatalog } from '@paxfleet/events';
import { oracleConfig } from '@paxfleet/oracle';
import { serviceProcessConfig } from '@paxfleet/service';

/** The services that start on runServiceProcess directly, with their own variables. */
const PROCESSES: Record<string, ConfigFragment<unknown>> = {
  coordinator: coordinatorServiceConfig,
  archiver: archiverServiceConfig,
  dashboard: dashboardServiceConfig,
};

/** The agents' own variables, beside every agent's. */
const AGENTS_OWN: Record<string, ConfigFragment<unknown>> = { oracle: oracleConfig };

/**
 * Every service's whole configuration, as its entry point composes it: runServiceProcess
 * with the service's variables, or runAgentService with the agent's own when it has them.
 */
export function serviceConfigs(catalog: TopicCatalog): Map<string, ConfigFragment<unknown>> {
  return new Map(
    catalog.agents.map((agent) => [
      agent.name,
      serviceProcessConfig({
        name: agent.name,
        port: agent.port,
        config: PROCESSES[agent.name] ?? agentServiceConfig(agent, AGENTS_OWN[agent.name]),
      }),
    ]),
  );
}

const cell = (text: string) => text.replaceAll('|', '\\|');

/** docs/configuration.md: which sections each service reads, then every variable of each section. */
export function renderConfigurationReference(catalog: TopicCatalog): string {
  const configs = serviceConfigs(catalog);
  const sections = new Map<string, ConfigFragment<unknown>>();
  for (const config of configs.values()) {
    for (const part of config.parts) {
      if (Object.keys(part.properties).length > 0) sections.set(part.title, part);
    }
  }
  const lines = [
    '# Configuration reference',
    '',
    "<!-- Generated from the services' configuration schemas by `node --conditions=paxfleet-source tools/src/gen-docs.ts`; `make test` fails when it is out of date. -->",
    '',
    'Every service reads its whole configuration from the environment once, at start.',
    'A bad value stops it with one `CONFIG_INVALID` line naming every bad variable and',
    'what it accepts; a variable that shares its first word with one the service reads',
    'but is not one of them (`MODEL_TIMEOUT`, `BLOB_S3_BUKET`) is logged as a warning,',
    'with the name it most likely meant. An empty value counts as unset; a choice is',
    'matched without regard to case.',
    '',
    "Besides these, tracing reads OpenTelemetry's standard variables",
    '(`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_SERVICE_NAME`,',
    '`OTEL_RESOURCE_ATTRIBUTES`, `OTEL_BSP_SCHEDULE_DELAY`, `OTEL_SDK_DISABLED`; no endpoint, no',
    "tracing), and the S3 blob store the AWS SDK's credential chain (`AWS_ACCESS_KEY_ID`,",
    '`AWS_SECRET_ACCESS_KEY`, a web identity token, an instance role).',
    '',
    '| service | reads |',
    '|---|---|',
    ...[...configs].map(
      ([name, config]) =>
        `| ${name} | ${config.parts
          .filter((part) => Object.keys(part.properties).length > 0)
          .map((part) => part.title)
          .join(', ')} |`,
    ),
  ];
  for (const [title, part] of sections) {
    lines.push(
      '',
      `## ${title}`,
      '',
      '| variable | accepts | default | description |',
      '|---|---|---|---|',
    );
    for (const row of configReference(part)) {
      const fallback = row.required
        ? '(required)'
        : row.documented || row.default === ''
          ? row.default
          : `\`${row.default}\``;
      lines.push(
        `| \`${row.variable}\` | ${cell(row.accepts)} | ${cell(fallback)} | ${cell(row.description)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
