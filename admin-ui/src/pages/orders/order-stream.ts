/**
 * The order-event stream (GET /api/admin/orders/{id}/events, Server-Sent Events) read with fetch(): EventSource
 * cannot send the Authorization header, and the access token lives only in memory.
 */
import { currentAccessToken, refreshSession } from '../../api/session';
import { sseParser, type ServerSentEvent } from './sse';

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
