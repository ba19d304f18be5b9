import { hostname } from 'node:os';
import { Type } from '@sinclair/typebox';
import { configFragment, type ConfigOf } from '@paxfleet/core';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What each service decides for itself; the environment can override every one. */
export interface ServiceConfigDefaults {
  /** The service's name, for example "research". */
  readonly serviceName: string;
  /** Local default port; Kubernetes sets PORT=8080. */
  readonly port: number;
}

const identifier = {
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  errorMessage: 'must be letters, digits, ".", "_" or "-", starting with a letter or digit',
};

/** The variables every paxfleet service reads. */
export function serviceConfig(defaults: ServiceConfigDefaults) {
  return configFragment('Every service', {
    SERVICE_NAME: Type.String({
      ...identifier,
      default: defaults.serviceName,
      documentedDefault: "the service's name",
      description: 'The name in logs and traces.',
    }),
    AGENT_ID: Type.String({
      ...identifier,
      default: defaults.serviceName,
      documentedDefault: "the service's name",
      description:
        'The agent id: the `producer` header of its records, its progress key, the prefix of its Kafka client ids.',
    }),
    HOST: Type.String({
      minLength: 1,
      default: '0.0.0.0',
      description: 'The address the HTTP side (/healthz, /readyz, /metrics) listens on.',
    }),
    PORT: Type.Integer({
      minimum: 1,
      maximum: 65535,
      default: defaults.port,
      documentedDefault: "the service's port in schemas/topics.json",
      description: "The HTTP port; the chart sets 8080, a local run uses the agent's own.",
    }),
    LOG_LEVEL: Type.Union(
      LOG_LEVELS.map((level) => Type.Literal(level)),
      { default: 'info', description: 'The least severe level logged.' },
    ),
    INSTANCE_ID: Type.String({
      minLength: 1,
      default: hostname(),
      documentedDefault: 'the host name (the pod name in Kubernetes)',
      description:
        'This instance among replicas: in transactional ids and client ids, so it must be stable across restarts.',
    }),
  });
}

export type ServiceConfig = ConfigOf<ReturnType<typeof serviceConfig>>;
