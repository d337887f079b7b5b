/**
 * The fakes' combined inbox: one small page (http://127.0.0.1:4000/ under `npm start`) with the latest
 * records of every fake, newest first — SMS codes, charges (keyed `order-<id>`), OAuth logins — read from
 * each fake's own `GET /__inbox` when the page is asked for. `GET /inbox.json` (or `/` with
 * `Accept: application/json`) is the same as JSON. The page is self-contained (no scripts, styles inline,
 * nothing fetched from elsewhere) and refreshes itself every 5 seconds.
 *
 * Each fake registers itself with one `FakeInbox` entry in fakes/main.ts; a fake added later appears here
 * with no change to this file. Any `/__inbox` answer that is an object of arrays of records is shown.
 */
import express from 'express';
import { endJsonWithNewline } from '../shared/json-newline';
import { listenFake, type ListenOptions, type StartedFake } from './fake-server';

export interface FakeInbox {
  /** e.g. 'payment-gateway'. */
  name: string;
  /** The fake's base URL; its records are at `<url>/__inbox`. */
  url: string;
  /** One line for the reader, e.g. "charges (keyed order-<id>, the shop's order id) and refunds". */
  about: string;
}

export interface InboxSection {
  name: string;
  url: string;
  about: string;
  /** What `/__inbox` answered: lists of records by kind; absent when the fake did not answer. */
  records?: Record<string, Array<Record<string, unknown>>>;
  error?: string;
}

async function readInbox(inbox: FakeInbox): Promise<InboxSection> {
  const section: InboxSection = { name: inbox.name, url: inbox.url, about: inbox.about };
  try {
    const response = await fetch(`${inbox.url}/__inbox`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return { ...section, error: `/__inbox answered ${response.status}` };
    const body = (await response.json()) as Record<string, unknown>;
    const records: InboxSection['records'] = {};
    for (const [kind, list] of Object.entries(body)) {
      if (Array.isArray(list)) records[kind] = list as Array<Record<string, unknown>>;
    }
    return { ...section, records };
  } catch (error) {
    return { ...section, error: (error as Error).message };
  }
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return escapeHtml(typeof value === 'object' ? JSON.stringify(value) : String(value));
}

function renderTable(kind: string, list: Array<Record<string, unknown>>): string {
  if (list.length === 0) return `<h3>${escapeHtml(kind)}</h3><p class="none">none yet</p>`;
  const columns = [...new Set(list.flatMap((record) => Object.keys(record)))].slice(0, 10);
  const head = columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('');
  const rows = list
    .map(
      (record) =>
        `<tr>${columns.map((column) => `<td${column === 'code' ? ' class="code"' : ''}>${cell(record[column])}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<h3>${escapeHtml(kind)}</h3><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderInboxPage(sections: InboxSection[]): string {
  const body = sections
    .map((section) => {
      const content = section.records
        ? Object.entries(section.records)
            .map(([kind, list]) => renderTable(kind, list))
            .join('\n')
        : `<p class="error">not answering: ${escapeHtml(section.error ?? 'unknown error')}</p>`;
      return (
        `<section><h2>${escapeHtml(section.name)} <small>${escapeHtml(section.url)}/__inbox</small></h2>` +
        `<p>${escapeHtml(section.about)}</p>${content}</section>`
      );
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Voltmall fakes: inbox</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5rem;color:#222}h1{font-size:1.3rem}h2{font-size:1.1rem;margin-top:2rem}
small{color:#777;font-weight:normal}table{border-collapse:collapse;margin:.3rem 0 1rem}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.code{font:bold 1.1em monospace}.none{color:#777}.error{color:#b00}
</style></head><body>
<h1>Voltmall fakes: latest records, newest first</h1>
<p>What the fake providers received while you used the shop. Refreshes every 5 s. JSON: <a href="/inbox.json">/inbox.json</a>.</p>
${body}
</body></html>
`;
}

/** Serves the combined inbox; `inboxes` is read on each request, so fakes registered later show up. */
export function startInboxPage(
  inboxes: readonly FakeInbox[],
  options: ListenOptions = {},
): Promise<StartedFake<{ inboxes: readonly FakeInbox[] }>> {
  const app = express();
  app.disable('x-powered-by');
  endJsonWithNewline(app);
  const sections = () => Promise.all(inboxes.map(readInbox));
  app.get('/inbox.json', async (_req, res) => {
    res.json({ fakes: await sections() });
  });
  app.get('/', async (req, res) => {
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ fakes: await sections() });
      return;
    }
    res
      .type('html')
      .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(renderInboxPage(await sections()));
  });
  app.use((req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${req.path}` } });
  });
  return listenFake(app, () => undefined, { inboxes }, options);
}
