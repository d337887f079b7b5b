import type { JobState } from 'bullmq';
import { z } from 'zod';
import { publicUser } from '../auth/auth.openapi';
import { id, nullableTimestamp, timestamp, won } from '../openapi/common-schemas';
import type { RouteDoc } from '../openapi/route-doc';
import { orderView } from '../orders/orders.openapi';
import { shippingAddress } from '../orders/orders.schemas';
import {
  GRANULARITIES,
  idParams,
  listOrdersQuery,
  listUsersQuery,
  rebuildQuery,
  salesQuery,
  topProductsQuery,
  updateUserBody,
} from './admin.schemas';

const count = z.int().nonnegative();
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .meta({ description: 'A calendar day in the shop’s time zone, YYYY-MM-DD', example: '2026-11-25' });
const timeZone = z.string().meta({ description: 'SHOP_TIME_ZONE, e.g. Asia/Seoul' });
const nextCursor = z
  .string()
  .nullable()
  .meta({ description: 'Pass as cursor for the next page; null on the last' });
/** The shared OrderStatus component of the orders domain. */
const orderStatus = orderView.shape.status;

// --- users -------------------------------------------------------------------------------------------

/** The account as admins see it: the public view plus updatedAt. */
export const adminUser = publicUser.extend({ updatedAt: timestamp }).meta({ id: 'AdminUser' });
const userResult = z.strictObject({ user: adminUser });
const statusResult = z.strictObject({
  user: adminUser,
  revokedSessions: count.meta({
    description: 'Refresh tokens revoked by this call (0 when nothing changed, and on reactivation)',
  }),
});

const userListPage = z.strictObject({
  items: z.array(adminUser.extend({ links: z.strictObject({ self: z.string() }) })),
  nextCursor,
});

const userDetail = z.strictObject({
  user: adminUser,
  orders: z
    .strictObject({
      placed: count.meta({ description: 'Every order' }),
      confirmed: count.meta({ description: 'Paid (confirmed_at set), whatever happened after' }),
      refunded: count.meta({ description: 'Paid, then cancelled (the refund went through)' }),
      grossSpent: won,
      refundedAmount: won,
      totalSpent: won.meta({ description: 'grossSpent − refundedAmount' }),
      lastOrderAt: nullableTimestamp,
    })
    .meta({ id: 'UserOrderTotals' }),
  activeSessions: count.meta({ description: 'Refresh tokens neither revoked, rotated nor expired' }),
  links: z.strictObject({ orders: z.string() }),
});

// --- orders ------------------------------------------------------------------------------------------

const orderUser = z.strictObject({
  id,
  email: z.string().nullable().meta({
    description:
      'Null when the user row no longer exists, or the account has no e-mail (an external login without a verified one)',
  }),
});

const adminOrderListItem = z
  .strictObject({
    id,
    user: orderUser,
    status: orderStatus,
    total: won,
    paymentMethod: z.string(),
    failureReason: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    confirmedAt: nullableTimestamp,
    cancelledAt: nullableTimestamp,
    links: z.strictObject({ self: z.string() }),
  })
  .meta({ id: 'AdminOrderListItem' });

const payment = z
  .strictObject({
    kind: z.enum(['charge', 'refund']),
    status: z.enum(['pending', 'succeeded', 'failed', 'unknown']),
    amount: won,
    attempts: count,
    lastError: z.string().nullable(),
    gatewayKey: z.string().meta({ description: 'The idempotency key sent to the payment gateway' }),
    gatewayPaymentKey: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'PaymentAttempt' });

const stockMove = z
  .strictObject({
    productId: id,
    kind: z.enum(['reserve', 'release', 'adjust']),
    quantity: z.int().meta({ description: 'Signed change applied to the product’s stock' }),
    at: timestamp,
  })
  .meta({ id: 'StockMove' });

/** BullMQ's job states (checked against its JobState type both ways); `unknown` jobs are left out. */
const JOB_STATES = {
  completed: 'completed',
  failed: 'failed',
  active: 'active',
  delayed: 'delayed',
  prioritized: 'prioritized',
  waiting: 'waiting',
  'waiting-children': 'waiting-children',
} as const satisfies { [K in JobState]: K };

const orderJob = z
  .strictObject({
    queue: z.string(),
    id: z
      .string()
      .meta({ description: '<step>-<orderId> (queues/order-job-ids.ts); a re-run replaces a finished job' }),
    name: z.string(),
    state: z.enum(JOB_STATES),
    attemptsMade: count,
    maxAttempts: z.int().positive(),
    failedReason: z.string().nullable(),
    createdAt: nullableTimestamp,
    processedAt: nullableTimestamp,
    finishedAt: nullableTimestamp,
    dashboard: z.string().meta({ description: 'Where the job opens in the queue dashboard (/admin/queues)' }),
  })
  .meta({ id: 'OrderJob' });

