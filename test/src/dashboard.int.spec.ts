// The dashboard in a real browser (Debian's Chromium driven by playwright-core, no browser
// download) during a run of a small fleet on the real broker: coordinator, research, two
// writers, seo and the dashboard, on ports and in a Kafka namespace of their own
// (BROWSER_TEST_BASE_PORT). It
// checks what a person would see, saves a screenshot of each page in .run/dashboard-test/,
// and prints one line with the page load time and the update latency, measured, never
// asserted against a bound.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startFleet, stopFleet, type AgentName, type FleetProcess } from '@paxfleet/cli';
import { createKafka, kafkaConnectionFromEnv } from '@paxfleet/kafka';
import { testKafka } from '@paxfleet/kafka/testing';
import { deleteNamespace, eventRegistry } from '@paxfleet/events';
import { researchTopics } from './research-topics.ts';
import { readTopic } from './topic-log.ts';

const AGENTS: readonly AgentName[] = [
  'coordinator',
  'research',
  'marketing',
  'sales',
  'seo',
  'dashboard',
];
/**
 * Not the fleet test's 17070 (nor its shadow's 27070), and below 32768, where Linux takes
 * ephemeral ports for outgoing connections.
 */
const BASE_PORT = Number(process.env.BROWSER_TEST_BASE_PORT ?? 25070);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const repository = new URL('../../', import.meta.url).pathname;
const artifacts =
  process.env.BROWSER_TEST_ARTIFACTS ??
  join(repository, '.run', 'dashboard-test', new Date().toISOString().replace(/[:.]/g, '-'));
const run = randomBytes(3).toString('hex');
const topicOf = researchTopics(run);
const workDir = join(tmpdir(), `paxfleet-dashboard-${run}`);
/** Its own Kafka namespace: its records (a garbage one among them) never reach the fleet test's topics. */
const namespace = `dashboard-test-${run}`;
const registry = eventRegistry({ namespace });
/** Update latencies measured (record produced and acknowledged, to shown on the page). */
const LATENCY_SAMPLES = 5;

const throwaway =
  process.env.PAXFLEET_THROWAWAY_BROKER === process.env.KAFKA_BROKERS ||
  process.env.PAXFLEET_E2E_ON_CLUSTER === '1';
const skip = throwaway
  ? false
  : 'KAFKA_BROKERS is not the throw-away broker of scripts/with-kafka.sh: set PAXFLEET_E2E_ON_CLUSTER=1 to run the fleet on a cluster no real fleet uses';

let fleet: Map<AgentName, FleetProcess>;
let browser: Browser;
let dashboard: string;
const timings: { load?: number; updates: number[] } = { updates: [] };

async function submit(topic: string, brief = `dashboard test ${run}`): Promise<string> {
  const response = await fetch(`${fleet.get('coordinator')?.url}/research`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ topic, brief }),
  });
  assert.equal(response.status, 202, await response.clone().text());
  return ((await response.json()) as { workflow_id: string }).workflow_id;
}

/**
 * A page of the dashboard, once its event stream is open. The dashboard's Content Security
 * Policy allows no script but its own; the browser is told to bypass it, so the tests can
 * evaluate their probes and the <script> test proves the escaping alone (the policy itself
 * is checked on its own).
 */
