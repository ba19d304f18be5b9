/** The Strimzi cluster the generated resources belong to (its strimzi.io/cluster label). */
export const CLUSTER = 'paxfleet';

const resourceName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Whether a name can be a Kubernetes resource's metadata.name (an RFC 1123 label). */
export function isResourceName(name: string): boolean {
  return resourceName.test(name);
}
