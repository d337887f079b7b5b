import { Router } from 'express';
import type { BffContext } from '../context';
import { requireAdmin } from '../http/identity';
import { parseInput } from '../http/validate';
import {
  idParams,
  listOrdersQuery,
  listUsersQuery,
  rebuildQuery,
  salesQuery,
  topProductsQuery,
  updateUserBody,
} from './admin.schemas';
import { adminOrdersService } from './admin-orders.service';
import { adminStatsService } from './admin-stats.service';
import { adminUsersService } from './admin-users.service';
import { DASHBOARD_COOKIE, dashboardCookie, dashboardCookieScope } from './dashboard-session';
import { DASHBOARD_PATH } from './queue-dashboard';
import { streamOrderEvents } from '../orders/order-events.stream';
import { orderStreamSlots } from '../orders/order-stream-slots';

/**
 * The admin API under /api/admin. The gateway already requires role admin there; every route checks it again
 * (defence in depth) and passes the admin's id to the service, which audits each change.
 */
export function adminRoutes(ctx: BffContext): Router {
  const users = adminUsersService(ctx);
  const orders = adminOrdersService(ctx);
  const stats = adminStatsService(ctx);
  const streamSlots = orderStreamSlots(ctx);
  const router = Router();

  router.get('/api/admin/users', async (req, res) => {
    requireAdmin(req);
    res.json(await users.list(parseInput(listUsersQuery, req.query, 'query')));
  });

  router.get('/api/admin/users/:id', async (req, res) => {
    requireAdmin(req);
    const { id } = parseInput(idParams, req.params, 'user id');
    res.json(await users.detail(id));
  });

  router.patch('/api/admin/users/:id', async (req, res) => {
    const { userId } = requireAdmin(req);
    const { id } = parseInput(idParams, req.params, 'user id');
    const { role } = parseInput(updateUserBody, req.body ?? {}, 'user update');
    res.json({ user: await users.changeRole(userId, id, role) });
  });

  router.post('/api/admin/users/:id/suspend', async (req, res) => {
    const { userId } = requireAdmin(req);
    const { id } = parseInput(idParams, req.params, 'user id');
    res.json(await users.suspend(userId, id));
  });

  router.post('/api/admin/users/:id/reactivate', async (req, res) => {
    const { userId } = requireAdmin(req);
    const { id } = parseInput(idParams, req.params, 'user id');
    res.json(await users.reactivate(userId, id));
  });

  router.get('/api/admin/orders', async (req, res) => {
    requireAdmin(req);
    res.json(await orders.list(parseInput(listOrdersQuery, req.query, 'query')));
  });

  router.get('/api/admin/orders/:id', async (req, res) => {
    requireAdmin(req);
    const { id } = parseInput(idParams, req.params, 'order id');
    res.json(await orders.detail(id));
  });

  // The customer's order-event stream for any order; the admin's open streams count against their own cap.
  router.get('/api/admin/orders/:id/events', async (req, res) => {
    const { userId } = requireAdmin(req);
    const { id } = parseInput(idParams, req.params, 'order id');
    await streamOrderEvents(res, userId, id, {
      orders: orders.eventSource,
      events: ctx.orderEvents,
      slots: streamSlots,
    });
  });

  router.get('/api/admin/stats/sales', async (req, res) => {
    requireAdmin(req);
    res.json(await stats.sales(parseInput(salesQuery, req.query, 'query')));
  });

  router.get('/api/admin/stats/top-products', async (req, res) => {
    requireAdmin(req);
    res.json(await stats.topProducts(parseInput(topProductsQuery, req.query, 'query')));
  });

  router.get('/api/admin/stats/overview', async (req, res) => {
    requireAdmin(req);
    res.json(await stats.overview());
  });

  router.post('/api/admin/stats/rebuild', async (req, res) => {
    const { userId } = requireAdmin(req);
    const range = parseInput(rebuildQuery, req.query, 'query');
    res.status(202).json(await stats.requestRebuild(userId, range));
  });

  router.post('/api/admin/dashboard-session', (req, res) => {
    const { userId } = requireAdmin(req);
    const cookie = dashboardCookie(req.get('authorization'), ctx.config.PUBLIC_BASE_URL);
    ctx.logger.info({ userId, expiresAt: cookie.expiresAt }, 'dashboard session opened');
    res
      .set('Cache-Control', 'no-store')
      .cookie(DASHBOARD_COOKIE, cookie.value, cookie.options)
      .status(201)
      .json({ dashboard: `${DASHBOARD_PATH}/`, expiresAt: cookie.expiresAt });
  });

  router.delete('/api/admin/dashboard-session', (req, res) => {
    requireAdmin(req);
    res.clearCookie(DASHBOARD_COOKIE, dashboardCookieScope(ctx.config.PUBLIC_BASE_URL)).status(204).end();
  });

  return router;
}
