#!/usr/bin/env node
// The rules every rendered paxfleet Deployment must keep, checked on `helm template`
// output (as JSON, one object per line, on stdin):
//
//   node scripts/k8s/policy-check.mjs <label> [--one-deployment-per-agent] < objects.jsonl
//
// Per agent container: liveness GET /healthz and readiness GET /readyz on port
// 8080, CPU and memory requests and limits, runAsNonRoot, readOnlyRootFilesystem,
// no privilege escalation, all capabilities dropped, credentials only from
// Secrets, and no data another agent reads in a pod-local directory (BLOB_STORE is
// none or s3, or file on a shared PersistentVolumeClaim). Per render: every
// Deployment has its Service, every agent has the same BLOB_* settings, and every KEDA trigger
// names the agent's consumer group and a topic it consumes in schemas/topics.json.
// With --one-deployment-per-agent: exactly one Deployment for each agent of the
// catalog. Prints one line per problem; exits 1 if there is any.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const catalog = JSON.parse(readFileSync(join(ROOT, 'schemas', 'topics.json'), 'utf8'));
const agents = catalog.agents ?? {};

const [label = 'render', ...flags] = process.argv.slice(2);
const objects = readFileSync(0, 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line))
  .filter((object) => object && object.kind);

const problems = [];
const problem = (where, text) => problems.push(`${where}: ${text}`);
const SECRET_ENV = /(PASSWORD|API_KEY|USERNAME|TOKEN|SECRET|ACCESS_KEY|ACCESS_KEY_ID)$/;
const BLOB_ENV = /^(BLOB_|AWS_)/;

// The env a container ends up with: for a name given twice, the last one wins.
function finalEnv(container) {
  const env = new Map();
  for (const entry of container.env ?? []) env.set(entry.name, entry);
  return env;
}

// Bodies written to a directory only this pod mounts cannot be read by the agent that
// consumes the event (each pod has its own disk): the store must be inline or shared.
function checkBlobStore(where, pod, container) {
  const env = finalEnv(container);
  const store = env.get('BLOB_STORE')?.value;
  if (!['none', 's3', 'file'].includes(store)) {
    return problem(where, `BLOB_STORE is ${store ?? 'unset'}, not none, s3 or file`);
  }
  if (store === 's3' && !env.get('BLOB_S3_BUCKET')?.value) problem(where, 'BLOB_STORE=s3 without BLOB_S3_BUCKET');
  if (store !== 'file') return;
  const dir = env.get('BLOB_DIR')?.value ?? '';
  const mount = (container.volumeMounts ?? [])
    .filter((m) => dir === m.mountPath || dir.startsWith(`${m.mountPath.replace(/\/$/, '')}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  const volume = mount && (pod.volumes ?? []).find((v) => v.name === mount.name);
  if (!volume?.persistentVolumeClaim) {
    const kind = volume ? Object.keys(volume).find((key) => key !== 'name') : 'the container filesystem';
    problem(where, `BLOB_STORE=file keeps bodies in ${dir || '(no BLOB_DIR)'} on ${kind}, a pod-local directory other agents cannot read`);
  }
}

function portNumber(container, port) {
  if (typeof port === 'number') return port;
  return (container.ports ?? []).find((p) => p.name === port)?.containerPort;
}

function checkProbe(where, container, kind, path) {
  const probe = container[kind];
  if (!probe?.httpGet) return problem(where, `${kind} is not an HTTP GET`);
  if (probe.httpGet.path !== path) problem(where, `${kind} path is ${probe.httpGet.path}, not ${path}`);
  const port = portNumber(container, probe.httpGet.port);
  if (port !== 8080) problem(where, `${kind} port ${probe.httpGet.port} is not 8080`);
}

function checkDeployment(deployment) {
  const name = deployment.metadata?.name;
  const pod = deployment.spec?.template?.spec ?? {};
  const podSecurity = pod.securityContext ?? {};
  if (!pod.containers?.length) problem(`Deployment ${name}`, 'has no containers');
  if (!(pod.terminationGracePeriodSeconds >= 30)) {
    problem(`Deployment ${name}`, `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} leaves no time to finish a transaction`);
  }
  for (const container of pod.containers ?? []) {
    const where = `Deployment ${name} container ${container.name}`;
    const security = container.securityContext ?? {};
    if (portNumber(container, 'http') !== 8080) problem(where, 'no container port 8080 named http');
    checkProbe(where, container, 'livenessProbe', '/healthz');
    checkProbe(where, container, 'readinessProbe', '/readyz');
    for (const kind of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        if (container.resources?.[kind]?.[resource] === undefined) problem(where, `no ${resource} ${kind}`);
      }
    }
    if ((security.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true) problem(where, 'runAsNonRoot is not true');
    if ((security.runAsUser ?? podSecurity.runAsUser) === 0) problem(where, 'runs as uid 0');
    if (security.readOnlyRootFilesystem !== true) problem(where, 'readOnlyRootFilesystem is not true');
    if (security.allowPrivilegeEscalation !== false) problem(where, 'allowPrivilegeEscalation is not false');
    if (security.privileged === true) problem(where, 'is privileged');
    if (!(security.capabilities?.drop ?? []).includes('ALL')) problem(where, 'does not drop ALL capabilities');
    const seccomp = security.seccompProfile?.type ?? podSecurity.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problem(where, `seccompProfile is ${seccomp ?? 'unset'}`);
    for (const env of container.env ?? []) {
      if (SECRET_ENV.test(env.name) && !env.valueFrom?.secretKeyRef) problem(where, `${env.name} does not come from a Secret`);
    }
    checkBlobStore(where, pod, container);
  }
}

// Every agent reads bodies others wrote: they must all use the same store.
function checkSameBlobSettings(deployments) {
  const settings = deployments.flatMap((d) =>
    (d.spec?.template?.spec?.containers ?? []).map((c) => ({
      name: d.metadata?.name,
      blobs: JSON.stringify([...finalEnv(c)].filter(([name]) => BLOB_ENV.test(name)).sort()),
    })),
  );
  const [first] = settings;
  for (const other of settings.slice(1)) {
    if (other.blobs !== first.blobs) problem(`Deployment ${other.name}`, `BLOB_* settings differ from ${first.name}'s`);
  }
}

