import type { Knex } from 'knex';
import type { OrderStatus } from '../../shared/orders/order-state-machine';
import { escapeLike } from '../catalogue/search-terms';
import type { InstantBounds } from './date-range';

export interface AdminOrderListRow {
  id: number;
  user_id: number;
  user_email: string | null;
  status: OrderStatus;
  total: number;
  payment_method: string;
  failure_reason: string | null;
  created_at: Date;
  updated_at: Date;
  confirmed_at: Date | null;
  cancelled_at: Date | null;
}

export interface PaymentAttemptRow {
  kind: 'charge' | 'refund';
  status: string;
  amount: number;
  attempts: number;
  last_error: string | null;
  gateway_key: string;
  gateway_payment_key: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Reads for the admin order pages (the orders repository in shared/ stays the only writer). */
export function adminOrdersRepository(db: Knex) {
  return {
    /** Newest first, keyset-paginated on id; the date range applies to created_at. */
    list(filter: {
      q?: string;
      status?: OrderStatus;
      userId?: number;
      created: InstantBounds;
      beforeId?: number;
      limit: number;
    }): Promise<AdminOrderListRow[]> {
      const query = db('orders as o')
        .leftJoin('users as u', 'u.id', 'o.user_id')
        .select(
          'o.id',
          'o.user_id',
          'u.email as user_email',
          'o.status',
          'o.total',
          'o.payment_method',
          'o.failure_reason',
          'o.created_at',
          'o.updated_at',
          'o.confirmed_at',
          'o.cancelled_at',
        )
        .orderBy('o.id', 'desc')
        .limit(filter.limit + 1);
      if (filter.q !== undefined) {
        const { q } = filter;
        // The e-mail prefix is a range of the users' unique e-mail index; an all-digit q may be an order id.
        query.where((match) => {
          match.whereRaw(`u.email LIKE ? ESCAPE '!'`, [`${escapeLike(q)}%`]);
          if (/^[1-9][0-9]{0,15}$/.test(q)) match.orWhere('o.id', Number(q));
        });
      }
      if (filter.status) query.where('o.status', filter.status);
      if (filter.userId !== undefined) query.where('o.user_id', filter.userId);
      if (filter.created.gte) query.where('o.created_at', '>=', filter.created.gte);
      if (filter.created.lt) query.where('o.created_at', '<', filter.created.lt);
      if (filter.created.lte) query.where('o.created_at', '<=', filter.created.lte);
      if (filter.beforeId !== undefined) query.where('o.id', '<', filter.beforeId);
      return query;
    },

    findUserEmail(userId: number): Promise<{ email: string } | undefined> {
      return db('users').where({ id: userId }).first('email');
    },

    payments(orderId: number): Promise<PaymentAttemptRow[]> {
      return db('payments')
        .where({ order_id: orderId })
        .orderBy('id')
        .select(
          'kind',
          'status',
          'amount',
          'attempts',
          'last_error',
          'gateway_key',
          'gateway_payment_key',
          'created_at',
          'updated_at',
        );
    },

    stockMoves(
      orderId: number,
    ): Promise<{ product_id: number; kind: string; quantity: number; created_at: Date }[]> {
      return db('stock_ledger')
        .where({ order_id: orderId })
        .orderBy('id')
        .select('product_id', 'kind', 'quantity', 'created_at');
    },
  };
}
