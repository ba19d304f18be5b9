import { formatCost, summarize, workflowCost, type TimelineEntry } from '@paxfleet/timeline';
import type { TopicValues } from '@paxfleet/events';
import type { FleetState, SeenRecord } from './fleet-state.ts';
import { age, dateTime, plural, prettyValue, timeOfDay } from './format.ts';
import { html, type Html } from './html.ts';
import { badge, type View } from './views.ts';

/** What the workflow page read when it was opened: the timeline's history and the bodies it references. */
export interface WorkflowRead {
  readonly entries: readonly TimelineEntry[];
  /** What the cold archive held, when one was read. */
  readonly archive?: { readonly records: number; readonly objectsRead: number };
  /** Bodies stored by reference, by result id: the text, or why it could not be read. */
  readonly bodies: ReadonlyMap<string, { readonly text: string } | { readonly error: string }>;
}

export interface WorkflowViewOptions {
  /** The Jaeger UI's base URL, for the trace link. */
  readonly jaegerUrl?: string;
  /** Show agent-progress records too. */
  readonly progress: boolean;
}

/** A record the dashboard read live, as a timeline entry. */
function liveEntry(record: SeenRecord): TimelineEntry {
  return {
    timestamp: record.timestamp,
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key,
    eventType: record.headers['event-type'] ?? '',
    producer: record.headers.producer ?? '',
    value: record.value ?? { undecodable: record.undecodable?.reason ?? 'not decodable' },
    source: 'broker',
  };
}

const byTime = (a: TimelineEntry, b: TimelineEntry) =>
  a.timestamp - b.timestamp || a.topic.localeCompare(b.topic) || a.offset - b.offset;

/** The history read when the page opened, with every record of the workflow read live since. */
export function mergedTimeline(
  read: readonly TimelineEntry[],
  live: readonly SeenRecord[],
): TimelineEntry[] {
  const seen = new Set(read.map((entry) => `${entry.topic}/${entry.partition}/${entry.offset}`));
  const added = live
    .filter((record) => !seen.has(`${record.topic}/${record.partition}/${record.offset}`))
    .map(liveEntry);
  return [...read, ...added].sort(byTime);
}

export function jaegerLink(base: string, workflowId: string, traceId: string | undefined): string {
  const root = base.replace(/\/+$/, '');
  return traceId
    ? `${root}/trace/${traceId}`
    : `${root}/search?service=coordinator&tags=${encodeURIComponent(JSON.stringify({ 'workflow.id': workflowId }))}`;
}

export function workflowView(
  state: FleetState,
  id: string,
  read: WorkflowRead,
  options: WorkflowViewOptions,
): View {
  const entries = () => mergedTimeline(read.entries, state.workflows.get(id)?.live ?? []);
  return {
    title: `Workflow ${id}`,
    section: '/workflows',
    intro: html`<p class="intro">
      <a href="/workflows">All workflows</a> ·
      <a href="/topics/research-tasks?workflow=${encodeURIComponent(id)}"
        >its records in the topic browser</a
      >
      ·
      ${options.progress ? html`<a href="?">hide progress steps</a>` : html`<a href="?progress=1">show progress steps</a>`}
    </p>`,
    regions: () => {
      const all = entries();
      return new Map([
        ['workflow-summary', summary(state, id, all, read, options)],
        ['workflow-outputs', outputs(all, read)],
        [
          'timeline',
          timeline(
            options.progress ? all : all.filter((entry) => entry.topic !== 'agent-progress'),
          ),
        ],
      ]);
    },
  };
}

function summary(
  state: FleetState,
  id: string,
  entries: readonly TimelineEntry[],
  read: WorkflowRead,
  options: WorkflowViewOptions,
): Html {
  const known = state.workflows.get(id);
  const cost = workflowCost(entries);
  const first = entries[0];
  const last = entries.at(-1);
  const topic =
    known?.topic ||
    ((entries.find((entry) => entry.topic === 'research-tasks')?.value as { topic?: string })
      ?.topic ??
      '—');
  const sources = new Map<string, number>();
  for (const entry of entries) sources.set(entry.source, (sources.get(entry.source) ?? 0) + 1);
  return html`<dl class="facts">
    <dt>Workflow</dt>
    <dd><code>${id}</code></dd>
    <dt>Topic</dt>
    <dd>${topic}</dd>
    <dt>Status</dt>
    <dd>
      ${known ? html`${badge(known.status, known.status)}${known.failures > 0 ? html` ${badge('failed', `${known.failures} failed`)}` : ''}` : 'not in the dashboard’s history (read from the broker and archive)'}
    </dd>
    <dt>Records</dt>
    <dd>
      ${plural(entries.length, 'record')}
      (${[...sources].map(([source, count]) => `${count} from ${source}`).join(', ') || 'none'})${read.archive ? `; the archive held ${read.archive.records} in ${plural(read.archive.objectsRead, 'object')}` : ''}
    </dd>
    <dt>Time</dt>
    <dd>
      ${first && last ? html`${dateTime(first.timestamp)} to ${timeOfDay(last.timestamp)} (${age(last.timestamp, state.now())} last)` : '—'}
    </dd>
    <dt>Cost</dt>
    <dd>${cost.calls === 0 ? 'no model calls in the model-calls ledger' : formatCost(cost)}</dd>
    ${
      options.jaegerUrl
        ? html`<dt>Trace</dt>
            <dd>
              <a href="${jaegerLink(options.jaegerUrl, id, known?.traceId)}" rel="noreferrer"
                >open in Jaeger</a
              >
            </dd>`
        : ''
    }
  </dl>`;
}

