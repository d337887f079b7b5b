import type { Knex } from 'knex';
import { ordersRepository } from '../../shared/orders/orders.repository';

export type CancelOutcome =
  | { kind: 'cancelled' }
  | { kind: 'refund-needed' }
  | { kind: 'in-progress' }
  | { kind: 'nothing-to-do'; status: string };

/** The order's own transitions (the other domains move it through stock and payment). */
export function ordersService(db: Knex) {
  const orders = ordersRepository(db);
  return {
    /**
     * A PENDING order is cancelled at once (no stock was taken yet: the reservation locks the row and
     * checks PENDING); a CONFIRMED one waits for its refund and stock; one being processed is retried
     * until it settles.
     */
    async cancel(orderId: number): Promise<CancelOutcome> {
      if (await orders.transition(orderId, 'PENDING', 'CANCELLED')) return { kind: 'cancelled' };
      const order = await orders.findById(orderId);
      if (!order) return { kind: 'nothing-to-do', status: 'missing' };
      if (order.status === 'STOCK_RESERVED') return { kind: 'in-progress' };
      if (
        order.status === 'CONFIRMED' &&
        (await orders.transition(orderId, 'CONFIRMED', 'CANCEL_REQUESTED'))
      ) {
        return { kind: 'refund-needed' };
      }
      if (order.status === 'CANCEL_REQUESTED') return { kind: 'refund-needed' };
      return { kind: 'nothing-to-do', status: order.status };
    },
  };
}
