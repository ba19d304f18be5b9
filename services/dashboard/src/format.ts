import { html, type Html } from './html.ts';

/** 14:03:07.120Z: the time of day in UTC, to the millisecond. */
export function timeOfDay(ms: number): string {
  return ms < 0 ? '—' : `${new Date(ms).toISOString().slice(11, 23)}Z`;
}

/** 2026-12-01 14:03:07Z */
export function dateTime(ms: number): string {
  return ms < 0 ? '—' : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** 850 ms, 12 s, 4 min 3 s, 2 h 5 min, 3 d 4 h */
export function duration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(abs)} ms`;
  const s = Math.floor(abs / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** "4 s ago", as the page's script keeps it current (data-age). */
export function age(at: number, now: number): Html {
  return html`<time class="age" datetime="${new Date(at).toISOString()}" data-age="${at}"
    >${duration(now - at)} ago</time
  >`;
}

/** "27 s left" or "expired 3 s ago", as the page's script counts it down (data-countdown). */
export function countdown(until: number, now: number): Html {
  const left = until - now;
  return html`<time
    class="countdown"
    datetime="${new Date(until).toISOString()}"
    data-countdown="${until}"
    >${left >= 0 ? `${duration(left)} left` : `expired ${duration(-left)} ago`}</time
  >`;
}

const MAX_STRING = 2000;
const MAX_JSON = 20_000;

/**
 * A decoded value as indented JSON for people: bytes as their size and first bytes in hex,
 * long strings cut (saying how much is left out), the whole cut at 20,000 characters.
 */
export function prettyValue(value: unknown): string {
  const text = JSON.stringify(
    value,
    (_key, item: unknown) => {
      if (typeof item === 'bigint') return item.toString();
      const buffer = item as { type?: unknown; data?: unknown };
      if (buffer && buffer.type === 'Buffer' && Array.isArray(buffer.data)) {
        const bytes = Buffer.from(buffer.data as number[]);
        const hex = bytes.subarray(0, 32).toString('hex');
        return `<${bytes.length} bytes: ${hex}${bytes.length > 32 ? '…' : ''}>`;
      }
      if (typeof item === 'string' && item.length > MAX_STRING)
        return `${item.slice(0, MAX_STRING)}… (${item.length - MAX_STRING} more characters)`;
      return item;
    },
    2,
  );
  if (text === undefined) return String(value);
  return text.length > MAX_JSON
    ? `${text.slice(0, MAX_JSON)}\n… (${text.length - MAX_JSON} more characters)`
    : text;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
