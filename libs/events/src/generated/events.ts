// Generated from schemas/ by `pnpm --filter @paxfleet/events generate`. Do not edit.
import type { AvroSchema } from '../avro/schema-set.ts';

export type ActivityOutcome = 'processed' | 'skipped' | 'stale' | 'failed';

/** One record per event an agent handled, with where the event came from and how late it was. */
export interface ActivityRecord {
  agent: string;
  workflow_id: string;
  outcome: ActivityOutcome;
  reason: string;
  event_type: string;
  work_key: null | string;
  source_topic: string;
  source_partition: number;
  source_offset: number;
  /** epoch milliseconds */
  source_timestamp: number;
  /** age of the source event when it was handled */
  lag_ms: number;
  /** epoch milliseconds */
  recorded_at: number;
}

export type Severity = 'info' | 'warning' | 'critical';

/** The oracle's keyword recommendations and checks on research or content. */
export interface AuditFinding {
  finding_id: string;
  work_key: string;
  workflow_id: string;
  /** research or content */
  subject: string;
  source_event_id: string;
  keywords: string[];
  findings: string[];
  severity: Severity;
  /** age of the audited event when audited */
  source_age_ms: number;
  /** epoch milliseconds */
  produced_at: number;
}

export type ClaimState = 'free' | 'held' | 'completed';

export type ClaimDecision = 'granted' | 'renewed' | 'denied' | 'completed' | 'abandoned' | 'expired' | 'rejected';

export type OverlapAction = 'deny' | 'grant';

export interface ClaimOverlap {
  work_key: string;
  subject: string;
  holder: null | string;
  /** held or completed */
  state: ClaimState;
  format: string;
  /** 0..1, at or above threshold */
  score: number;
  threshold: number;
  /** lexical or embedding */
  method: string;
  /** what the policy for the two formats said: deny the claim, or grant it with this note */
  action: OverlapAction;
}

/** One coordinator decision and the full state of the work key after it; the latest record per key is the key's state. v2 adds the work's subject and the overlapping work a claim was denied or granted beside. */
export interface ClaimRecord {
  work_key: string;
  state: ClaimState;
  holder: null | string;
  /** fencing epoch; increases each time the key changes hands */
  epoch: number;
  /** epoch milliseconds; for completed keys, the end of the completion window */
  lease_expires_at: number;
  /** rejected: a renew, complete or abandon under a stale epoch or by an agent that does not hold the key */
  decision: ClaimDecision;
  /** the request this answers; null for expiries */
  request_id: null | string;
  requester: null | string;
  reason: string;
  workflow_id: string;
  format: string;
  /** epoch milliseconds */
  decided_at: number;
  /** what the work is about, from the claim that was granted (or the request decided); the overlap index is rebuilt from it */
  subject: string;
  /** the most alike other work found by the overlap check at or above its threshold: why the claim was denied, or what it was granted beside; null when none */
  overlap: null | ClaimOverlap;
}

export type ClaimAction = 'claim' | 'renew' | 'complete' | 'abandon' | 'expire';

/** An agent asking the coordinator to claim, renew or release a work key. Agents ask; only the coordinator decides. v2 adds the subject, what the overlap check compares with other work. */
export interface ClaimRequest {
  request_id: string;
  work_key: string;
  workflow_id: string;
  agent: string;
  /** expire is the coordinator asking itself to reclaim a lapsed lease, decided in log order like any request */
  action: ClaimAction;
  /** the fencing epoch the agent holds (renew, complete, abandon) or the lapsed one (expire) */
  epoch: number;
  lease_ms: number;
  /** what the agent would produce, e.g. blog_post */
  format: string;
  /** what the work is about, e.g. the topic agent-observability-platforms; a claim compares it with the work held or completed (the overlap check); empty: no check */
  subject: string;
  /** epoch milliseconds */
  requested_at: number;
}

/** A finished blog post, prospect deck or newsletter. v2 carries a small body inline in body; a large one stays in the blob store, referenced by body_ref. */
export interface ContentResult {
  result_id: string;
  work_key: string;
  workflow_id: string;
  agent: string;
  /** blog_post, prospect_deck or newsletter */
  format: string;
  topic: string;
  title: string;
  summary: string;
  /** blob reference of the full body when it is stored by reference; empty when body holds it */
  body_ref: string;
  body_bytes: number;
  /** the fencing epoch of the claim it was written under */
  epoch: number;
  /** epoch milliseconds */
  produced_at: number;
  /** the full body when it is under the inline threshold; null when body_ref references it */
  body: null | string;
}

/** A record that could not be decoded or processed, kept whole with the reason. */
export interface DeadLetter {
  source_topic: string;
  source_partition: number;
  source_offset: number;
  /** epoch milliseconds */
  source_timestamp: number;
  key: null | Buffer;
  value: null | Buffer;
  headers: Record<string, Buffer>;
  error_code: string;
  error_message: string;
  /** agent id */
  failed_by: string;
  attempts: number;
  /** epoch milliseconds */
  failed_at: number;
}

/** A dead letter re-published to its source topic, written in the same transaction as the re-published record: its presence means the dead letter must not be re-driven again. */
export interface DeadLetterRedrive {
  /** <partition>:<offset> of the dead letter on dead-letters; the record's key */
  dead_letter_id: string;
  /** the catalog's name, as in the dead letter */
  source_topic: string;
  /** where the record first was */
  source_partition: number;
  source_offset: number;
  /** where the re-published copy is */
  redriven_partition: number;
  redriven_offset: number;
  /** the operator who asked for it */
  redriven_by: string;
  /** epoch milliseconds */
  redriven_at: number;
}

export type ModelCallOutcome = 'ok' | 'failed' | 'replayed';

