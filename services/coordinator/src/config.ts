import { Type } from '@sinclair/typebox';
import {
  composeConfig,
  configFragment,
  requiredWhen,
  type ConfigOf,
  type ConfigProblem,
} from '@paxfleet/core';
import { eventRegistry } from '@paxfleet/events';
import { modelApiProperties } from '@paxfleet/models';
import { DEFAULT_THRESHOLDS } from '@paxfleet/overlap';
import { apiConfig } from '@paxfleet/service';

/** The coordinator's own variables: how it decides claims, when it refuses tasks, what workflows it shows. */
export const coordinatorConfig = configFragment('Coordinator', {
  CLAIM_COMPLETION_WINDOW_MS: Type.Integer({
    minimum: 0,
    default: 24 * 60 * 60 * 1000,
    description:
      'How long completed work stays done: a claim for the same key within it is denied as a duplicate.',
  }),
  CLAIM_MAX_REQUEST_AGE_MS: Type.Integer({
    minimum: 100,
    default: 30_000,
    description: 'A claim request older than this when read is denied as stale.',
  }),
  LEASE_SWEEP_INTERVAL_MS: Type.Integer({
    minimum: 10,
    default: 1000,
    description: 'How often expired leases are released so the work can be granted again.',
  }),
  MAX_TASK_LAG: Type.Integer({
    minimum: 0,
    default: 1000,
    description:
      'Backpressure: above this many unread research tasks, new tasks get 429 with Retry-After.',
  }),
  TASK_RETRY_AFTER_SECONDS: Type.Integer({
    minimum: 1,
    default: 5,
    description: 'The Retry-After of a task refused for backpressure.',
  }),
  WORKFLOW_HISTORY_MS: Type.Integer({
    minimum: 1000,
    default: 24 * 60 * 60 * 1000,
    description:
      'How far back GET /workflows/:id sees: the workflow topics are read from this long before the start (the broker’s time index), and a workflow first seen longer ago is forgotten.',
  }),
  WORKFLOW_MAX_TRACKED: Type.Integer({
    minimum: 1,
    default: 10_000,
    description:
      'Workflows kept in memory for GET /workflows/:id; past it, the one first seen longest ago is forgotten.',
  }),
});

const FORMATS = eventRegistry()
  .catalog.agents.flatMap((agent) => (agent.format ? [agent.format.id] : []))
  .sort();

/** Every format of a complementary pair is one a writer of the catalog declares, or `*`. */
function knownFormats(config: { CLAIM_OVERLAP_COMPLEMENTARY?: readonly string[] }) {
  for (const pair of config.CLAIM_OVERLAP_COMPLEMENTARY ?? []) {
    const unknown = pair.split(':').find((format) => format !== '*' && !FORMATS.includes(format));
    if (unknown !== undefined) {
      return {
        variable: 'CLAIM_OVERLAP_COMPLEMENTARY',
        problem: `names the format "${unknown}" in "${pair}": the writers' formats are ${FORMATS.join(', ')}, or * for any`,
      } satisfies ConfigProblem;
    }
  }
  return undefined;
}

const embedding = (config: Readonly<Record<string, unknown>>) =>
  config.CLAIM_OVERLAP_METHOD === 'embedding';

/**
 * The overlap check: a claim for a new key is compared with the work held or completed,
 * and denied when it is the same work under another key.
 */
export const overlapConfig = configFragment(
  'Overlap check',
  {
    CLAIM_OVERLAP_METHOD: Type.Union(
      [Type.Literal('lexical'), Type.Literal('embedding'), Type.Literal('off')],
      {
        default: 'lexical',
        description:
          'How a claim is compared with other work: lexical (topic words, stems and synonyms, no model), embedding (an OpenAI-compatible /embeddings API at MODEL_BASE_URL), or off.',
      },
    ),
    CLAIM_OVERLAP_THRESHOLD: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1,
        documentedDefault: `${DEFAULT_THRESHOLDS.lexical} (lexical), ${DEFAULT_THRESHOLDS.embedding} (embedding): measured by make bench-overlap`,
        description: 'The similarity (0..1) at or above which two pieces of work are the same.',
      }),
    ),
    CLAIM_OVERLAP_COMPLEMENTARY: Type.Array(Type.String({ pattern: '^[a-z0-9_*]+:[a-z0-9_*]+$' }), {
      default: [],
      errorMessage: 'must be format pairs, e.g. blog_post:prospect_deck,newsletter:*',
      description:
        'Format pairs that complement each other: a claim that overlaps work of the paired format is granted with a note naming it instead of denied. Empty: every overlap is denied.',
    }),
    CLAIM_OVERLAP_EMBEDDING_MODEL: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'With embedding: the model the /embeddings API is asked for, e.g. text-embedding-3-small.',
      }),
    ),
    ...modelApiProperties,
  },
  knownFormats,
  requiredWhen('CLAIM_OVERLAP_EMBEDDING_MODEL', embedding, 'when CLAIM_OVERLAP_METHOD=embedding'),
  requiredWhen('MODEL_BASE_URL', embedding, 'when CLAIM_OVERLAP_METHOD=embedding'),
);

/** Everything the coordinator reads besides every service's variables: who may call its API, and its own. */
export const coordinatorServiceConfig = composeConfig(
  'coordinator',
  apiConfig,
  coordinatorConfig,
  overlapConfig,
);

export type CoordinatorConfig = ConfigOf<typeof coordinatorServiceConfig>;
