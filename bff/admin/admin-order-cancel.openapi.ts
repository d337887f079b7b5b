import { z } from 'zod';
import { timestamp } from '../openapi/common-schemas';
import type { RouteDoc } from '../openapi/route-doc';
import { orderView } from '../orders/orders.openapi';
import { idParams } from './admin.schemas';

export const adminOrderCancelRouteDocs: RouteDoc[] = [
  {
    operationId: 'cancelAnyOrder',
    method: 'post',
    path: '/api/admin/orders/:id/cancel',
    summary: 'Cancel any user’s order (as the customer’s cancel does; audited as order.cancel)',
    description:
      'The same cancel as POST /api/orders/{id}/cancel, made by an admin for the order’s owner: recorded at ' +
      'once, finished by the workers (no charge starts; a charge made is refunded, the stock is released). ' +
      'Asking again is harmless and re-drives it.',
    tag: 'admin-orders',
    auth: 'admin',
    params: idParams,
    responses: {
      202: {
        description:
          'Cancel recorded: `status` is the order’s state now (CANCELLED when nothing was taken yet, else ' +
          'CANCEL_REQUESTED or STOCK_RESERVED until the workers finish). 409 ORDER_NOT_CANCELLABLE ' +
          '(details.status) when the order is already final.',
        schema: z.strictObject({
          orderId: z.int().positive(),
          status: orderView.shape.status,
          cancelRequestedAt: timestamp,
          links: orderView.shape.links,
        }),
      },
    },
    errors: [400, 404, 409, 503],
  },
];