/** One model call an agent made while handling an event, written in the same transaction as the event's outputs: what was asked (by hash), what it took, what it cost and what came back, so a replay can answer from it. */
export interface ModelCall {
  /** unique per call */
  call_id: string;
  agent: string;
  /** the agent instance (pod) that made the call */
  instance: string;
  workflow_id: string;
  /** the claimed work key when the call was made under a claim */
  work_key: null | string;
  /** the event the call served */
  source_topic: string;
  source_partition: number;
  source_offset: number;
  /** 0 for the first call made for the event, 1 for the next... */
  sequence: number;
  /** sha256 of the system message, a NUL and the prompt (hex) */
  prompt_hash: string;
  provider: string;
  /** the model that answered, as the provider names it */
  model: string;
  /** replayed: answered from a recorded call (shadow replay), not by the model */
  outcome: ModelCallOutcome;
  /** why a failed call failed */
  error: string;
  prompt_tokens: number;
  completion_tokens: number;
  /** true when the provider reported no usage and tokens were estimated from characters */
  tokens_estimated: boolean;
  latency_ms: number;
  /** by the price table of MODEL_PRICES; 0 for a model it does not list */
  cost_usd: number;
  /** the completion's text when it is under the inline threshold; null when completion_ref references it or the call failed */
  completion: null | string;
  /** blob reference of the completion when it is stored by reference */
  completion_ref: string;
  /** epoch milliseconds, when the call returned */
  recorded_at: number;
}

export type AgentState = 'idle' | 'working';

export interface WorkInFlight {
  workflow_id: string;
  work_key: null | string;
  step: number;
  total_steps: number;
  status: string;
}

/** What an agent instance is doing now: a step of one piece of its work, or a heartbeat. v2 adds how many pieces are in flight and, in heartbeats, what each one is doing. */
export interface Progress {
  agent: string;
  instance: string;
  state: AgentState;
  /** the piece this step is of; null in heartbeats */
  workflow_id: null | string;
  work_key: null | string;
  step: number;
  total_steps: number;
  /** human-readable, e.g. Writing draft (step 3/5), or 3 in flight */
  status: string;
  /** epoch milliseconds */
  at: number;
  /** pieces of work the instance has in flight */
  in_flight: number;
  /** in heartbeats, every piece in flight and its step; in step records, that piece */
  work: WorkInFlight[];
}

/** Research lifecycle; analysis_complete starts content work. v3 carries a small analysis inline in body; a large one stays in the blob store, referenced by output_path. */
export interface ResearchEvent {
  event_id: string;
  /** analysis_started, analysis_complete or analysis_failed */
  event_type: string;
  workflow_id: string;
  /** research topic slug, also the record key */
  topic: string;
  /** blob reference of the analysis when it is stored by reference; empty when body holds it */
  output_path: string;
  /** epoch milliseconds */
  timestamp: number;
  /** a brief summary of the analysis */
  summary: null | string;
  /** the analysis itself when it is under the inline threshold; null when output_path references it */
  body: null | string;
}

/** Work for the research agent, routed by the coordinator. */
export interface ResearchTask {
  task_id: string;
  workflow_id: string;
  /** research topic slug, also the record key */
  topic: string;
  brief: string;
  requested_by: string;
  /** epoch milliseconds */
  requested_at: number;
}

/** An optimisation report on one piece of finished content. */
export interface SeoReport {
  report_id: string;
  work_key: string;
  workflow_id: string;
  result_id: string;
  format: string;
  keywords: string[];
  /** 0 to 100 */
  score: number;
  recommendations: string[];
  /** epoch milliseconds */
  produced_at: number;
}

/** The latest schema version of every event, by event name. */
export interface EventTypes {
  'activity-record': ActivityRecord;
  'audit-finding': AuditFinding;
  'claim-record': ClaimRecord;
  'claim-request': ClaimRequest;
  'content-result': ContentResult;
  'dead-letter': DeadLetter;
  'dead-letter-redrive': DeadLetterRedrive;
  'model-call': ModelCall;
  'progress': Progress;
  'research-event': ResearchEvent;
  'research-task': ResearchTask;
  'seo-report': SeoReport;
}

/** The value type of every topic in the catalog. */
export interface TopicValues {
  'research-tasks': EventTypes['research-task'];
  'research-events': EventTypes['research-event'];
  'claim-requests': EventTypes['claim-request'];
  'content-claims': EventTypes['claim-record'];
  'content-results': EventTypes['content-result'];
  'agent-progress': EventTypes['progress'];
  'agent-activity': EventTypes['activity-record'];
  'model-calls': EventTypes['model-call'];
  'seo-reports': EventTypes['seo-report'];
  'audit-findings': EventTypes['audit-finding'];
  'dead-letters': EventTypes['dead-letter'];
  'dead-letter-redrives': EventTypes['dead-letter-redrive'];
}

export type EventName = keyof EventTypes;
export type TopicName = keyof TopicValues;

