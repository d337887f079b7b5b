/**
 * The Express app every fake starts from (JSON answers ending in a newline, body parsers, the call log) and
 * the control routes under `/__` every fake serves the same way: `/__control`, `/__calls`, `/__reset`, and
 * the "provider is down" switch of the login fakes.
 */
import express from 'express';
import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { type CallLogOptions, type CallRecord, parseOr400, recordCalls } from './fake-server';
import { endJsonWithNewline } from '../shared/json-newline';

export interface FakeAppOptions extends CallLogOptions {
  /** The fake's call log (its state's `calls`), kept for `/__calls`. */
  calls: CallRecord[];
  /** Largest JSON body. */
  jsonLimit: string;
  /** Largest form body; without it form bodies are not parsed. */
  urlencodedLimit?: string;
}

export function createFakeApp({
  calls,
  onCallEnd,
  jsonLimit,
  urlencodedLimit,
}: FakeAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  endJsonWithNewline(app);
  app.use(express.json({ limit: jsonLimit }));
  if (urlencodedLimit !== undefined) app.use(express.urlencoded({ extended: false, limit: urlencodedLimit }));
  app.use(recordCalls(calls, onCallEnd));
  return app;
}

export interface ControlRoutes<Schema extends z.ZodType> {
  /** What `POST /__control` accepts (a partial update); anything else is 400 with `errorBody(message)`. */
  schema: Schema;
  errorBody: (message: string) => object;
  /** What `GET /__control`, and `POST /__control` after the update, answer. */
  view(): object;
  apply(update: z.infer<Schema>): void;
  /** Puts the fake back as it started; `POST /__reset` also empties `calls`. */
  reset(): void;
  calls: CallRecord[];
}

/** `GET|POST /__control`, `GET /__calls` → `{ calls }` and `POST /__reset` → `{ reset: true }`. */
export function serveControlRoutes<Schema extends z.ZodType>(
  app: express.Express,
  routes: ControlRoutes<Schema>,
): void {
  app.get('/__control', (_req, res) => {
    res.json(routes.view());
  });
  app.post('/__control', (req, res) => {
    const update = parseOr400(routes.schema, req.body ?? {}, res, routes.errorBody);
    if (update === undefined) return;
    routes.apply(update);
    res.json(routes.view());
  });
  app.get('/__calls', (_req, res) => {
    res.json({ calls: routes.calls });
  });
  app.post('/__reset', (_req, res) => {
    routes.reset();
    routes.calls.length = 0;
    res.json({ reset: true });
  });
}

/** While `isDown()`, every route but the fake's own `/__*` ones answers 503 with `html` (a front proxy's page). */
export function downPage(isDown: () => boolean, html: string): RequestHandler {
  return (req, res, next) => {
    if (isDown() && !req.path.startsWith('/__')) {
      res.status(503).type('text/html').send(html);
      return;
    }
    next();
  };
}