const byKind = (kind) => objects.filter((o) => o.kind === kind);
const component = (o) => o.metadata?.labels?.['app.kubernetes.io/component'];
const deployments = byKind('Deployment');
if (deployments.length === 0) problem(label, 'renders no Deployment');
deployments.forEach(checkDeployment);
if (deployments.length > 0) checkSameBlobSettings(deployments);

const services = new Set(byKind('Service').map((s) => s.metadata?.name));
for (const d of deployments) {
  if (!services.has(d.metadata?.name)) problem(`Deployment ${d.metadata?.name}`, 'has no Service of the same name');
}

for (const scaled of byKind('ScaledObject')) {
  const agentName = component(scaled);
  const agent = agents[agentName];
  const where = `ScaledObject ${scaled.metadata?.name}`;
  if (!agent) {
    problem(where, `component ${agentName} is not an agent of schemas/topics.json`);
    continue;
  }
  for (const trigger of scaled.spec?.triggers ?? []) {
    if (trigger.type !== 'kafka') continue;
    const { consumerGroup, topic } = trigger.metadata ?? {};
    if (consumerGroup !== agent.group) problem(where, `consumer group ${consumerGroup} is not ${agent.group}`);
    if (!(agent.consumes ?? []).includes(topic)) problem(where, `topic ${topic} is not one ${agentName} consumes`);
  }
}

if (flags.includes('--one-deployment-per-agent')) {
  const expected = Object.keys(agents).sort();
  const found = deployments.map(component).sort();
  for (const agentName of expected) {
    const count = found.filter((c) => c === agentName).length;
    if (count !== 1) problem(label, `${count} Deployments for agent ${agentName}, expected 1`);
  }
  for (const extra of found.filter((c) => !expected.includes(c))) problem(label, `Deployment for ${extra}, which is not an agent`);
}

for (const line of problems) process.stdout.write(`  ${line}\n`);
process.stdout.write(`  ${label}: ${deployments.length} Deployments, ${problems.length} policy problems\n`);
process.exit(problems.length ? 1 : 0);