export const schemaSources: Record<string, Record<number, AvroSchema>> = {
  "activity-record": {
    "1": {
      "type": "record",
      "name": "ActivityRecord",
      "namespace": "dev.paxfleet.events",
      "doc": "One record per event an agent handled, with where the event came from and how late it was.",
      "fields": [
        {
          "name": "agent",
          "type": "string"
        },
        {
          "name": "workflow_id",
          "type": "string"
        },
        {
          "name": "outcome",
          "type": {
            "type": "enum",
            "name": "ActivityOutcome",
            "symbols": [
              "processed",
              "skipped",
              "stale",
              "failed"
            ],
            "default": "processed"
          }
        },
        {
          "name": "reason",
          "type": "string",
          "default": ""
        },
        {
          "name": "event_type",
          "type": "string",
          "default": ""
        },
        {
          "name": "work_key",
          "type": [
            "null",
            "string"
          ],
          "default": null
        },
        {
          "name": "source_topic",
          "type": "string"
        },
        {
          "name": "source_partition",
          "type": "int"
        },
        {
          "name": "source_offset",
          "type": "long"
        },
        {
          "name": "source_timestamp",
          "type": "long",
          "doc": "epoch milliseconds"
        },
        {
          "name": "lag_ms",
          "type": "long",
          "doc": "age of the source event when it was handled"
        },
        {
          "name": "recorded_at",
          "type": "long",
          "doc": "epoch milliseconds"
        }
      ]
    }
  },
  "audit-finding": {
    "1": {
      "type": "record",
      "name": "AuditFinding",
      "namespace": "dev.paxfleet.events",
      "doc": "The oracle's keyword recommendations and checks on research or content.",
      "fields": [
        {
          "name": "finding_id",
          "type": "string"
        },
        {
          "name": "work_key",
          "type": "string"
        },
        {
          "name": "workflow_id",
          "type": "string"
        },
        {
          "name": "subject",
          "type": "string",
          "doc": "research or content"
        },
        {
          "name": "source_event_id",
          "type": "string"
        },
        {
          "name": "keywords",
          "type": {
            "type": "array",
            "items": "string"
          },
          "default": []
        },
        {
          "name": "findings",
          "type": {
            "type": "array",
            "items": "string"
          },
          "default": []
        },
        {
          "name": "severity",
          "type": {
            "type": "enum",
            "name": "Severity",
            "symbols": [
              "info",
              "warning",
              "critical"
            ],
            "default": "info"
          }
        },
        {
          "name": "source_age_ms",
          "type": "long",
          "default": 0,
          "doc": "age of the audited event when audited"
        },
        {
          "name": "produced_at",
          "type": "long",
          "doc": "epoch milliseconds"
        }
      ]
    }
  },
  "claim-record": {
    "1": {
      "type": "record",
      "name": "ClaimRecord",
      "namespace": "dev.paxfleet.events",
      "doc": "One coordinator decision and the full state of the work key after it; the latest record per key is the key's state.",
      "fields": [
        {
          "name": "work_key",
          "type": "string"
        },
        {
          "name": "state",
          "type": {
            "type": "enum",
            "name": "ClaimState",
            "symbols": [
              "free",
              "held",
              "completed"
            ],
            "default": "free"
          }
        },
        {
          "name": "holder",
          "type": [
            "null",
            "string"
          ],
          "default": null
        },
        {
          "name": "epoch",
          "type": "long",
          "doc": "fencing epoch; increases each time the key changes hands"
        },
        {
          "name": "lease_expires_at",
          "type": "long",
          "default": 0,
          "doc": "epoch milliseconds; for completed keys, the end of the completion window"
        },
        {
          "name": "decision",
          "type": {
            "type": "enum",
            "name": "ClaimDecision",
            "symbols": [
              "granted",
              "renewed",
              "denied",
              "completed",
              "abandoned",
              "expired",
              "rejected"
            ],
            "default": "denied"
          },
          "doc": "rejected: a renew, complete or abandon under a stale epoch or by an agent that does not hold the key"
        },
        {
          "name": "request_id",
          "type": [
            "null",
            "string"
          ],
          "default": null,
          "doc": "the request this answers; null for expiries"
        },
        {
          "name": "requester",
          "type": [
            "null",
            "string"
          ],
          "default": null
        },
        {
          "name": "reason",
          "type": "string",
          "default": ""
        },
        {
          "name": "workflow_id",
          "type": "string",
          "default": ""
        },
        {
          "name": "format",
          "type": "string",
          "default": ""
        },
        {
          "name": "decided_at",
          "type": "long",
          "doc": "epoch milliseconds"
        }
      ]
    },
    "2": {
      "type": "record",
      "name": "ClaimRecord",
      "namespace": "dev.paxfleet.events",
      "doc": "One coordinator decision and the full state of the work key after it; the latest record per key is the key's state. v2 adds the work's subject and the overlapping work a claim was denied or granted beside.",
      "fields": [
        {
          "name": "work_key",
          "type": "string"
        },
        {
          "name": "state",
          "type": {
            "type": "enum",
            "name": "ClaimState",
            "symbols": [
              "free",
              "held",
              "completed"
            ],
            "default": "free"
          }
        },
        {
          "name": "holder",
          "type": [
            "null",
            "string"
          ],
          "default": null
        },
        {
          "name": "epoch",
          "type": "long",
          "doc": "fencing epoch; increases each time the key changes hands"
        },
        {
          "name": "lease_expires_at",
          "type": "long",
          "default": 0,
          "doc": "epoch milliseconds; for completed keys, the end of the completion window"
        },
        {
          "name": "decision",
          "type": {
            "type": "enum",
            "name": "ClaimDecision",
            "symbols": [
              "granted",
              "renewed",
              "denied",
              "completed",
              "abandoned",
              "expired",
              "rejected"
            ],
            "default": "denied"
          },
          "doc": "rejected: a renew, complete or abandon under a stale epoch or by an agent that does not hold the key"
        },
        {
          "name": "request_id",
          "type": [
            "null",
            "string"
          ],
          "default": null,
          "doc": "the request this answers; null for expiries"
        },
        {
          "name": "requester",
          "type": [
            "null",
            "string"
          ],
          "default": null
        },
        {
          "name": "reason",
          "type": "string",
          "default": ""
        },
        {
          "name": "workflow_id",
          "type": "string",
          "default": ""
        },
        {
          "name": "format",
          "type": "string",
          "default": ""
        },
        {
          "name": "decided_at",
          "type": "long",
          "doc": "epoch milliseconds"
        },
        {
          "name": "subject",
          "type": "string",
          "default": "",
          "doc": "what the work is about, from the claim that was granted (or the request decided); the overlap index is rebuilt from it"
        },
        {
          "name": "overlap",
          "default": null,
          "doc": "the most alike other work found by the overlap check at or above its threshold: why the claim was denied, or what it was granted beside; null when none",
          "type": [
            "null",
            {
              "type": "record",
              "name": "ClaimOverlap",
              "fields": [
                {
                  "name": "work_key",
                  "type": "string"
                },
                {
                  "name": "subject",
                  "type": "string"
                },
                {
                  "name": "holder",
                  "type": [
                    "null",
                    "string"
                  ],
                  "default": null
                },
                {
                  "name": "state",
                  "type": "ClaimState",
                  "doc": "held or completed"
                },
                {
                  "name": "format",
                  "type": "string",
                  "default": ""
                },
                {
                  "name": "score",
                  "type": "double",
                  "doc": "0..1, at or above threshold"
                },
                {
                  "name": "threshold",
                  "type": "double"
                },
                {
                  "name": "method",
                  "type": "string",
                  "doc": "lexical or embedding"
                },
                {
                  "name": "action",
                  "type": {
                    "type": "enum",
                    "name": "OverlapAction",
                    "symbols": [
                      "deny",
                      "grant"
                    ],
                    "default": "deny"
                  },
                  "doc": "what the policy for the two formats said: deny the claim, or grant it with this note"
                }
              ]
            }
          ]
        }
      ]
    }
  },
  "claim-request": {
    "1": {
      "type": "record",
      "name": "ClaimRequest",
      "namespace": "dev.paxfleet.events",
      "doc": "An agent asking the coordinator to claim, renew or release a work key. Agents ask; only the coordinator decides.",
      "fields": [
        {
          "name": "request_id",
          "type": "string"
        },
        {
          "name": "work_key",
          "type": "string"
        },
        {
          "name": "workflow_id",
          "type": "string"
        },
        {
          "name": "agent",
          "type": "string"
        },
        {
          "name": "action",
          "type": {
            "type": "enum",
            "name": "ClaimAction",
            "symbols": [
              "claim",
              "renew",
              "complete",
              "abandon",
              "expire"
            ],
            "default": "claim"
          },
          "doc": "expire is the coordinator asking itself to reclaim a lapsed lease, decided in log order like any request"
        },
        {
          "name": "epoch",
          "type": "long",
          "default": 0,
          "doc": "the fencing epoch the agent holds (renew, complete, abandon) or the lapsed one (expire)"
        },
        {
          "name": "lease_ms",
          "type": "long",
          "default": 30000
        },
        {
          "name": "format",
          "type": "string",
          "default": "",
          "doc": "what the agent would produce, e.g. blog_post"
        },
        {
          "name": "requested_at",
          "type": "long",
          "doc": "epoch milliseconds"
        }
      ]
    },
    "2": {
      "type": "record",
      "name": "ClaimRequest",
      "namespace": "dev.paxfleet.events",
      "doc": "An agent asking the coordinator to claim, renew or release a work key. Agents ask; only the coordinator decides. v2 adds the subject, what the overlap check compares with other work.",
      "fields": [
        {
          "name": "request_id",
          "type": "string"
        },
        {
          "name": "work_key",
          "type": "string"
        },
        {
          "name": "workflow_id",
          "type": "string"
        },
        {
          "name": "agent",
          "type": "string"
        },
        {
          "name": "action",
          "type": {
            "type": "enum",
            "name": "ClaimAction",
            "symbols": [
              "claim",
              "renew",
              "complete",
              "abandon",
              "expire"
            ],
            "default": "claim"
          },
          "doc": "expire is the coordinator asking itself to reclaim a lapsed lease, decided in log order like any request"
        },
        {
          "name": "epoch",
          "type": "long",
          "default": 0,
          "doc": "the fencing epoch the agent holds (renew, complete, abandon) or the lapsed one (expire)"
        },
        {
          "name": "lease_ms",
          "type": "long",
          "default": 30000
        },
        {
          "name": "format",
          "type": "string",
          "default": "",
          "doc": "what the agent would produce, e.g. blog_post"
        },
        {
          "name": "subject",
          "type": "string",
          "default": "",
          "doc": "what the work is about, e.g. the topic agent-observability-platforms; a claim compares it with the work held or completed (the overlap check); empty: no check"
        },
        {
          "name": "requested_at",
          "type": "long",
          "doc": "epoch milliseconds"
        }
      ]
    }
  },
  "content-result": {
    "1": {
      "type": "record",
      "name": "ContentResult",
      "namespace": "dev.paxfleet.events",
      "doc": "A finished blog post, prospect deck or newsletter; the body travels by reference.",
      "fields": [
        {
          "name": "result_id",
          "type": "string"
        },
        {
          "name": "work_key",
          "type": "string"
        },
        {
          "name": "workflow_id",
          "type": "string"
        },
        {
          "name": "agent",
          "type": "string"
        },
        {
          "name": "format",
          "type": "string",
          "doc": "blog_post, prospect_deck or newsletter"
        },
        {
          "name": "topic",
          "type": "string"
        },
        {
          "name": "title",
          "type": "string"
        },
        {
          "name": "summary",
          "type": "string",
          "default": ""
        },
        {
          "name": "body_ref",
          "type": "string",
          "doc": "blob reference of the full body"
        },
        {
          "name": "body_bytes",
          "type": "long",
          "default": 0
        },
        {
          "name": "epoch",
          "type": "long",
          "doc": "the fencing epoch of the claim it was written under"
        },
        {
          "name": "produced_at",
          "type": "long",
          "doc": "epoch milliseconds"
        }
      ]
    },
    "2": {
      "type": "record",
      "name": "ContentResult",
      "namespace": "dev.paxfleet.events",
      "doc": "A finished blog post, prospect deck or newsletter. v2 carries a small body inline in body; a large one stays in the blob store, referenced by body_ref.",
      "fields": [
        {
          "name": "result_id",
          "type": "string"
        },
        {
          "name": "work_key",
          "type": "string"
        },
        {
          "name": "workflow_id",
          "type": "string"
        },
        {
          "name": "agent",
          "type": "string"
        },
        {
          "name": "format",
          "type": "string",
          "doc": "blog_post, prospect_deck or newsletter"
        },
        {
          "name": "topic",
          "type": "string"
        },
        {
          "name": "title",
          "type": "string"
        },
        {
          "name": "summary",
          "type": "string",
          "default": ""
        },
        {
          "name": "body_ref",
          "type": "string",
          "doc": "blob reference of the full body when it is stored by reference; empty when body holds it"
        },
        {
          "name": "body_bytes",
          "type": "long",
          "default": 0
        },
        {
          "name": "epoch",
          "type": "long",
          "doc": "the fencing epoch of the claim it was written under"
        },
        {
          "name": "produced_at",
          "type": "long",
          "doc": "epoch milliseconds"
        },
        {
          "name": "body",
          "type": [
            "null",
            "string"
          ],
          "default": null,
          "doc": "the full body when it is under the inline threshold; null when body_ref references it"
        }
      ]
    }
  },
  "dead-letter": {
    "1": {
      "type": "record",
      "name": "DeadLetter",
      "namespace": "dev.paxfleet.events",
      "doc": "A record that could not be decoded or processed, kept whole with the reason.",
      "fields": [
        {
          "name": "source_topic",
          "type": "string"
        },
        {
          "name": "source_partition",
          "type": "int"
        },
        {
          "name": "source_offset",
          "type": "long"
        },
        {
          "name": "source_timestamp",
          "type": "long",
          "doc": "epoch milliseconds"
        },
        {
          "name": "key",
          "type": [
            "null",
            "bytes"
          ],
          "default": null
        },
        {
          "name": "value",
          "type": [
            "null",
            "bytes"
          ],
          "default": null
        },
        {
          "name": "headers",
          "type": {
            "type": "map",
            "values": "bytes"
          },
          "default": {}
        },
        {
          "name": "error_code",
          "type": "string"
        },
        {
          "name": "error_message",
          "type": "string"
        },
        {
          "name": "failed_by",
          "type": "string",
          "doc": "agent id"
        },
        {
          "name": "attempts",
          "type": "int",
          "default": 1
        },
        {
          "name": "failed_at",
          "type": "long",
          "doc": "epoch milliseconds"
        }
      ]
    }
  },
  "dead-letter-redrive": {
    "1": {
      "type": "record",
      "name": "DeadLetterRedrive",
      "namespace": "dev.paxfleet.events",
      "doc": "A dead letter re-published to its source topic, written in the same transaction as the re-published record: its presence means the dead letter must not be re-driven again.",
      "fields": [
        {
          "name": "dead_letter_id",
          "type": "string",
          "doc": "<partition>:<offset> of the dead letter on dead-letters; the record's key"
        },
        {
          "name": "source_topic",
          "type": "string",
          "doc": "the catalog's name, as in the dead letter"
        },
        {
          "name": "source_partition",
          "type": "int",
          "doc": "where the record first was"
        },
        {
          "name": "source_offset",
          "type": "long"
        },
        {
          "name": "redriven_partition",
          "type": "int",
          "doc": "where the re-published copy is"
        },
        {
          "name": "redriven_offset",
          "type": "long"
        },
        {
          "name": "redriven_by",
          "type": "string",
          "doc": "the operator who asked for it"
        },
        {
          "name": "redriven_at",
          "type": "long",
          "doc": "epoch milliseconds"
        }
      ]
    }
  },
  "model-call": {
    "1": {
      "type": "record",
      "name": "ModelCall",
      "namespace": "dev.paxfleet.events",
      "doc": "One model call an agent made while handling an event, written in the same transaction as the event's outputs: what was asked (by hash), what it took, what it cost and what came back, so a replay can answer from it.",
      "fields": [
        {
          "name": "call_id",
          "type": "string",
          "doc": "unique per call"
        },
        {
          "name": "agent",
          "type": "string"
        },
        {
          "name": "instance",
          "type": "string",
          "doc": "the agent instance (pod) that made the call"
        },
        {
          "name": "workflow_id",
          "type": "string"
        },
        {
          "name": "work_key",
          "type": [
            "null",
            "string"
          ],
          "default": null,
          "doc": "the claimed work key when the call was made under a claim"
        },
        {
          "name": "source_topic",
          "type": "string",
          "doc": "the event the call served"
        },
        {
          "name": "source_partition",
          "type": "int"
        },
        {
          "name": "source_offset",
          "type": "long"
        },
        {
          "name": "sequence",
          "type": "int",
          "doc": "0 for the first call made for the event, 1 for the next..."
        },
        {
          "name": "prompt_hash",
          "type": "string",
          "doc": "sha256 of the system message, a NUL and the prompt (hex)"
        },
        {
          "name": "provider",
          "type": "string"
        },
        {
          "name": "model",
          "type": "string",
          "doc": "the model that answered, as the provider names it"
        },
        {
          "name": "outcome",
          "type": {
            "type": "enum",
            "name": "ModelCallOutcome",
            "symbols": [
              "ok",
              "failed",
              "replayed"
            ],
            "default": "ok"
          },
          "doc": "replayed: answered from a recorded call (shadow replay), not by the model"
        },
        {
          "name": "error",
          "type": "string",
          "default": "",
          "doc": "why a failed call failed"
        },
        {
          "name": "prompt_tokens",
          "type": "long"
        },
        {
          "name": "completion_tokens",
          "type": "long"
        },
        {
          "name": "tokens_estimated",
          "type": "boolean",
          "default": false,
          "doc": "true when the provider reported no usage and tokens were estimated from characters"
        },
        {
          "name": "latency_ms",
          "type": "long"
        },
        {
          "name": "cost_usd",
          "type": "double",
          "doc": "by the price table of MODEL_PRICES; 0 for a model it does not list"
        },
        {
          "name": "completion",
          "type": [
            "null",
            "string"
          ],
          "default": null,
          "doc": "the completion's text when it is under the inline threshold; null when completion_ref references it or the call failed"
        },
        {
          "name": "completion_ref",
          "type": "string",
          "default": "",
          "doc": "blob reference of the completion when it is stored by reference"
        },
        {
          "name": "recorded_at",
          "type": "long",
          "doc": "epoch milliseconds, when the call returned"
        }
      ]
    }
  },
  "progress": {
    "1": {
      "type": "record",
      "name": "Progress",
      "namespace": "dev.paxfleet.events",
      "doc": "What an agent is doing now: a step of its work, or an idle or working heartbeat.",
      "fields": [
        {
          "name": "agent",
          "type": "string"
        },
        {
          "name": "instance",
          "type": "string",
          "default": ""
        },
        {
          "name": "state",
          "type": {
            "type": "enum",
            "name": "AgentState",
            "symbols": [
              "idle",
              "working"
            ],
            "default": "idle"
          }
        },
        {
          "name": "workflow_id",
          "type": [
            "null",
            "string"
          ],
          "default": null
        },
        {
          "name": "work_key",
          "type": [
            "null",
            "string"
          ],
          "default": null
        },
        {
          "name": "step",
          "type": "int",
          "default": 0
        },
        {
          "name": "total_steps",
          "type": "int",
          "default": 0
        },
        {
          "name": "status",
          "type": "string",
          "doc": "human-readable, e.g. Writing draft"
        },
        {
          "name": "at",
          "type": "long",
          "doc": "epoch milliseconds"
        }
      ]
    },
    "2": {
      "type": "record",
      "name": "Progress",
      "namespace": "dev.paxfleet.events",
      "doc": "What an agent instance is doing now: a step of one piece of its work, or a heartbeat. v2 adds how many pieces are in flight and, in heartbeats, what each one is doing.",
      "fields": [
        {
          "name": "agent",
          "type": "string"
        },
        {
          "name": "instance",
          "type": "string",
          "default": ""
        },
        {
          "name": "state",
          "type": {
            "type": "enum",
            "name": "AgentState",
            "symbols": [
              "idle",
              "working"
            ],
            "default": "idle"
          }
        },
        {
          "name": "workflow_id",
          "type": [
            "null",
            "string"
          ],
          "default": null,
          "doc": "the piece this step is of; null in heartbeats"
        },
        {
          "name": "work_key",
          "type": [
            "null",
            "string"
          ],
          "default": null
        },
        {
          "name": "step",
          "type": "int",
          "default": 0
        },
        {
          "name": "total_steps",
          "type": "int",
          "default": 0
        },
        {
          "name": "status",
          "type": "string",
          "doc": "human-readable, e.g. Writing draft (step 3/5), or 3 in flight"
        },
        {
          "name": "at",
          "type": "long",
          "doc": "epoch milliseconds"
        },
        {
          "name": "in_flight",
          "type": "int",
          "default": 0,
          "doc": "pieces of work the instance has in flight"
        },
        {
          "name": "work",
          "doc": "in heartbeats, every piece in flight and its step; in step records, that piece",
          "default": [],
          "type": {
            "type": "array",
            "items": {
              "type": "record",
              "name": "WorkInFlight",
              "fields": [
                {
                  "name": "workflow_id",
                  "type": "string"
                },
                {
                  "name": "work_key",
                  "type": [
                    "null",
                    "string"
                  ],
                  "default": null
                },
                {
                  "name": "step",
                  "type": "int"
                },
                {
                  "name": "total_steps",
                  "type": "int"
                },
                {
                  "name": "status",
                  "type": "string"
                }
              ]
            }
          }
        }
      ]
    }
  },
  "research-event": {
    "1": {
      "type": "record",
      "name": "ResearchEvent",
      "namespace": "dev.paxfleet.events",
      "doc": "Research lifecycle; analysis_complete starts content work.",
      "fields": [
        {
          "name": "event_id",
          "type": "string"
        },
        {
          "name": "event_type",
          "type": "string",
          "doc": "analysis_started, analysis_complete or analysis_failed"
        },
        {
          "name": "workflow_id",
          "type": "string"
        },
        {
          "name": "topic",
          "type": "string",
          "doc": "research topic slug, also the record key"
        },
        {
          "name": "output_path",
          "type": "string",
          "doc": "where the analysis is stored (blob reference)"
        },
        {
          "name": "timestamp",
          "type": "long",
          "doc": "epoch milliseconds"
        }
      ]
    },
    "2": {
      "type": "record",
      "name": "ResearchEvent",
      "namespace": "dev.paxfleet.events",
      "doc": "Research lifecycle; analysis_complete starts content work. v2 adds an optional summary.",
      "fields": [
        {
          "name": "event_id",
          "type": "string"
        },
        {
          "name": "event_type",
          "type": "string",
          "doc": "analysis_started, analysis_complete or analysis_failed"
        },
        {
          "name": "workflow_id",
          "type": "string"
        },
        {
          "name": "topic",
          "type": "string",
          "doc": "research topic slug, also the record key"
        },
        {
          "name": "output_path",
          "type": "string",
          "doc": "where the analysis is stored (blob reference)"
        },
        {
          "name": "timestamp",
          "type": "long",
          "doc": "epoch milliseconds"
        },
        {
          "name": "summary",
          "type": [
            "null",
            "string"
          ],
          "default": null,
          "doc": "a brief summary of the analysis"
        }
      ]
    },
    "3": {
      "type": "record",
      "name": "ResearchEvent",
      "namespace": "dev.paxfleet.events",
      "doc": "Research lifecycle; analysis_complete starts content work. v3 carries a small analysis inline in body; a large one stays in the blob store, referenced by output_path.",
      "fields": [
        {
          "name": "event_id",
          "type": "string"
        },
        {
          "name": "event_type",
          "type": "string",
          "doc": "analysis_started, analysis_complete or analysis_failed"
        },
        {
          "name": "workflow_id",
          "type": "string"
        },
        {
          "name": "topic",
          "type": "string",
          "doc": "research topic slug, also the record key"
        },
        {
          "name": "output_path",
          "type": "string",
          "doc": "blob reference of the analysis when it is stored by reference; empty when body holds it"
        },
        {
          "name": "timestamp",
          "type": "long",
          "doc": "epoch milliseconds"
        },
        {
          "name": "summary",
          "type": [
            "null",
            "string"
          ],
          "default": null,
          "doc": "a brief summary of the analysis"
        },
        {
          "name": "body",
          "type": [
            "null",
            "string"
          ],
          "default": null,
          "doc": "the analysis itself when it is under the inline threshold; null when output_path references it"
        }
      ]
    }
  },
  "research-task": {
    "1": {
      "type": "record",
      "name": "ResearchTask",
      "namespace": "dev.paxfleet.events",
      "doc": "Work for the research agent, routed by the coordinator.",
      "fields": [
        {
          "name": "task_id",
          "type": "string"
        },
        {
          "name": "workflow_id",
          "type": "string"
        },
        {
          "name": "topic",
          "type": "string",
          "doc": "research topic slug, also the record key"
        },
        {
          "name": "brief",
          "type": "string",
          "default": ""
        },
        {
          "name": "requested_by",
          "type": "string"
        },
        {
          "name": "requested_at",
          "type": "long",
          "doc": "epoch milliseconds"
        }
      ]
    }
  },
  "seo-report": {
    "1": {
      "type": "record",
      "name": "SeoReport",
      "namespace": "dev.paxfleet.events",
      "doc": "An optimisation report on one piece of finished content.",
      "fields": [
        {
          "name": "report_id",
          "type": "string"
        },
        {
          "name": "work_key",
          "type": "string"
        },
        {
          "name": "workflow_id",
          "type": "string"
        },
        {
          "name": "result_id",
          "type": "string"
        },
        {
          "name": "format",
          "type": "string",
          "default": ""
        },
        {
          "name": "keywords",
          "type": {
            "type": "array",
            "items": "string"
          },
          "default": []
        },
        {
          "name": "score",
          "type": "int",
          "doc": "0 to 100"
        },
        {
          "name": "recommendations",
          "type": {
            "type": "array",
            "items": "string"
          },
          "default": []
        },
        {
          "name": "produced_at",
          "type": "long",
          "doc": "epoch milliseconds"
        }
      ]
    }
  }
};

