/**
 * The thresholds of helm/paxfleet/files/alerts.yml, which the dashboard shows before
 * Prometheus would fire (a unit test checks they are the file's): ConsumerLagging is
 * `max by (consumer_group, topic) (kafka_consumer_lag_seconds) > 300` for 5m, and
 * AgentStoppedReportingProgress is progress older than 120 s.
 */
export const CONSUMER_LAGGING = { seconds: 300, forMs: 5 * 60_000 } as const;
export const PROGRESS_SILENT_AFTER_MS = 120_000;

/** ok: under the threshold; pending: over it for less than `for`; firing: over it for `for` or more. */
export type AlertState = 'ok' | 'pending' | 'firing';

/**
 * Lag of one consumer group (all its topics and partitions) with the alert state: the
 * oldest unconsumed record's age against ConsumerLagging's threshold, and for how long.
 */
export interface GroupLag {
  readonly group: string;
  readonly messages: number;
  /** Undefined when no partition's age is known. */
  readonly seconds: number | undefined;
  readonly alert: AlertState;
  /** When it went over the threshold (epoch ms), while it is over it. */
  readonly overSince?: number;
}

export interface LagRow {
  readonly group: string;
  readonly messages: number;
  readonly seconds: number | undefined;
}

/** The groups' lag from one refresh's rows, with alert states carried over from the last one. */
export function groupLags(
  rows: readonly LagRow[],
  previous: ReadonlyMap<string, GroupLag>,
  now: number,
): Map<string, GroupLag> {
  const byGroup = new Map<string, { messages: number; seconds: number | undefined }>();
  for (const row of rows) {
    const sum = byGroup.get(row.group) ?? { messages: 0, seconds: undefined };
    sum.messages += row.messages;
    if (row.seconds !== undefined) sum.seconds = Math.max(sum.seconds ?? 0, row.seconds);
    byGroup.set(row.group, sum);
  }
  const lags = new Map<string, GroupLag>();
  for (const [group, { messages, seconds }] of byGroup) {
    const over = seconds !== undefined && seconds > CONSUMER_LAGGING.seconds;
    const overSince = over ? (previous.get(group)?.overSince ?? now) : undefined;
    const alert: AlertState =
      overSince === undefined
        ? 'ok'
        : now - overSince >= CONSUMER_LAGGING.forMs
          ? 'firing'
          : 'pending';
    lags.set(group, {
      group,
      messages,
      seconds,
      alert,
      ...(overSince !== undefined && { overSince }),
    });
  }
  return lags;
}
