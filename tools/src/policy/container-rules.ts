import type { Container, EnvVar, PodSpec } from './manifests.ts';

/** Variables that carry credentials, which must come from a Secret. */
const SECRET_ENV = /(PASSWORD|API_KEY|USERNAME|TOKEN|SECRET|ACCESS_KEY|ACCESS_KEY_ID)$/;

/** The env a container ends up with: for a name given twice, the last one wins. */
export function finalEnv(container: Container): Map<string, EnvVar> {
  const env = new Map<string, EnvVar>();
  for (const entry of container.env ?? []) env.set(entry.name, entry);
  return env;
}

function portNumber(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

function probeProblems(
  container: Container,
  kind: 'livenessProbe' | 'readinessProbe',
  path: string,
): string[] {
  const httpGet = container[kind]?.httpGet;
  if (!httpGet) return [`${kind} is not an HTTP GET`];
  const problems: string[] = [];
  if (httpGet.path !== path) problems.push(`${kind} path is ${httpGet.path}, not ${path}`);
  if (portNumber(container, httpGet.port) !== 8080) {
    problems.push(`${kind} port ${httpGet.port} is not 8080`);
  }
  return problems;
}

function resourceProblems(container: Container): string[] {
  const problems: string[] = [];
  for (const kind of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory'] as const) {
      if (container.resources?.[kind]?.[resource] === undefined) {
        problems.push(`no ${resource} ${kind}`);
      }
    }
  }
  return problems;
}

function securityProblems(pod: PodSpec, container: Container): string[] {
  const podSecurity = pod.securityContext ?? {};
  const security = container.securityContext ?? {};
  const problems: string[] = [];
  if ((security.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true)
    problems.push('runAsNonRoot is not true');
  if ((security.runAsUser ?? podSecurity.runAsUser) === 0) problems.push('runs as uid 0');
  if (security.readOnlyRootFilesystem !== true) problems.push('readOnlyRootFilesystem is not true');
  if (security.allowPrivilegeEscalation !== false)
    problems.push('allowPrivilegeEscalation is not false');
  if (security.privileged === true) problems.push('is privileged');
  if (!(security.capabilities?.drop ?? []).includes('ALL'))
    problems.push('does not drop ALL capabilities');
  const seccomp = security.seccompProfile?.type ?? podSecurity.seccompProfile?.type;
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
    problems.push(`seccompProfile is ${seccomp ?? 'unset'}`);
  }
  return problems;
}

function secretProblems(container: Container): string[] {
  return (container.env ?? [])
    .filter((env) => SECRET_ENV.test(env.name) && !env.valueFrom?.secretKeyRef)
    .map((env) => `${env.name} does not come from a Secret`);
}

/**
 * Bodies written to a directory only this pod mounts cannot be read by the agent that
 * consumes the event (each pod has its own disk): the store must be inline or shared.
 */
export function blobStoreProblems(pod: PodSpec, container: Container): string[] {
  const env = finalEnv(container);
  const store = env.get('BLOB_STORE')?.value;
  if (store !== 'none' && store !== 's3' && store !== 'file') {
    return [`BLOB_STORE is ${store ?? 'unset'}, not none, s3 or file`];
  }
  if (store === 's3')
    return env.get('BLOB_S3_BUCKET')?.value ? [] : ['BLOB_STORE=s3 without BLOB_S3_BUCKET'];
  if (store === 'none') return [];
  const dir = env.get('BLOB_DIR')?.value ?? '';
  const mount = (container.volumeMounts ?? [])
    .filter((m) => dir === m.mountPath || dir.startsWith(`${m.mountPath.replace(/\/$/, '')}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  const volume = mount && pod.volumes?.find((v) => v.name === mount.name);
  if (volume?.persistentVolumeClaim) return [];
  const kind = volume
    ? Object.keys(volume).find((key) => key !== 'name')
    : 'the container filesystem';
  return [
    `BLOB_STORE=file keeps bodies in ${dir || '(no BLOB_DIR)'} on ${kind}, a pod-local directory other agents cannot read`,
  ];
}

/**
 * What one agent container must keep: port 8080 named http; liveness GET /healthz and
 * readiness GET /readyz on it; CPU and memory requests and limits; non-root, read-only
 * root filesystem, no privilege escalation, ALL capabilities dropped, a seccomp profile;
 * credentials only from Secrets; and blobs where other agents can read them.
 */
export function containerProblems(pod: PodSpec, container: Container): string[] {
  return [
    ...(portNumber(container, 'http') === 8080 ? [] : ['no container port 8080 named http']),
    ...probeProblems(container, 'livenessProbe', '/healthz'),
    ...probeProblems(container, 'readinessProbe', '/readyz'),
    ...resourceProblems(container),
    ...securityProblems(pod, container),
    ...secretProblems(container),
    ...blobStoreProblems(pod, container),
  ];
}