async function open(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  page.on('pageerror', (error) => console.log(`page error on ${path}: ${error.message}`));
  await page.goto(`${dashboard}${path}`, { waitUntil: 'load' });
  // The page's script says "Live" once its EventSource is open.
  await page.locator('#live-status[data-state="live"]').waitFor();
  return page;
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

describe('the dashboard in a real browser, during a fleet run', { timeout: 300_000, skip }, () => {
  before(async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `no Chromium at ${CHROMIUM}: run scripts/chromium.sh (make test-int does), or set CHROMIUM`,
    );
    mkdirSync(artifacts, { recursive: true });
    [fleet, browser] = await Promise.all([
      startFleet({
        agents: AGENTS,
        namespace,
        basePort: BASE_PORT,
        logDir: join(workDir, 'logs'),
        podsDir: join(workDir, 'pods'),
        env: {
          KAFKA_BROKERS: process.env.KAFKA_BROKERS as string,
          HEARTBEAT_INTERVAL_MS: '1000',
          // Steps long enough to be seen changing, claims held long enough to be seen.
          MODEL_OFFLINE_LATENCY_MS: '300',
          DASHBOARD_LAG_INTERVAL_MS: '1000',
          DASHBOARD_JAEGER_URL: 'http://127.0.0.1:16686',
        },
      }),
      chromium.launch({ executablePath: CHROMIUM }),
    ]);
    dashboard = (fleet.get('dashboard') as FleetProcess).url;
  });

  after(async () => {
    await browser?.close();
    if (fleet) await stopFleet(fleet);
    const admin = createKafka(kafkaConnectionFromEnv(process.env, 'dashboard-test')).admin();
    await admin.connect();
    await deleteNamespace(admin, namespace).finally(() => admin.disconnect());
    if (timings.load !== undefined && timings.updates.length > 0)
      console.log(
        `dashboard: fleet page loaded in ${Math.round(timings.load)} ms; update shown ${Math.round(median(timings.updates))} ms after the record was produced (median of ${timings.updates.length}: ${timings.updates.map((ms) => Math.round(ms)).join(', ')} ms); screenshots in ${artifacts}`,
      );
  });

  it("the Fleet page shows an agent's steps change without a reload", async () => {
    const page = await open('/fleet');
    timings.load = await page.evaluate(
      "(() => { const nav = performance.getEntriesByType('navigation')[0]; return nav.loadEventEnd - nav.startTime; })()",
    );
    // A marker that a reload would lose, and every step text each agent row shows over time.
    await page.evaluate(`(() => {
      window.__pxfSamePage = true;
      window.__pxfSteps = {};
      const note = () => document.querySelectorAll('tr[data-agent]').forEach((row) => {
        const agent = row.getAttribute('data-agent');
        row.querySelectorAll('.step').forEach((step) => {
          const seen = (window.__pxfSteps[agent] ??= []);
          const text = step.textContent.trim();
          if (!seen.includes(text)) seen.push(text);
        });
      });
      new MutationObserver(note).observe(document.getElementById('fleet'), { childList: true, subtree: true, characterData: true });
    })()`);
    const workflow = await submit(topicOf('steps'));
    const steps = await page.waitForFunction(
      `(() => { const steps = Object.entries(window.__pxfSteps).find(([, seen]) => seen.filter((text) => /\\(step \\d+\\/\\d+\\)/.test(text)).length >= 2); return steps && JSON.stringify(steps); })()`,
      undefined,
      { timeout: 60_000, polling: 'raf' },
    );
    const [agent, seen] = JSON.parse((await steps.jsonValue()) as string) as [string, string[]];
    console.log(`fleet page: ${agent} went through ${seen.join(' -> ')} (${workflow})`);
    assert.equal(await page.evaluate('window.__pxfSamePage === true'), true, 'no reload');
    const row = page.locator(`tr[data-agent="${agent}"]`).first();
    assert.match(
      (await row.textContent()) ?? '',
      /ago/,
      'the row says when the agent last reported',
    );
    await screenshot(page, 'fleet');

    // Update latency: a task produced (the coordinator's 202 means the broker has it) until
    // its workflow's row is on the Workflows page, pushed over the page's event stream.
    const list = await open('/workflows');
    for (let sample = 0; sample < LATENCY_SAMPLES; sample += 1) {
      const response = fetch(`${fleet.get('coordinator')?.url}/research`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ topic: topicOf(`latency-${sample}`) }),
      });
      const { workflow_id: id } = (await (await response).json()) as { workflow_id: string };
      const produced = Date.now();
      const shown = await list.waitForFunction(
        `document.querySelector('tr[data-workflow="${id}"]') && Date.now()`,
        undefined,
        { timeout: 30_000, polling: 'raf' },
      );
      timings.updates.push(((await shown.jsonValue()) as number) - produced);
    }
    assert.equal(timings.updates.length, LATENCY_SAMPLES);
    await list.close();
    await page.close();
  });

  it('a claim appears with its holder, and its countdown moves', async () => {
    const page = await open('/claims');
    const topic = topicOf('claim');
    await submit(topic);
    const row = page.locator(`#claims-held tr[data-key="content:${topic}"]`).first();
    await row.waitFor({ timeout: 60_000 });
    const holder = ((await row.locator('.holder').textContent()) ?? '').trim();
    assert.match(holder, /^(marketing|sales)$/, `the holder is a writer: ${holder}`);
    const first = await row.locator('.countdown').textContent();
    // The page's own timer counts the lease (or the completion window) down each second.
    const moved = await page.waitForFunction(
      `(() => { const row = document.querySelector('#claims-held tr[data-key="content:${topic}"] .countdown'); return row && row.textContent !== ${JSON.stringify(first)} && row.textContent; })()`,
      undefined,
      { timeout: 10_000 },
    );
    console.log(
      `claims page: content:${topic} held by ${holder}, ${first} then ${String(await moved.jsonValue())}`,
    );
    await screenshot(page, 'claims');
    await page.close();
  });

  it('a workflow is found by search, and its page lists its events in order', async () => {
    const topic = topicOf('search');
    const workflow = await submit(topic);
    const page = await open('/workflows');
    await page.getByRole('searchbox', { name: 'Search' }).fill(topic);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/workflows\?q=/);
    const link = page.getByRole('link', { name: workflow });
    await link.waitFor({ timeout: 30_000 });
    await screenshot(page, 'workflows');
    // Its page once the piece has an SEO report (the end of the workflow).
    await page
      .locator(`tr[data-workflow="${workflow}"] .badge-reviewed`)
      .waitFor({ timeout: 60_000 });
    await link.click();
    await page.waitForURL(new RegExp(`/workflows/${workflow}$`));
    await page.locator('#live-status[data-state="live"]').waitFor();
    const topics = await page
      .locator('#timeline tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => (row as unknown as { dataset: { topic: string } }).dataset.topic),
      );
    const order = [
      'research-tasks',
      'research-events',
      'claim-requests',
      'content-claims',
      'content-results',
      'seo-reports',
    ];
    const firsts = order.map((name) => topics.indexOf(name));
    assert.ok(
      firsts.every((index) => index >= 0),
      `every step is listed: ${topics.join(', ')}`,
    );
    assert.deepEqual(
      [...firsts].sort((a, b) => a - b),
      firsts,
      `in order: ${order.join(' < ')}`,
    );
    const facts = (await page.locator('#workflow-summary').textContent()) ?? '';
    assert.match(facts, /cost: \d+ model calls?/, 'the cost from the model-calls ledger');
    assert.ok(
      await page.getByRole('link', { name: 'open in Jaeger' }).getAttribute('href'),
      'a Jaeger link (DASHBOARD_JAEGER_URL is set)',
    );
    assert.ok((await page.locator('#workflow-outputs pre.body').count()) >= 1, 'the body');
    await screenshot(page, 'workflow');
    await page.close();
  });

  it('a garbage record produced to research-tasks appears on the Dead letters page', async () => {
    const page = await open('/dead-letters?topic=research-tasks');
    const raw = testKafka('dashboard-test').producer({ 'enable.idempotence': true });
    await raw.connect();
    const key = `dash-${run}-garbage`;
    try {
      await raw.send({
        topic: registry.physicalTopic('research-tasks'),
        messages: [{ key, value: Buffer.from(`not avro ${run}`) }],
      });
    } finally {
      await raw.disconnect();
    }
    // research cannot decode it and dead-letters it; the page shows the letter live.
    const letters = await readTopicUntil(key);
    const source = `research-tasks[${letters.partition}]@${letters.offset}`;
    const row = page.locator(`tr[data-source="${source}"]`);
    await row.waitFor({ timeout: 30_000 });
    assert.match((await row.textContent()) ?? '', /research/);
    await screenshot(page, 'dead-letters');
    await page.close();
  });

  it('the Fleet page after the run: what each agent handled, and its lag', async () => {
    const page = await open('/fleet');
    // Once every group has committed and a refresh measured it (every second here).
    await page.locator('tr[data-agent="seo"] td.lag', { hasText: 'msgs' }).first().waitFor({
      timeout: 30_000,
    });
    const research = (await page.locator('tr[data-agent="research"]').first().textContent()) ?? '';
    assert.match(research, /research-local/);
    await screenshot(page, 'fleet-after');
    await page.close();
  });

  it('a record containing <script> is shown as text, and does not run', async () => {
    const script = `<script>window.__pxfXss = 1</script><img src='x' onerror='window.__pxfXss = 2'>`;
    const workflow = await submit(topicOf('xss'), `brief ${script}`);
    const page = await open(`/topics/research-tasks?workflow=${workflow}`);
    const message = page.locator('#messages .message').first();
    await message.waitFor({ timeout: 30_000 });
    const text = (await message.textContent()) ?? '';
    assert.ok(text.includes(script), 'the brief is shown as text');
    assert.match(text, /·\s+[1-9]\d* bytes/, "the record's size");
    assert.equal(await page.evaluate('window.__pxfXss'), undefined, 'nothing of it ran');
    assert.equal(await page.locator('#messages script, #messages img').count(), 0);
    const policy = (await fetch(`${dashboard}/topics/research-tasks`)).headers.get(
      'content-security-policy',
    );
    assert.match(policy ?? '', /script-src 'self'/, 'and no inline script would run anyway');
    await screenshot(page, 'topics');
    await page.close();
  });
});

/** The research agent's dead letter for the record with this key, once it is written. */
async function readTopicUntil(key: string): Promise<{ partition: number; offset: number }> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const letter = (await readTopic('dead-letters', registry)).find(
      (event) => event.value.key?.toString('utf8') === key,
    );
    if (letter)
      return { partition: letter.value.source_partition, offset: letter.value.source_offset };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no dead letter for the record with key ${key} within 60 s`);
}
