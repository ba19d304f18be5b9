import type { Container, Deployment, KubernetesObject } from './manifests.ts';

/** A container that keeps every rule. */
export function goodContainer(name = 'research'): Container {
  return {
    name,
    ports: [{ name: 'http', containerPort: 8080 }],
    env: [
      { name: 'BLOB_STORE', value: 's3' },
      { name: 'BLOB_S3_BUCKET', value: 'paxfleet-blobs' },
      { name: 'KAFKA_PASSWORD', valueFrom: { secretKeyRef: { name: 'kafka', key: 'password' } } },
    ],
    livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
    readinessProbe: { httpGet: { path: '/readyz', port: 8080 } },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: 1, memory: '256Mi' } },
    securityContext: {
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
  };
}

/** A Deployment of one agent that keeps every rule. */
export function goodDeployment(
  agent = 'research',
  container: Container = goodContainer(agent),
): Deployment {
  return {
    kind: 'Deployment',
    metadata: { name: `paxfleet-${agent}`, labels: { 'app.kubernetes.io/component': agent } },
    spec: {
      template: {
        spec: {
          terminationGracePeriodSeconds: 30,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [container],
        },
      },
    },
  };
}

export function service(agent: string): KubernetesObject {
  return { kind: 'Service', metadata: { name: `paxfleet-${agent}` } };
}
