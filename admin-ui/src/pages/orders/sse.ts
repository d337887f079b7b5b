/**
 * A small Server-Sent Events parser: lines up to a blank line make one event; `event:` names it, `data:` lines
 * join with "\n", `:` lines are comments (the server's keep-alives). Pure, so it is unit-tested.
 */

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