const timelineEntry = z
  .strictObject({
    at: timestamp,
    type: z.enum(['status', 'cancel', 'payment', 'stock', 'job']),
    status: orderStatus.optional().meta({ description: 'For status entries: the state entered' }),
    summary: z.string().meta({ description: 'One English sentence' }),
    exact: z.boolean().meta({
      description:
        'False when the time is read off another record: STOCK_RESERVED takes its reserve ledger row’s time, ' +
        'REJECTED and PAYMENT_FAILED the order’s last update',
    }),
  })
  .meta({ id: 'OrderTimelineEntry' });

const adminOrderDetail = z
  .strictObject({
    id,
    user: orderUser,
    status: orderStatus,
    total: won,
    paymentMethod: z.string(),
    shippingAddress,
    fromCart: z.boolean(),
    failureReason: z.string().nullable(),
    idempotencyKey: z.string(),
    requestId: z.string().nullable().meta({ description: 'X-Request-Id of the placing request' }),
    createdAt: timestamp,
    updatedAt: timestamp,
    confirmedAt: nullableTimestamp,
    cancelledAt: nullableTimestamp,
    cancelRequestedAt: nullableTimestamp.meta({ description: 'When the customer’s cancel was accepted' }),
    items: orderView.shape.items,
    payments: z.array(payment).meta({ description: 'Charge and refund attempts, oldest first' }),
    stockMoves: z.array(stockMove).meta({ description: 'Ledger rows of this order, oldest first' }),
  })
  .meta({ id: 'AdminOrder' });

// --- statistics --------------------------------------------------------------------------------------

const salesFigures = z
  .strictObject({
    orders: count.meta({ description: 'Orders confirmed (paid)' }),
    units: count,
    revenue: won,
    refunds: won,
    refundedOrders: count,
    net: z.int().meta({ description: 'revenue − refunds, in won; may be negative' }),
  })
  .meta({ id: 'SalesFigures' });

const salesReport = z.strictObject({
  from: day,
  to: day,
  granularity: z.enum(GRANULARITIES),
  timeZone,
  buckets: z
    .array(
      salesFigures.extend({
        period: z.string().meta({ description: '2026-03-01 (day), 2026-W10 (ISO week) or 2026-03 (month)' }),
        start: day,
        end: day,
      }),
    )
    .meta({ description: 'Every period of the range, empty ones as zeros; edges cut to the range' }),
  totals: salesFigures,
});

const topProducts = z.strictObject({
  from: day,
  to: day,
  timeZone,
  items: z.array(
    z.strictObject({
      productId: id,
      name: z.string().nullable().meta({ description: 'The product’s current name' }),
      units: count,
      revenue: won.meta({ description: 'Gross: refunds are not split by product' }),
    }),
  ),
});

const dayFigures = salesFigures.extend({ day });

const overview = z.strictObject({
  timeZone,
  today: dayFigures,
  yesterday: dayFigures,
  newUsersToday: count,
  pendingOrders: z.strictObject({
    total: count,
    byStatus: z.strictObject({ PENDING: count, STOCK_RESERVED: count, CANCEL_REQUESTED: count }),
  }),
  failedJobs: z
    .record(z.string(), count)
    .nullable()
    .meta({ description: 'Failed jobs per queue; null when Redis does not answer' }),
});

const rebuildAccepted = z.strictObject({
  jobId: z.string(),
  from: day,
  to: day,
  links: z.strictObject({ dashboard: z.string() }),
});

// --- routes ------------------------------------------------------------------------------------------

