import type { AgentSpec, ClaimRecord } from '@paxfleet/events';
import { CONSUMER_LAGGING, PROGRESS_SILENT_AFTER_MS } from './lag-alerts.ts';
import {
  WORKFLOW_STATUSES,
  type FleetState,
  type SeenRecord,
  type WorkflowSummary,
} from './fleet-state.ts';
import { age, countdown, dateTime, plural, prettyValue, timeOfDay } from './format.ts';
import { html, trusted, type Html } from './html.ts';

/** The pages, by their stable paths. */
export const PAGES = [
  { path: '/fleet', title: 'Fleet' },
  { path: '/claims', title: 'Claims' },
  { path: '/workflows', title: 'Workflows' },
  { path: '/dead-letters', title: 'Dead letters' },
  { path: '/topics', title: 'Topics' },
] as const;

/** A page: its heading, what sits above the live part (filters), and the live regions by id. */
export interface View {
  readonly title: string;
  /** The nav entry it belongs to. */
  readonly section: (typeof PAGES)[number]['path'];
  readonly intro?: Html;
  /** Rendered again on every change and pushed to the page: each region's inner markup. */
  readonly regions: () => ReadonlyMap<string, Html>;
}

const LIVE_SCRIPT = '/static/dashboard.js';
const STYLESHEET = '/static/dashboard.css';