export const catalogSource: unknown = {
  "$comment": "The topic catalog: the one source for local topics, Kubernetes KafkaTopic manifests and ACLs. Durations use ms, s, m, h or d; \"forever\" keeps records indefinitely. retention is how long Kafka serves a record (retention.ms); where the cluster has tiered storage, tiers.hot is how long it stays on broker disks (local.retention.ms) before only the remote (warm) tier has it; tiers.archive is how long the cold archive outside Kafka keeps it. blobPrefix names the object-store prefix of the bodies a topic's records reference; those blobs are kept as long as the longest of retention and tiers.archive. agents declares each service once: its one-line summary, its port on one machine, its consumer group, what it consumes (in its group) and produces, what it reads outside any group (reads), whether the chart leaves it off unless turned on (optional), maxEventAge (MAX_EVENT_AGE_MS's default) and, for a writer, the format it writes; the fleet launcher, the services' defaults, the chart check, the k8s users and the README's service table come from it.",
  "defaults": {
    "replicationFactor": 3,
    "minInsyncReplicas": 2
  },
  "topics": [
    {
      "name": "research-tasks",
      "description": "work for the research agent",
      "key": "research topic slug",
      "valueSchema": "research-task",
      "partitions": 6,
      "cleanupPolicy": "delete",
      "retention": "7d",
      "tiers": {
        "hot": "7d",
        "archive": "90d"
      }
    },
    {
      "name": "research-events",
      "description": "research lifecycle; analysis_complete starts content work",
      "key": "research topic slug",
      "valueSchema": "research-event",
      "partitions": 6,
      "cleanupPolicy": "delete",
      "retention": "30d",
      "tiers": {
        "hot": "7d",
        "archive": "90d"
      },
      "blobPrefix": "research/"
    },
    {
      "name": "claim-requests",
      "description": "agents asking to claim, renew or release work; co-partitioned with content-claims",
      "key": "work key",
      "valueSchema": "claim-request",
      "partitions": 6,
      "cleanupPolicy": "delete",
      "retention": "24h"
    },
    {
      "name": "content-claims",
      "description": "the claim log: holder, lease and fencing epoch of every work key",
      "key": "work key",
      "valueSchema": "claim-record",
      "partitions": 6,
      "cleanupPolicy": "compact,delete",
      "retention": "24h",
      "tiers": {
        "hot": "24h",
        "archive": "90d"
      }
    },
    {
      "name": "content-results",
      "description": "finished articles, decks and newsletters; large bodies by reference",
      "key": "work key",
      "valueSchema": "content-result",
      "partitions": 6,
      "cleanupPolicy": "delete",
      "retention": "365d",
      "tiers": {
        "hot": "30d",
        "archive": "forever"
      },
      "blobPrefix": "content/"
    },
    {
      "name": "agent-progress",
      "description": "step n of total, idle and working heartbeats",
      "key": "agent id",
      "valueSchema": "progress",
      "partitions": 3,
      "cleanupPolicy": "delete",
      "retention": "24h"
    },
    {
      "name": "agent-activity",
      "description": "one record per event an agent handled: processed, skipped, stale, failed",
      "key": "workflow id",
      "valueSchema": "activity-record",
      "partitions": 6,
      "cleanupPolicy": "delete",
      "retention": "30d",
      "tiers": {
        "hot": "7d",
        "archive": "90d"
      }
    },
    {
      "name": "model-calls",
      "description": "the ledger: one record per model call (tokens, latency, cost, the completion), in the calling agent's transaction",
      "key": "workflow id",
      "valueSchema": "model-call",
      "partitions": 6,
      "cleanupPolicy": "delete",
      "retention": "30d",
      "tiers": {
        "hot": "7d",
        "archive": "365d"
      },
      "blobPrefix": "model-calls/"
    },
    {
      "name": "seo-reports",
      "description": "optimisation reports on finished content",
      "key": "work key",
      "valueSchema": "seo-report",
      "partitions": 3,
      "cleanupPolicy": "delete",
      "retention": "365d",
      "tiers": {
        "hot": "30d",
        "archive": "365d"
      }
    },
    {
      "name": "audit-findings",
      "description": "keyword recommendations and checks from the oracle",
      "key": "work key",
      "valueSchema": "audit-finding",
      "partitions": 3,
      "cleanupPolicy": "delete",
      "retention": "365d",
      "tiers": {
        "hot": "30d",
        "archive": "365d"
      }
    },
    {
      "name": "dead-letters",
      "description": "records that could not be decoded or processed: original bytes, error, source coordinates",
      "key": "source topic",
      "valueSchema": "dead-letter",
      "partitions": 3,
      "cleanupPolicy": "delete",
      "retention": "30d"
    },
    {
      "name": "dead-letter-redrives",
      "description": "one marker per dead letter re-published to its source topic, in the re-published record's transaction; written only by the operator's paxfleet dead-letters redrive (compacted)",
      "key": "dead letter id",
      "valueSchema": "dead-letter-redrive",
      "partitions": 1,
      "cleanupPolicy": "compact,delete",
      "retention": "forever"
    }
  ],
  "agents": {
    "coordinator": {
      "summary": "takes task submissions (POST /research, POST /tasks) onto research-tasks, decides every claim and shows each workflow's status (GET /workflows/:id)",
      "port": 7070,
      "group": "paxfleet-coordinator",
      "consumes": [
        "claim-requests",
        "content-claims"
      ],
      "produces": [
        "research-tasks",
        "content-claims",
        "agent-activity",
        "dead-letters"
      ],
      "reads": [
        "research-tasks",
        "research-events",
        "agent-activity",
        "content-results",
        "seo-reports",
        "audit-findings"
      ],
      "describesAllGroups": true
    },
    "research": {
      "summary": "analyses each research task with the model",
      "port": 7071,
      "group": "paxfleet-research",
      "consumes": [
        "research-tasks"
      ],
      "produces": [
        "research-events",
        "agent-progress",
        "agent-activity",
        "model-calls",
        "dead-letters"
      ],
      "maxEventAge": "1h"
    },
    "marketing": {
      "summary": "writes a blog post from an analysis, when its claim on the topic is granted",
      "port": 7072,
      "group": "paxfleet-marketing",
      "consumes": [
        "research-events",
        "content-claims"
      ],
      "produces": [
        "claim-requests",
        "content-results",
        "agent-progress",
        "agent-activity",
        "model-calls",
        "dead-letters"
      ],
      "maxEventAge": "1h",
      "format": {
        "id": "blog_post",
        "noun": "blog post",
        "audience": "readers of the corporate blog"
      }
    },
    "sales": {
      "summary": "writes a prospect deck from an analysis, when its claim on the topic is granted",
      "port": 7073,
      "group": "paxfleet-sales",
      "consumes": [
        "research-events",
        "content-claims"
      ],
      "produces": [
        "claim-requests",
        "content-results",
        "agent-progress",
        "agent-activity",
        "model-calls",
        "dead-letters"
      ],
      "maxEventAge": "1h",
      "format": {
        "id": "prospect_deck",
        "noun": "prospect deck",
        "audience": "prospects evaluating us"
      }
    },
    "content": {
      "summary": "writes a newsletter issue from an analysis, when its claim on the topic is granted",
      "port": 7074,
      "group": "paxfleet-content",
      "consumes": [
        "research-events",
        "content-claims"
      ],
      "produces": [
        "claim-requests",
        "content-results",
        "agent-progress",
        "agent-activity",
        "model-calls",
        "dead-letters"
      ],
      "maxEventAge": "1h",
      "format": {
        "id": "newsletter",
        "noun": "newsletter issue",
        "audience": "subscribers of our technical newsletter"
      }
    },
    "seo": {
      "summary": "reports keywords and readability for each piece of content",
      "port": 7075,
      "group": "paxfleet-seo",
      "consumes": [
        "content-results"
      ],
      "produces": [
        "seo-reports",
        "agent-progress",
        "agent-activity",
        "model-calls",
        "dead-letters"
      ],
      "maxEventAge": "1d"
    },
    "oracle": {
      "summary": "audits research and content against the newest events and an audit API",
      "port": 7076,
      "group": "paxfleet-oracle",
      "consumes": [
        "research-events",
        "content-results"
      ],
      "produces": [
        "audit-findings",
        "agent-progress",
        "agent-activity",
        "dead-letters"
      ],
      "maxEventAge": "10m"
    },
    "archiver": {
      "summary": "writes every committed record of the topics with an archive tier to the object store, as Avro container files, exactly once",
      "port": 7077,
      "group": "paxfleet-archiver",
      "consumes": [
        "research-tasks",
        "research-events",
        "content-claims",
        "content-results",
        "agent-activity",
        "model-calls",
        "seo-reports",
        "audit-findings"
      ],
      "produces": []
    },
    "dashboard": {
      "summary": "the fleet dashboard in the browser: agents, claims, lag, workflows, dead letters and a decoding topic browser, updated live (read-only)",
      "port": 7078,
      "group": "paxfleet-dashboard",
      "consumes": [],
      "produces": [],
      "reads": [
        "research-tasks",
        "research-events",
        "claim-requests",
        "content-claims",
        "content-results",
        "agent-progress",
        "agent-activity",
        "model-calls",
        "seo-reports",
        "audit-findings",
        "dead-letters",
        "dead-letter-redrives"
      ],
      "describesAllGroups": true,
      "optional": true
    }
  }
};
