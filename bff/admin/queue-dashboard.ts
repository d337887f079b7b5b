import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type Express, type RequestHandler } from 'express';
import type { BffContext } from '../context';
import { auditRepository } from '../audit/audit.repository';
import { requireAdmin } from '../http/identity';
import { ValidationError } from '../../shared/errors';
import { isCrossOrigin } from '../auth/browser-session';
import { CrossSiteRequestError } from './admin.errors';

/** Where the dashboard is mounted; the gateway admits only admins there (token or the vm_admin cookie). */
export const DASHBOARD_PATH = '/admin/queues';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The most jobs one board page may list (its settings page offers up to 300): Bull Board reads each in full
 * from Redis and has no cap of its own.
 */
export const MAX_DASHBOARD_JOBS_PER_PAGE = 300;

/** Refuses a board page larger than {@link MAX_DASHBOARD_JOBS_PER_PAGE} jobs with a 400 instead of reading them. */
const boundedJobPages: RequestHandler = (req, _res, next) => {
  const requested = req.query.jobsPerPage;
  if (requested === undefined) return next();
  const values: unknown[] = Array.isArray(requested) ? requested : [requested];
  const withinCap = (value: unknown) =>
    typeof value === 'string' && /^[0-9]{1,3}$/.test(value) && Number(value) <= MAX_DASHBOARD_JOBS_PER_PAGE;
  if (values.every(withinCap)) return next();
  next(
    new ValidationError('Invalid query', {
      details: [
        { path: 'jobsPerPage', message: `must be a whole number up to ${MAX_DASHBOARD_JOBS_PER_PAGE}` },
      ],
    }),
  );
};

/**
 * CSRF protection for dashboard writes. A request with an Authorization header was not sent by a browser on
 * its own (it never adds one), so it passes. A cookie-authenticated one must show it comes from the
 * dashboard's own origin: `Sec-Fetch-Site: same-origin` (every current browser sends it) or an `Origin`
 * equal to PUBLIC_BASE_URL's, and neither may say otherwise (the browser-session routes' check, which has a
 * CSRF token besides; here one of the two headers is required). SameSite=Strict on the cookie already keeps
 * other sites out; this check also keeps out other origins of the same site (another port or subdomain).
 */
export function dashboardCsrfGuard(publicBaseUrl: string): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || req.get('authorization') !== undefined) return next();
    const headers = { secFetchSite: req.get('sec-fetch-site'), origin: req.get('origin') };
    const sameOrigin =
      (headers.secFetchSite !== undefined || headers.origin !== undefined) &&
      !isCrossOrigin(headers, publicBaseUrl);
    if (!sameOrigin)
      return next(new CrossSiteRequestError('Dashboard actions must come from the dashboard page itself'));
    next();
  };
}

/**
 * Writes through the dashboard (retry, promote, clean, pause, ...) reach Redis directly: each one that
 * succeeded is audited with the admin, the queue and the exact call.
 */
function auditDashboardWrites(ctx: Pick<BffContext, 'db' | 'logger'>): RequestHandler {
  const audit = auditRepository(ctx.db);
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const actorUserId = req.identity?.userId ?? null;
    const path = req.path;
    const queue = /^\/api\/queues\/([^/]+)/.exec(path)?.[1];
    res.once('finish', () => {
      if (res.statusCode >= 400) return;
      audit
        .record({
          actorUserId,
          action: 'queue.dashboard.write',
          entityType: 'queue',
          entityId: queue ? decodeURIComponent(queue).slice(0, 64) : '*',
          after: {
            method: req.method,
            path: `${DASHBOARD_PATH}${path}`.slice(0, 500),
            status: res.statusCode,
          },
        })
        .catch((error: unknown) => ctx.logger.error({ err: error }, 'dashboard audit failed'));
    });
    next();
  };
}

/** Bull Board's page links Google Fonts; the dashboard must work offline, so the link is dropped. */
const EXTERNAL_FONT_LINK = /<link[^>]*href="https:\/\/fonts\.(?:googleapis|gstatic)\.com\/[^"]*"[^>]*>\s*/g;

/**
 * Serves the board's page without external fonts (its CSS falls back to the browser's sans-serif and
 * monospace): nothing on the dashboard is fetched from another origin.
 */
export const withoutExternalFonts: RequestHandler = (_req, res, next) => {
  const send = res.send.bind(res);
  res.send = (body?: unknown) => send(typeof body === 'string' ? body.replace(EXTERNAL_FONT_LINK, '') : body);
  next();
};

/**
 * Bull Board over every queue of the system, as an Express app to mount at {@link DASHBOARD_PATH}. The gateway
 * lets only admins through; here the role is checked again, writes need same-origin proof when they come
 * with the cookie, and QUEUE_DASHBOARD_READ_ONLY=true turns every write off.
 */
export function queueDashboard(ctx: Pick<BffContext, 'db' | 'config' | 'logger' | 'queues'>): Express {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: ctx.queues
      .all()
      .map((queue) => new BullMQAdapter(queue, { readOnlyMode: ctx.config.QUEUE_DASHBOARD_READ_ONLY })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Voltmall queues' } },
  });
  const board = serverAdapter.getRouter() as Express;
  board.disable('x-powered-by');

  const dashboard = express();
  dashboard.disable('x-powered-by');
  dashboard.use((req, _res, next) => {
    requireAdmin(req);
    next();
  });
  dashboard.use(dashboardCsrfGuard(ctx.config.PUBLIC_BASE_URL));
  dashboard.use(boundedJobPages);
  dashboard.use(auditDashboardWrites(ctx));
  dashboard.use(withoutExternalFonts);
  dashboard.use(board);
  return dashboard;
}