/** The whole page of a view: the same markup with or without JavaScript. */
export function renderPage(view: View, liveUrl: string): Html {
  const nav = PAGES.map(
    (page) =>
      html`<li>
        <a href="${page.path}" ${trusted(page.path === view.section ? ' aria-current="page"' : '')}
          >${page.title}</a
        >
      </li>`,
  );
  const regions = [...view.regions()].map(
    ([id, inner]) => html`<div class="region" id="${id}">${inner}</div>`,
  );
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${view.title} · paxfleet</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="${STYLESHEET}" />
        <script src="${LIVE_SCRIPT}" defer></script>
      </head>
      <body data-live="${liveUrl}">
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <p class="brand"><a href="/fleet">paxfleet</a></p>
          <nav aria-label="Pages">
            <ul>
              ${nav}
            </ul>
          </nav>
          <p class="live" id="live-status" role="status" aria-live="polite" data-state="static">
            Static page: reload to refresh
          </p>
        </header>
        <main id="main">
          <h1>${view.title}</h1>
          ${view.intro} ${regions}
        </main>
        <footer>
          <p>Read-only. The page updates itself over Server-Sent Events; times are UTC.</p>
        </footer>
      </body>
    </html> `;
}

/** A page for an error: what was wrong with the request, and where to go. */
export function renderError(status: number, title: string, message: string): Html {
  return renderPage(
    {
      title,
      section: '/fleet',
      regions: () =>
        new Map([['error', html`<p class="error" role="alert">${status}: ${message}</p>`]]),
    },
    '',
  );
}

export function badge(kind: string, text: string): Html {
  return html`<span class="badge badge-${kind}">${text}</span>`;
}

export function workflowLink(id: string): Html {
  return html`<a href="/workflows/${encodeURIComponent(id)}">${id}</a>`;
}

// ---------------------------------------------------------------- Fleet

export function fleetView(state: FleetState, group: (agent: AgentSpec) => string): View {
  return {
    title: 'Fleet',
    section: '/fleet',
    intro: html`<p class="intro">
      Every agent instance: what each piece of work in flight is doing, when it last reported, what
      it handled, and its consumer group's lag with the <code>ConsumerLagging</code> alert state
      (over ${CONSUMER_LAGGING.seconds} s for ${CONSUMER_LAGGING.forMs / 60_000} min fires, as in
      alerts.yml).
    </p>`,
    regions: () => new Map([['fleet', fleetTable(state, group)]]),
  };
}

function fleetTable(state: FleetState, group: (agent: AgentSpec) => string): Html {
  const now = state.now();
  const rows = state.catalog.agents.flatMap((agent) => {
    const instances = [...state.instances.values()]
      .filter((instance) => instance.agent === agent.name)
      .sort((a, b) => (a.instance < b.instance ? -1 : 1));
    const counts = state.activity.get(agent.name);
    const lag = agent.consumes.length > 0 ? state.lags.get(group(agent)) : undefined;
    const lagCells = html`<td class="num">${counts?.processed ?? 0}</td>
      <td class="num">${counts?.skipped ?? 0}</td>
      <td class="num">${counts?.stale ?? 0}</td>
      <td class="num">${counts?.failed ?? 0}</td>
      <td class="num lag">
        ${
          agent.consumes.length === 0
            ? '—'
            : lag
              ? html`${lag.messages} msgs<br />${lag.seconds === undefined ? '—' : `${lag.seconds.toFixed(1)} s`}`
              : 'nothing committed yet'
        }
      </td>
      <td>
        ${agent.consumes.length === 0 ? '—' : badge(lag?.alert ?? 'ok', lag?.alert === 'firing' ? 'ConsumerLagging firing' : lag?.alert === 'pending' ? 'over 300 s (pending)' : 'ok')}
      </td>`;
    if (instances.length === 0) {
      const reports = agent.produces.includes('agent-progress');
      return [
        html`<tr data-agent="${agent.name}">
          <th scope="row">${agent.name}</th>
          <td>—</td>
          <td>${reports ? 'no report yet' : 'reports no progress'}</td>
          <td class="doing">${agent.summary}</td>
          <td>—</td>
          ${lagCells}
        </tr>`,
      ];
    }
    return instances.map((instance) => {
      const silent = now - instance.at > PROGRESS_SILENT_AFTER_MS;
      const doing =
        instance.work.length === 0
          ? html`<span class="muted">${instance.status}</span>`
          : html`<ul class="work">
              ${instance.work.map(
                (piece) =>
                  html`<li>
                    <span class="step">${piece.status}</span>
                    <span class="muted">${piece.work_key ?? ''}</span>
                    ${workflowLink(piece.workflow_id)}
                  </li>`,
              )}
            </ul>`;
      return html`<tr data-agent="${agent.name}" data-instance="${instance.instance}">
        <th scope="row">${agent.name}</th>
        <td>${instance.instance}</td>
        <td>
          ${badge(instance.state === 'working' ? 'working' : 'idle', instance.state === 'working' ? `working (${instance.inFlight})` : 'idle')}
        </td>
        <td class="doing">${doing}</td>
        <td class="${silent ? 'silent' : ''}" data-silent-after="${PROGRESS_SILENT_AFTER_MS}">
          ${age(instance.at, now)}
        </td>
        ${lagCells}
      </tr>`;
    });
  });
  const working = [...state.instances.values()].filter((i) => i.state === 'working').length;
  return html`<p class="summary">
      ${plural(state.instances.size, 'instance')} reporting, ${working}
      working${state.lagAt === undefined ? '' : html`; lag measured ${age(state.lagAt, now)}`}.
    </p>
    <div class="scroll">
      <table>
        <caption class="visually-hidden">
          Agent instances
        </caption>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Instance</th>
            <th scope="col">State</th>
            <th scope="col">Doing</th>
            <th scope="col">Last report</th>
            <th scope="col">Processed</th>
            <th scope="col">Skipped</th>
            <th scope="col">Stale</th>
            <th scope="col">Failed</th>
            <th scope="col">Lag</th>
            <th scope="col">Alert</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>`;
}

// ---------------------------------------------------------------- Claims

export interface ClaimFilter {
  readonly agent?: string;
  readonly key?: string;
}

function claimMatches(claim: ClaimRecord, filter: ClaimFilter): boolean {
  if (filter.key && !claim.work_key.includes(filter.key)) return false;
  if (filter.agent && claim.holder !== filter.agent && claim.requester !== filter.agent)
    return false;
  return true;
}

function agentOptions(state: FleetState, selected: string | undefined, all: string): Html {
  return html`<option value="">${all}</option>
    ${state.catalog.agents.map(
      (agent) =>
        html`<option value="${agent.name}" ${trusted(agent.name === selected ? ' selected' : '')}>
          ${agent.name}
        </option>`,
    )}`;
}

export function claimsView(state: FleetState, filter: ClaimFilter): View {
  return {
    title: 'Claims',
    section: '/claims',
    intro: html`<form class="filters" method="get" action="/claims" role="search">
      <label
        >Agent
        <select name="agent">
          ${agentOptions(state, filter.agent, 'any')}
        </select></label
      >
      <label
        >Work key contains <input name="key" value="${filter.key ?? ''}" maxlength="200"
      /></label>
      <button type="submit">Filter</button>
    </form>`,
    regions: () =>
      new Map([
        ['claims-held', heldClaims(state, filter)],
        ['claims-recent', recentDecisions(state, filter)],
      ]),
  };
}

function heldClaims(state: FleetState, filter: ClaimFilter): Html {
  const now = state.now();
  const current = [...state.claims.values()]
    .map((entry) => entry.current)
    .filter((claim) => claimMatches(claim, filter))
    .sort((a, b) => b.decided_at - a.decided_at);
  const held = current.filter((claim) => claim.state === 'held');
  const completed = current.filter((claim) => claim.state === 'completed').slice(0, 100);
  const row = (claim: ClaimRecord, until: string) =>
    html`<tr data-key="${claim.work_key}" data-state="${claim.state}">
      <th scope="row">${claim.work_key}</th>
      <td class="holder">${claim.holder ?? '—'}</td>
      <td class="num">${claim.epoch}</td>
      <td>
        ${countdown(claim.lease_expires_at, now)}<span class="visually-hidden"> ${until}</span>
      </td>
      <td>${claim.format}</td>
      <td>${claim.workflow_id ? workflowLink(claim.workflow_id) : '—'}</td>
      <td>${age(claim.decided_at, now)}</td>
    </tr>`;
  const head = (what: string) =>
    html`<thead>
      <tr>
        <th scope="col">Work key</th>
        <th scope="col">Holder</th>
        <th scope="col">Epoch</th>
        <th scope="col">${what}</th>
        <th scope="col">Format</th>
        <th scope="col">Workflow</th>
        <th scope="col">Decided</th>
      </tr>
    </thead>`;
  return html`<h2>Held (${held.length})</h2>
    ${
      held.length === 0
        ? html`<p class="muted">No claim is held now.</p>`
        : html`<div class="scroll">
            <table>
              ${head('Lease')}
              <tbody>
                ${held.map((claim) => row(claim, 'of the lease'))}
              </tbody>
            </table>
          </div>`
    }
    <h2>Completed (${completed.length})</h2>
    ${
      completed.length === 0
        ? html`<p class="muted">No completed work in the claim log.</p>`
        : html`<div class="scroll">
            <table>
              ${head('Kept claimed')}
              <tbody>
                ${completed.map((claim) => row(claim, 'of the completion window'))}
              </tbody>
            </table>
          </div>`
    }`;
}

function recentDecisions(state: FleetState, filter: ClaimFilter): Html {
  const decisions = state.decisions
    .filter((claim) => claimMatches(claim, filter))
    .slice(-100)
    .reverse();
  return html`<h2>Recent decisions</h2>
    <p class="muted">
      Grants, denials (naming the holder), completions, expiries and stale-epoch rejections;
      renewals are left out.
    </p>
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Decision</th>
            <th scope="col">Work key</th>
            <th scope="col">Requester</th>
            <th scope="col">Holder</th>
            <th scope="col">Epoch</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          ${decisions.map(
            (claim) =>
              html`<tr data-key="${claim.work_key}" data-decision="${claim.decision}">
                <td>${timeOfDay(claim.decided_at)}</td>
                <td>${badge(claim.decision, claim.decision)}</td>
                <td>${claim.work_key}</td>
                <td>${claim.requester ?? '—'}</td>
                <td class="holder">${claim.holder ?? '—'}</td>
                <td class="num">${claim.epoch}</td>
                <td>${claim.reason}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

// ---------------------------------------------------------------- Workflows

export interface WorkflowFilter {
  readonly q?: string;
  readonly status?: string;
  readonly agent?: string;
}

export function workflowMatches(workflow: WorkflowSummary, filter: WorkflowFilter): boolean {
  if (
    filter.status === 'failed'
      ? workflow.failures === 0
      : filter.status && workflow.status !== filter.status
  )
    return false;
  if (filter.agent && !workflow.agents.has(filter.agent)) return false;
  if (filter.q) {
    const q = filter.q.toLowerCase();
    const haystack = [workflow.id, workflow.topic, workflow.result?.title ?? '', ...workflow.agents]
      .join(' ')
      .toLowerCase();
    if (!haystack.includes(q)) return false;
  }
  return true;
}

export function workflowsView(state: FleetState, filter: WorkflowFilter): View {
  const statuses = [...WORKFLOW_STATUSES, 'failed'];
  return {
    title: 'Workflows',
    section: '/workflows',
    intro: html`<form class="filters" method="get" action="/workflows" role="search">
      <label
        >Search
        <input
          type="search"
          name="q"
          value="${filter.q ?? ''}"
          placeholder="workflow id, topic, title or agent"
          maxlength="200"
      /></label>
      <label
        >Status
        <select name="status">
          <option value="">any</option>
          ${statuses.map((status) => html`<option value="${status}" ${trusted(status === filter.status ? ' selected' : '')}>${status}</option>`)}
        </select></label
      >
      <label
        >Agent
        <select name="agent">
          ${agentOptions(state, filter.agent, 'any')}
        </select></label
      >
      <button type="submit">Search</button>
    </form>`,
    regions: () => new Map([['workflows', workflowTable(state, filter)]]),
  };
}

function workflowTable(state: FleetState, filter: WorkflowFilter): Html {
  const now = state.now();
  const found = [...state.workflows.values()]
    .filter((workflow) => workflowMatches(workflow, filter))
    .sort((a, b) => b.lastAt - a.lastAt);
  const shown = found.slice(0, 200);
  return html`<p class="summary">
      ${plural(found.length, 'workflow')}${found.length > shown.length ? `, the newest ${shown.length} shown` : ''}
      (of ${state.workflows.size} seen).
    </p>
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Workflow</th>
            <th scope="col">Topic</th>
            <th scope="col">Status</th>
            <th scope="col">Agents</th>
            <th scope="col">Result</th>
            <th scope="col">Started</th>
            <th scope="col">Last record</th>
            <th scope="col">Records</th>
          </tr>
        </thead>
        <tbody>
          ${shown.map(
            (workflow) =>
              html`<tr data-workflow="${workflow.id}">
                <th scope="row">${workflowLink(workflow.id)}</th>
                <td>${workflow.topic}</td>
                <td>
                  ${badge(workflow.status, workflow.status)}${workflow.failures > 0 ? html` ${badge('failed', `${workflow.failures} failed`)}` : ''}
                </td>
                <td>${[...workflow.agents].sort().join(', ')}</td>
                <td>
                  ${workflow.result ? `${workflow.result.agent}: ${workflow.result.title}` : '—'}
                </td>
                <td>${dateTime(workflow.firstAt)}</td>
                <td>${age(workflow.lastAt, now)}</td>
                <td class="num">${workflow.records}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

// ---------------------------------------------------------------- Dead letters

export function deadLettersView(state: FleetState, filter: { readonly topic?: string }): View {
  return {
    title: 'Dead letters',
    section: '/dead-letters',
    intro: html`<form class="filters" method="get" action="/dead-letters" role="search">
      <label
        >Source topic
        <select name="topic">
          <option value="">any</option>
          ${state.catalog.topics.map((topic) => html`<option value="${topic.name}" ${trusted(topic.name === filter.topic ? ' selected' : '')}>${topic.name}</option>`)}
        </select></label
      >
      <button type="submit">Filter</button>
    </form>`,
    regions: () => new Map([['dead-letters', deadLetterTable(state, filter)]]),
  };
}

function deadLetterTable(state: FleetState, filter: { readonly topic?: string }): Html {
  const letters = state.deadLetters
    .filter((entry) => !filter.topic || entry.letter.source_topic === filter.topic)
    .slice(-200)
    .reverse();
  if (letters.length === 0)
    return html`<p class="muted">
      No dead letters${filter.topic ? ` from ${filter.topic}` : ''} in the history read.
    </p>`;
  return html`<p class="summary">${plural(letters.length, 'dead letter')}, newest first.</p>
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Failed at</th>
            <th scope="col">Source</th>
            <th scope="col">Failed by</th>
            <th scope="col">Code</th>
            <th scope="col">Reason</th>
            <th scope="col">Attempts</th>
            <th scope="col">Original bytes</th>
            <th scope="col">Workflow</th>
          </tr>
        </thead>
        <tbody>
          ${letters.map(({ letter, workflowId }) => {
            const source = `${letter.source_topic}[${letter.source_partition}]@${letter.source_offset}`;
            return html`<tr data-source="${source}">
              <td>${dateTime(letter.failed_at)}</td>
              <th scope="row">
                <a href="/topics/${encodeURIComponent(letter.source_topic)}">${source}</a>
              </th>
              <td>${letter.failed_by}</td>
              <td><code>${letter.error_code}</code></td>
              <td>${letter.error_message}</td>
              <td class="num">${letter.attempts}</td>
              <td class="num">${letter.value?.length ?? 0}</td>
              <td>${workflowId ? workflowLink(workflowId) : '—'}</td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
}

// ---------------------------------------------------------------- Topics

export function topicsView(state: FleetState, ends: ReadonlyMap<string, number>): View {
  return {
    title: 'Topics',
    section: '/topics',
    intro: html`<p class="intro">
      Every topic of the catalog, its records decoded with the catalog's Avro schemas (single-object
      encoding). Open one to browse and filter its newest records.
    </p>`,
    regions: () =>
      new Map([
        [
          'topics',
          html`<div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Topic</th>
                  <th scope="col">Holds</th>
                  <th scope="col">Key</th>
                  <th scope="col">Schema</th>
                  <th scope="col">Partitions</th>
                  <th scope="col">Records read</th>
                  <th scope="col">End offsets</th>
                </tr>
              </thead>
              <tbody>
                ${state.catalog.topics.map(
                  (topic) =>
                    html`<tr>
                      <th scope="row"><a href="/topics/${topic.name}">${topic.name}</a></th>
                      <td>${topic.description}</td>
                      <td>${topic.key}</td>
                      <td>${topic.valueSchema}</td>
                      <td class="num">${topic.partitions}</td>
                      <td class="num">${state.counts.get(topic.name) ?? 0}</td>
                      <td class="num">${ends.get(topic.name) ?? '—'}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`,
        ],
      ]),
  };
}

export interface MessageFilter {
  readonly key?: string;
  /** name, or name=value */
  readonly header?: string;
  readonly workflow?: string;
}

export function messageMatches(record: SeenRecord, filter: MessageFilter): boolean {
  if (filter.key && !(record.key ?? '').includes(filter.key)) return false;
  if (filter.workflow && record.headers['workflow-id'] !== filter.workflow) return false;
  if (filter.header) {
    const at = filter.header.indexOf('=');
    const name = (at < 0 ? filter.header : filter.header.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? undefined : filter.header.slice(at + 1);
    const found = record.headers[name];
    if (found === undefined || (value !== undefined && found !== value)) return false;
  }
  return true;
}

export function topicView(state: FleetState, topic: string, filter: MessageFilter): View {
  const spec = state.catalog.topic(topic);
  return {
    title: `Topic ${topic}`,
    section: '/topics',
    intro: html`<p class="intro">
        ${spec.description}. Key: ${spec.key}; schema <code>${spec.valueSchema}</code>; the newest
        records first.
      </p>
      <form class="filters" method="get" action="/topics/${topic}" role="search">
        <label>Key contains <input name="key" value="${filter.key ?? ''}" maxlength="200" /></label>
        <label
          >Header
          <input
            name="header"
            value="${filter.header ?? ''}"
            placeholder="name or name=value"
            maxlength="300"
        /></label>
        <label
          >Workflow id <input name="workflow" value="${filter.workflow ?? ''}" maxlength="100"
        /></label>
        <button type="submit">Filter</button>
      </form>`,
    regions: () => new Map([['messages', messageList(state, topic, filter)]]),
  };
}

function messageList(state: FleetState, topic: string, filter: MessageFilter): Html {
  const all = state.records.get(topic) ?? [];
  const found = all.filter((record) => messageMatches(record, filter));
  const shown = found.slice(-100).reverse();
  return html`<p class="summary">
      ${plural(found.length, 'record')} of the ${all.length} newest kept
      match${found.length > shown.length ? `; the newest ${shown.length} shown` : ''}.
    </p>
    <ol class="messages" reversed>
      ${shown.map((record) => {
        const headers = Object.entries(record.headers);
        return html`<li
          class="message${record.undecodable ? ' undecodable' : ''}"
          data-offset="${record.partition}@${record.offset}"
        >
          <p class="where">
            <strong>${topic}[${record.partition}]@${record.offset}</strong>
            ${dateTime(record.timestamp)} · key <code>${record.key ?? '(none)'}</code> ·
            ${record.bytes} bytes
          </p>
          ${
            headers.length > 0
              ? html`<dl class="headers">
                  ${headers.map(
                    ([name, value]) =>
                      html`<dt>${name}</dt>
                        <dd>${name === 'workflow-id' ? workflowLink(value) : value}</dd>`,
                  )}
                </dl>`
              : ''
          }
          ${
            record.undecodable
              ? html`<p class="error">Not decodable: ${record.undecodable.reason}</p>
                  <pre class="hex">${record.undecodable.hex}</pre>`
              : html`<pre class="value">${prettyValue(record.value)}</pre>`
          }
        </li>`;
      })}
    </ol>`;
}
