import { Type } from '@sinclair/typebox';
import { configFragment, type ConfigOf } from '@paxfleet/core';

/** The variables of an agent that asks the coordinator for work. */
export const claimConfig = configFragment('Claims (agents that claim work)', {
  CLAIM_LEASE_MS: Type.Integer({
    minimum: 1000,
    default: 30_000,
    description:
      'How long a granted claim lasts unless renewed (renewed every third of it); a holder silent for longer loses the work to the next asker.',
  }),
});

export type ClaimConfig = ConfigOf<typeof claimConfig>;