function outputs(entries: readonly TimelineEntry[], read: WorkflowRead): Html {
  const values = <K extends keyof TopicValues>(topic: K) =>
    entries.filter((entry) => entry.topic === topic).map((entry) => entry.value as TopicValues[K]);
  const results = values('content-results').filter((result) => result.result_id);
  const seo = values('seo-reports').filter((report) => report.report_id);
  const audits = values('audit-findings').filter((finding) => finding.finding_id);
  const body = (result: TopicValues['content-results']) => {
    if (result.body !== null && result.body !== undefined)
      return html`<pre class="body">${result.body}</pre>`;
    const stored = read.bodies.get(result.result_id);
    if (stored && 'text' in stored) return html`<pre class="body">${stored.text}</pre>`;
    return html`<p class="muted">
      Stored at
      <code>${result.body_ref}</code
      >${stored && 'error' in stored ? `: ${stored.error}` : ' (reload to read it)'}.
    </p>`;
  };
  return html`<h2>Result</h2>
    ${
      results.length === 0
        ? html`<p class="muted">No piece written yet.</p>`
        : results.map(
            (result) =>
              html`<article class="result">
                <h3>${result.title}</h3>
                <p>
                  ${result.agent} · ${result.format} · epoch ${result.epoch} · ${result.body_bytes}
                  bytes
                </p>
                <details open>
                  <summary>Body</summary>
                  ${body(result)}
                </details>
              </article>`,
          )
    }
    <h2>SEO</h2>
    ${
      seo.length === 0
        ? html`<p class="muted">No SEO report.</p>`
        : html`<ul>
            ${seo.map(
              (report) =>
                html`<li>
                  score ${report.score}; keywords
                  ${report.keywords.join(', ')}${
                    report.recommendations.length > 0
                      ? html`<ul>
                          ${report.recommendations.map((text) => html`<li>${text}</li>`)}
                        </ul>`
                      : ''
                  }
                </li>`,
            )}
          </ul>`
    }
    <h2>Audit</h2>
    ${
      audits.length === 0
        ? html`<p class="muted">No audit finding.</p>`
        : html`<ul>
            ${audits.map((finding) => html`<li>${badge(finding.severity, finding.severity)} ${finding.subject}: ${finding.findings.join('; ') || 'no findings'}${finding.keywords.length > 0 ? ` (keywords ${finding.keywords.join(', ')})` : ''}</li>`)}
          </ul>`
    }`;
}

function timeline(entries: readonly TimelineEntry[]): Html {
  if (entries.length === 0)
    return html`<h2>Timeline</h2>
      <p class="muted">No records carry this workflow id.</p>`;
  return html`<h2>Timeline</h2>
    <p class="muted">
      Every record of the workflow in causal (time) order, with the delay since the record before it
      and where it was read.
    </p>
    <div class="scroll">
      <table class="timeline">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Time</th>
            <th scope="col">Hop</th>
            <th scope="col">Source</th>
            <th scope="col">Record</th>
            <th scope="col">Event type</th>
            <th scope="col">Producer</th>
            <th scope="col">What</th>
          </tr>
        </thead>
        <tbody>
          ${entries.map((entry, index) => {
            const previous = entries[index - 1];
            return html`<tr data-topic="${entry.topic}">
              <td class="num">${index + 1}</td>
              <td>${timeOfDay(entry.timestamp)}</td>
              <td class="num">${previous ? `+${entry.timestamp - previous.timestamp} ms` : ''}</td>
              <td>${entry.source}</td>
              <th scope="row">${entry.topic}[${entry.partition}]@${entry.offset}</th>
              <td>${entry.eventType}</td>
              <td>${entry.producer}</td>
              <td>
                <details>
                  <summary>${summarize(entry.value) || entry.topic}</summary>
                  <pre class="value">${prettyValue(entry.value)}</pre>
                </details>
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
}
