import type { CommandContext } from './context.ts';
import { render, type Column } from './output.ts';

/** A claim as the coordinator's GET /claims shows it. */
interface Claim {
  readonly work_key: string;
  readonly state: string;
  readonly holder: string | null;
  readonly epoch: number;
  readonly lease_expires_at: string | null;
  readonly completed_until: string | null;
  readonly workflow_id: string | null;
  readonly decision: string;
  readonly reason: string | null;
  readonly decided_at: string;
}

const COLUMNS: readonly Column<Claim>[] = [
  { header: 'work key', value: (claim) => claim.work_key },
  { header: 'state', value: (claim) => claim.state },
  { header: 'holder', value: (claim) => claim.holder },
  { header: 'epoch', value: (claim) => claim.epoch },
  {
    header: 'until',
    value: (claim) => (claim.lease_expires_at ?? claim.completed_until)?.slice(0, 19),
  },
  { header: 'workflow', value: (claim) => claim.workflow_id },
  { header: 'decided', value: (claim) => claim.decided_at.slice(0, 19) },
];

const HISTORY: readonly Column<Claim>[] = [
  { header: 'decided', value: (claim) => claim.decided_at.slice(0, 23) },
  { header: 'decision', value: (claim) => claim.decision },
  { header: 'state', value: (claim) => claim.state },
  { header: 'holder', value: (claim) => claim.holder },
  { header: 'epoch', value: (claim) => claim.epoch },
  { header: 'reason', value: (claim) => claim.reason },
];

/**
 * paxfleet claims [work-key]: every work key's current claim, as the coordinator decided
 * it, or one key's decisions in order.
 */
export async function claimsCommand(context: CommandContext, workKey?: string): Promise<void> {
  if (workKey === undefined) {
    const { claims } = await context.request<{ claims: Claim[] }>('GET', '/claims');
    console.log(
      render({ data: claims, rows: claims, columns: COLUMNS, empty: 'no claims' }, context.output),
    );
    return;
  }
  const claim = await context.request<Claim & { history: Claim[] }>(
    'GET',
    `/claims/${encodeURIComponent(workKey)}`,
  );
  console.log(render({ data: claim, rows: claim.history, columns: HISTORY }, context.output));
}
