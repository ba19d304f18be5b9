// make test-fuzz: Schemathesis against a real coordinator on the real broker, from the
// coordinator's own /openapi.json, failing on any 5xx or answer the document does not promise. The coordinator runs in a Kafka
// namespace of its own on loopback, asking for a bearer token as beyond loopback (Schemathesis
// sends it, and checks that a request without it is refused), and is stopped and its namespace deleted however the
// run ends. The broker comes from scripts/with-kafka.sh, Schemathesis from
// scripts/schemathesis.sh (SCHEMATHESIS names its command).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFleet, stopFleet, type FleetProcess } from '@paxfleet/cli';
import { deleteNamespace } from '@paxfleet/events';
import { createKafka, kafkaConnectionFromEnv } from '@paxfleet/kafka';

const schemathesis = process.env.SCHEMATHESIS;
const brokers = process.env.KAFKA_BROKERS;
if (!schemathesis || !brokers) {
  console.error('api-fuzz: run it with make test-fuzz (SCHEMATHESIS and KAFKA_BROKERS unset)');
  process.exit(2);
}
/** Test cases per operation and phase: the run stays well under 90 s on two busy cores. */
const examples = process.env.FUZZ_EXAMPLES ?? '150';
/** Apart from the other fleet tests' ports (17070, 18070, 23070, 25070, 27070). */
const basePort = Number(process.env.FUZZ_BASE_PORT ?? 24070);
const namespace = `fuzz-${randomBytes(3).toString('hex')}`;
const workDir = mkdtempSync(join(tmpdir(), 'paxfleet-fuzz-'));
const token = randomBytes(24).toString('base64url');

const admin = createKafka(kafkaConnectionFromEnv(process.env, 'api-fuzz')).admin();
await admin.connect();
let code: number;
let fleet: Map<string, FleetProcess> | undefined;
try {
  fleet = await startFleet({
    agents: ['coordinator'],
    namespace,
    basePort,
    logDir: join(workDir, 'logs'),
    podsDir: join(workDir, 'pods'),
    env: { KAFKA_BROKERS: brokers, API_AUTH: 'token', API_TOKENS: token },
  });
  const coordinator = fleet.get('coordinator') as FleetProcess;
  const started = Date.now();
  const child = spawn(
    schemathesis,
    [
      'run',
      `${coordinator.url}/openapi.json`,
      '--checks',
      // Every check of what the document promises; the undeclared-method one asks 405 of
      // QUERY, which Fastify refuses earlier with a 400 (a body method with no content type).
      process.env.FUZZ_CHECKS ?? 'all',
      '--exclude-checks',
      'unsupported_method',
      '--header',
      `Authorization: Bearer ${token}`,
      '--max-examples',
      examples,
      '--seed',
      process.env.FUZZ_SEED ?? '1',
      '--workers',
      '2',
      '--request-timeout',
      '10',
      '--generation-database',
      'none',
      '--report',
      'junit',
      '--report-dir',
      join(workDir, 'report'),
      '--no-color',
    ],
    // Its own directory: Schemathesis leaves a .schemathesis/ cache where it runs.
    { cwd: workDir, stdio: 'inherit', env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' } },
  );
  const [exit] = (await once(child, 'exit')) as [number | null];
  code = exit ?? 1;
  console.log(
    `api-fuzz: schemathesis exited ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s (report and coordinator log in ${workDir})`,
  );
} finally {
  if (fleet) await stopFleet(fleet);
  await deleteNamespace(admin, namespace).catch(() => undefined);
  await admin.disconnect();
}
process.exit(code);
