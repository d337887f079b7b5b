/**
 * The order-event stream (GET /api/admin/orders/{id}/events, Server-Sent Events) read with fetch(): EventSource
 * cannot send the Authorization header, and the access token lives only in memory. A small SSE parser: lines
 * up to a blank line make one event; `event:` names it, `data:` lines join with "\n", `:` lines are comments
 * (the server's keep-alives).
 */
import { currentAccessToken, refreshSession } from '../../api/session';

export interface ServerSentEvent {
  event: string;
  data: string;
  id?: string;
}

/** Feeds text chunks, returns the complete events so far (the parser keeps the partial rest). */
export function sseParser(): (chunk: string) => ServerSentEvent[] {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  return (chunk) => {
    buffer += chunk;
    const events: ServerSentEvent[] = [];
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (data.length > 0) events.push({ event: event || 'message', data: data.join('\n'), id });
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    return events;
  };
}

export type StreamEnd = 'ended' | 'unsupported' | 'failed';

/**
 * Opens the stream and calls onEvent for each event until the server ends it (the order settled), the signal
 * aborts, or it fails. 'unsupported' when the API has no such route (404/405): the caller polls instead.
 */
export async function followOrderEvents(
  orderId: number,
  onEvent: (event: ServerSentEvent) => void,
  signal: AbortSignal,
): Promise<StreamEnd> {
  const open = () =>
    fetch(`/api/admin/orders/${orderId}/events`, {
      headers: { Accept: 'text/event-stream', Authorization: `Bearer ${currentAccessToken() ?? ''}` },
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  try {
    let response = await open();
    if (response.status === 401 && (await refreshSession())) response = await open();
    if (response.status === 404 || response.status === 405) return 'unsupported';
    if (!response.ok || !response.body) return 'failed';
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const parse = sseParser();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return 'ended';
      for (const event of parse(value)) onEvent(event);
    }
  } catch {
    return signal.aborted ? 'ended' : 'failed';
  }
}
