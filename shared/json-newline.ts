import type { Express, Response } from 'express';

/**
 * Ends every `res.json` body of an Express app with a newline, so `curl` output leaves the shell prompt on a
 * line of its own; JSON parsers ignore the trailing whitespace. Used by the BFF and the fakes. Set on the
 * app's response prototype, so every route, the error handler and mounted sub-apps (which inherit it) answer
 * alike. Neither sets `json replacer`, `json spaces` nor `json escape`, so plain `JSON.stringify` is what
 * Express would have sent.
 */
export function endJsonWithNewline(app: Express): void {
  app.response.json = function jsonWithNewline(this: Response, body?: unknown): Response {
    if (this.get('Content-Type') === undefined) this.type('application/json');
    // JSON.stringify(undefined) is undefined: Express then sends an empty body, and so do we.
    const text = body === undefined ? undefined : `${JSON.stringify(body)}\n`;
    return this.send(text);
  };
}
