import { z } from 'zod';
import { ORDER_STATUSES } from '../../shared/orders/order-state-machine';
import { nullableTimestamp, timestamp, won } from '../openapi/common-schemas';
import type { RouteDoc } from '../openapi/route-doc';
import {
  idempotencyKeyHeader,
  listOrdersQuery,
  orderIdParams,
  placeOrderBody,
  shippingAddress,
} from './orders.schemas';

const status = z.enum(ORDER_STATUSES).meta({ id: 'OrderStatus' });
const links = z
  .strictObject({ self: z.string(), events: z.string(), cancel: z.string() })
  .meta({ id: 'OrderLinks' });

export const orderView = z
  .strictObject({
    id: z.int().positive(),
    status,
    total: won,
    items: z.array(
      z.strictObject({
        productId: z.int().positive(),
        name: z.string(),
        unitPrice: won,
        quantity: z.int().positive(),
        lineTotal: won,
      }),
    ),
    shippingAddress,
    paymentMethod: z.string(),
    fromCart: z.boolean(),
    failureReason: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    confirmedAt: nullableTimestamp,
    cancelledAt: nullableTimestamp,
    cancelRequestedAt: nullableTimestamp.meta({
      description: 'When the customer’s cancel was accepted; from then on no charge starts',
    }),
    links,
  })
  .meta({ id: 'Order' });

const accepted = z.strictObject({ orderId: z.int().positive(), status, links, order: orderView.optional() });

export const orderRouteDocs: RouteDoc[] = [
  {
    operationId: 'placeOrder',
    method: 'post',
    path: '/api/orders',
    summary: 'Place an order (202 at once; Prefer: wait=N for up to N ≤ 10 seconds)',
    tag: 'orders',
    auth: 'user',
    headers: z.object({
      'idempotency-key': idempotencyKeyHeader,
      prefer: z.string().optional().meta({ description: 'wait=N (seconds, at most 10)' }),
    }),
    body: placeOrderBody,
    responses: {
      201: { description: 'Settled within the Prefer: wait time', schema: accepted },
      202: { description: 'Accepted; follow links.self or links.events', schema: accepted },
    },
    errors: [400, 422, 503],
  },
  {
    operationId: 'listOrders',
    method: 'get',
    path: '/api/orders',
    summary: 'My orders, newest first',
    tag: 'orders',
    auth: 'user',
    query: listOrdersQuery,
    responses: {
      200: {
        description: 'A page',
        schema: z.strictObject({
          items: z.array(
            z.strictObject({
              id: z.int().positive(),
              status,
              total: won,
              units: z.int().nonnegative(),
              failureReason: z.string().nullable(),
              createdAt: timestamp,
              updatedAt: timestamp,
              links,
            }),
          ),
          nextCursor: z.string().nullable(),
        }),
      },
    },
    errors: [400],
  },
  {
    operationId: 'getOrder',
    method: 'get',
    path: '/api/orders/:id',
    summary: 'One of my orders',
    tag: 'orders',
    auth: 'user',
    params: orderIdParams,
    responses: { 200: { description: 'The order', schema: z.strictObject({ order: orderView }) } },
    errors: [400, 404],
  },
  {
    operationId: 'streamOrderEvents',
    method: 'get',
    path: '/api/orders/:id/events',
    summary: 'Server-Sent Events: the order’s state, then each change until it settles',
    tag: 'orders',
    auth: 'user',
    params: orderIdParams,
    responses: {
      200: { description: '`event: status` lines with JSON data', contentType: 'text/event-stream' },
    },
    errors: [400, 404, 429, 503],
  },
  {
    operationId: 'cancelOrder',
    method: 'post',
    path: '/api/orders/:id/cancel',
    summary:
      'Cancel: recorded at once, finished by the workers (no charge starts; a charge made is refunded)',
    tag: 'orders',
    auth: 'user',
    params: orderIdParams,
    responses: {
      202: {
        description:
          'Cancel recorded: `status` is the order’s state now (CANCELLED when nothing was taken yet, else ' +
          'CANCEL_REQUESTED or STOCK_RESERVED until the workers finish); asking again is harmless and ' +
          're-drives it. 409 ORDER_NOT_CANCELLABLE (details.status) when the order is already final.',
        schema: z.strictObject({
          orderId: z.int().positive(),
          status,
          cancelRequestedAt: timestamp,
          links,
        }),
      },
    },
    errors: [400, 404, 409, 503],
  },
];