export const adminRouteDocs: RouteDoc[] = [
  {
    operationId: 'listUsers',
    method: 'get',
    path: '/api/admin/users',
    summary:
      'Search users, newest first (q: prefix of email, phone or name; signup range from/to: ' +
      'YYYY-MM-DD in the shop zone or an ISO instant)',
    tag: 'admin-users',
    auth: 'admin',
    query: listUsersQuery,
    responses: { 200: { description: 'A page', schema: userListPage } },
    errors: [400],
  },
  {
    operationId: 'getUser',
    method: 'get',
    path: '/api/admin/users/:id',
    summary: 'A user with order totals and live logins',
    tag: 'admin-users',
    auth: 'admin',
    params: idParams,
    responses: { 200: { description: 'The user', schema: userDetail } },
    errors: [400, 404],
  },
  {
    operationId: 'updateUser',
    method: 'patch',
    path: '/api/admin/users/:id',
    summary:
      'Change a user’s role (audited; their access tokens are refused within a second; an admin cannot demote themself)',
    tag: 'admin-users',
    auth: 'admin',
    params: idParams,
    body: updateUserBody,
    responses: { 200: { description: 'The user after the change', schema: userResult } },
    errors: [400, 404, 409],
  },
  {
    operationId: 'suspendUser',
    method: 'post',
    path: '/api/admin/users/:id/suspend',
    summary:
      'Suspend a user: refresh tokens revoked, access tokens refused at the gateway within a second (idempotent; not oneself)',
    tag: 'admin-users',
    auth: 'admin',
    params: idParams,
    responses: { 200: { description: 'Suspended', schema: statusResult } },
    errors: [400, 404, 409],
  },
  {
    operationId: 'reactivateUser',
    method: 'post',
    path: '/api/admin/users/:id/reactivate',
    summary: 'Reactivate a suspended user (idempotent)',
    tag: 'admin-users',
    auth: 'admin',
    params: idParams,
    responses: { 200: { description: 'Active', schema: statusResult } },
    errors: [400, 404],
  },
  {
    operationId: 'listAllOrders',
    method: 'get',
    path: '/api/admin/orders',
    summary: 'Every user’s orders, newest first (filters: q, status, userId, created from/to)',
    description:
      "q is an order id (exact) or the start of the customer's e-mail; all-digit q matches either.",
    tag: 'admin-orders',
    auth: 'admin',
    query: listOrdersQuery,
    responses: {
      200: {
        description: 'A page',
        schema: z.strictObject({ items: z.array(adminOrderListItem), nextCursor }),
      },
    },
    errors: [400],
  },
  {
    operationId: 'getOrderStory',
    method: 'get',
    path: '/api/admin/orders/:id',
    summary: 'An order’s whole story: items, payments, stock moves and queue jobs',
    tag: 'admin-orders',
    auth: 'admin',
    params: idParams,
    responses: {
      200: {
        description: 'The order',
        schema: z.strictObject({
          order: adminOrderDetail,
          jobs: z.array(orderJob).nullable().meta({
            description: 'Oldest first, as BullMQ still holds them; null when Redis does not answer',
          }),
          jobsError: z.string().optional().meta({ description: 'Why jobs is null' }),
          timeline: z.array(timelineEntry).meta({
            description:
              'The story oldest first: state changes, cancel request, stock moves, payment attempts and jobs',
          }),
        }),
      },
    },
    errors: [400, 404],
  },
  {
    operationId: 'streamAdminOrderEvents',
    method: 'get',
    path: '/api/admin/orders/:id/events',
    summary: 'Server-Sent Events for any order: its state, then each change until it settles',
    description:
      'The same stream as GET /api/orders/:id/events (`event: status` lines with JSON data), for any user’s ' +
      'order. The admin’s open streams count against their own cap (429 TOO_MANY_STREAMS beyond it).',
    tag: 'admin-orders',
    auth: 'admin',
    params: idParams,
    responses: {
      200: { description: '`event: status` lines with JSON data', contentType: 'text/event-stream' },
    },
    errors: [400, 404, 429, 503],
  },
  {
    operationId: 'getSalesStats',
    method: 'get',
    path: '/api/admin/stats/sales',
    summary: 'Sales by day, ISO week or month (default: the last 30 days; at most 366)',
    tag: 'admin-stats',
    auth: 'admin',
    query: salesQuery,
    responses: { 200: { description: 'The report', schema: salesReport } },
    errors: [400],
  },
  {
    operationId: 'getTopProducts',
    method: 'get',
    path: '/api/admin/stats/top-products',
    summary: 'Best sellers by units, then revenue (default: the last 30 days; at most 366)',
    tag: 'admin-stats',
    auth: 'admin',
    query: topProductsQuery,
    responses: { 200: { description: 'The best sellers', schema: topProducts } },
    errors: [400],
  },
  {
    operationId: 'getStatsOverview',
    method: 'get',
    path: '/api/admin/stats/overview',
    summary: 'Today against yesterday, new users, orders in progress and failed jobs per queue',
    tag: 'admin-stats',
    auth: 'admin',
    responses: { 200: { description: 'The overview', schema: overview } },
    errors: [],
  },
  {
    operationId: 'rebuildStats',
    method: 'post',
    path: '/api/admin/stats/rebuild',
    summary: 'Recompute the statistics of a range of days (both required, at most 366) in the stats worker',
    tag: 'admin-stats',
    auth: 'admin',
    query: rebuildQuery,
    responses: { 202: { description: 'The rebuild job was enqueued', schema: rebuildAccepted } },
    errors: [400, 503],
  },
  {
    operationId: 'openDashboardSession',
    method: 'post',
    path: '/api/admin/dashboard-session',
    summary:
      'Open the queue dashboard (Bull Board UI at /admin/queues/, not part of this API) in a browser: ' +
      'sets the vm_admin cookie to the caller’s access token',
    tag: 'admin-dashboard',
    auth: 'admin',
    responses: {
      201: {
        description: 'Cookie set; it lapses with the access token',
        schema: z.strictObject({
          dashboard: z.string().meta({ description: '/admin/queues/' }),
          expiresAt: timestamp,
        }),
        headers: {
          'Set-Cookie': 'vm_admin=<access token>; Path=/admin/queues; HttpOnly; SameSite=Strict; Max-Age=…',
          'Cache-Control': 'no-store',
        },
      },
    },
    errors: [],
  },
  {
    operationId: 'closeDashboardSession',
    method: 'delete',
    path: '/api/admin/dashboard-session',
    summary: 'Close the queue dashboard session (clears the vm_admin cookie)',
    tag: 'admin-dashboard',
    auth: 'admin',
    responses: {
      204: {
        description: 'Cookie cleared',
        headers: { 'Set-Cookie': 'vm_admin=; Path=/admin/queues; Expires=…' },
      },
    },
    errors: [],
  },
];
