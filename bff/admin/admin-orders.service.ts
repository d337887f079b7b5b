import { NotFoundError } from '../../shared/errors';
import { ordersRepository, type OrderRow } from '../../shared/orders/orders.repository';
import type { BffContext } from '../context';
import { toItemView } from '../orders/orders.service';
import type { ListOrdersQuery } from './admin.schemas';
import { adminOrdersRepository } from './admin-orders.repository';
import { instantBounds } from './date-range';
import { decodeIdCursor, pageOf } from '../http/keyset-cursor';
import { orderJobHistory } from './order-jobs';
import { orderTimeline } from './order-timeline';
import type { OrderEventSource } from '../orders/order-events.stream';

const parseJson = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/** Any order, any user: the list with filters, and the full story of one order. */
export function adminOrdersService(ctx: Pick<BffContext, 'db' | 'config' | 'queues' | 'logger'>) {
  const reads = adminOrdersRepository(ctx.db);
  const orders = ordersRepository(ctx.db);

  async function findAny(orderId: number): Promise<OrderRow> {
    const order = await orders.findById(orderId);
    if (!order) throw new NotFoundError(`Order ${orderId} not found`);
    return order;
  }

  /** The order-event stream's reads for an admin: any order, whoever placed it. */
  const eventSource: OrderEventSource = {
    findMine: (_adminId, orderId) => findAny(orderId),
    async get(_adminId, orderId) {
      const order = await findAny(orderId);
      return {
        id: Number(order.id),
        status: order.status,
        failureReason: order.failure_reason,
        updatedAt: order.updated_at,
      };
    },
  };

  return {
    eventSource,

    async list(query: ListOrdersQuery) {
      const rows = await reads.list({
        q: query.q,
        status: query.status,
        userId: query.userId,
        created: instantBounds(query, ctx.config.SHOP_TIME_ZONE),
        beforeId: query.cursor ? decodeIdCursor(query.cursor) : undefined,
        limit: query.limit,
      });
      const { page, nextCursor } = pageOf(rows, query.limit);
      return {
        items: page.map((row) => ({
          id: Number(row.id),
          user: { id: Number(row.user_id), email: row.user_email },
          status: row.status,
          total: row.total,
          paymentMethod: row.payment_method,
          failureReason: row.failure_reason,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
          confirmedAt: row.confirmed_at,
          cancelledAt: row.cancelled_at,
          links: { self: `/api/admin/orders/${row.id}` },
        })),
        nextCursor,
      };
    },

    /**
     * The order with its items, payment attempts, stock moves and jobs. The jobs come from Redis: when it does
     * not answer, the rest is still shown, with `jobs: null` and the reason.
     */
    async detail(orderId: number) {
      const order = await findAny(orderId);
      const [items, payments, stockMoves, user] = await Promise.all([
        orders.items(orderId),
        reads.payments(orderId),
        reads.stockMoves(orderId),
        reads.findUserEmail(Number(order.user_id)),
      ]);
      let jobs: Awaited<ReturnType<typeof orderJobHistory>> | null = null;
      let jobsError: string | undefined;
      try {
        jobs = await orderJobHistory(ctx.queues, orderId);
      } catch (error) {
        ctx.logger.warn({ err: error, orderId }, 'order job history unavailable');
        jobsError = 'The job queue is unavailable';
      }
      return {
        order: {
          id: Number(order.id),
          user: { id: Number(order.user_id), email: user?.email ?? null },
          status: order.status,
          total: order.total,
          paymentMethod: order.payment_method,
          shippingAddress: parseJson(order.shipping_address),
          fromCart: Boolean(order.from_cart),
          failureReason: order.failure_reason,
          idempotencyKey: order.idempotency_key,
          requestId: order.request_id,
          createdAt: order.created_at,
          updatedAt: order.updated_at,
          confirmedAt: order.confirmed_at,
          cancelledAt: order.cancelled_at,
          cancelRequestedAt: order.cancel_requested_at,
          items: items.map(toItemView),
          payments: payments.map((payment) => ({
            kind: payment.kind,
            status: payment.status,
            amount: payment.amount,
            attempts: payment.attempts,
            lastError: payment.last_error,
            gatewayKey: payment.gateway_key,
            gatewayPaymentKey: payment.gateway_payment_key,
            createdAt: payment.created_at,
            updatedAt: payment.updated_at,
          })),
          stockMoves: stockMoves.map((move) => ({
            productId: Number(move.product_id),
            kind: move.kind,
            quantity: move.quantity,
            at: move.created_at,
          })),
        },
        jobs,
        ...(jobsError ? { jobsError } : {}),
        timeline: orderTimeline({
          order: {
            status: order.status,
            failureReason: order.failure_reason,
            createdAt: order.created_at,
            updatedAt: order.updated_at,
            confirmedAt: order.confirmed_at,
            cancelRequestedAt: order.cancel_requested_at,
            cancelledAt: order.cancelled_at,
          },
          payments: payments.map((payment) => ({
            kind: payment.kind,
            status: payment.status,
            amount: payment.amount,
            attempts: payment.attempts,
            lastError: payment.last_error,
            createdAt: payment.created_at,
            updatedAt: payment.updated_at,
          })),
          stockMoves: stockMoves.map((move) => ({
            productId: Number(move.product_id),
            kind: move.kind,
            quantity: move.quantity,
            at: move.created_at,
          })),
          jobs: jobs ?? [],
        }),
      };
    },
  };
}
