import { namespaced } from './namespace.ts';

/**
 * librdkafka's consumer insists on a group id, also when it never joins the group or commits
 * to it (a PartitionReader, the lag monitor's admin), and then still looks up the group's
 * coordinator (FindCoordinator: Describe on the group). Every such group id starts with this,
 * so one ACL, Describe on the prefix, covers them all and lets no one join or commit.
 */
export const UNJOINED_GROUP_PREFIX = 'paxfleet-unjoined-';

/** A group id never joined, for `purpose` (e.g. `reader-<uuid>`), in the namespace. */
export function unjoinedGroup(namespace: string | undefined, purpose: string): string {
  return namespaced(namespace, `${UNJOINED_GROUP_PREFIX}${purpose}`);
}
