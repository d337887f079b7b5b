import type { Knex } from 'knex';
import type { UserRole, UserStatus } from '../../shared/models/user.model';
import type { InstantBounds } from './date-range';

export interface AdminUserRow {
  id: number;
  email: string;
  name: string | null;
  phone: string | null;
  phone_verified_at: Date | null;
  role: UserRole;
  status: UserStatus;
  created_at: Date;
  updated_at: Date;
}

export interface UserOrderTotals {
  placed: number;
  confirmed: number;
  refunded: number;
  grossSpent: number;
  refundedAmount: number;
  lastOrderAt: Date | null;
}

const USER_COLUMNS = [
  'id',
  'email',
  'name',
  'phone',
  'phone_verified_at',
  'role',
  'status',
  'created_at',
  'updated_at',
];

/** LIKE 'prefix%' with the user's own % and _ taken literally ('!' is the escape character). */
export const likePrefix = (text: string): string => `${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;

/** Reads for the admin user pages; writes go through the users and refresh-token repositories. */
export function adminUsersRepository(db: Knex) {
  return {
    /**
     * Newest first, keyset-paginated on id. The search is a prefix match on email (unique index), phone
     * (index) or name (no index: matched row by row while walking ids down).
     */
    search(filter: {
      q?: string;
      role?: UserRole;
      status?: UserStatus;
      created: InstantBounds;
      beforeId?: number;
      limit: number;
    }): Promise<AdminUserRow[]> {
      const query = db('users')
        .select(USER_COLUMNS)
        .orderBy('id', 'desc')
        .limit(filter.limit + 1);
      if (filter.q) {
        const pattern = likePrefix(filter.q);
        query.where((where) =>
          where
            .whereRaw("email LIKE ? ESCAPE '!'", [pattern])
            .orWhereRaw("phone LIKE ? ESCAPE '!'", [pattern])
            .orWhereRaw("name LIKE ? ESCAPE '!'", [pattern]),
        );
      }
      if (filter.role) query.where('role', filter.role);
      if (filter.status) query.where('status', filter.status);
      if (filter.created.gte) query.where('created_at', '>=', filter.created.gte);
      if (filter.created.lt) query.where('created_at', '<', filter.created.lt);
      if (filter.created.lte) query.where('created_at', '<=', filter.created.lte);
      if (filter.beforeId !== undefined) query.where('id', '<', filter.beforeId);
      return query;
    },

    findById(id: number): Promise<AdminUserRow | undefined> {
      return db('users').where({ id }).first(USER_COLUMNS);
    },

    /**
     * A confirmed order is one that was paid (confirmed_at set, whatever happened after); a refunded one was
     * paid and then cancelled (cancelled_at set: the refund went through). One pass over the user's orders
     * through the (user_id, id) index.
     */
    async orderTotals(userId: number): Promise<UserOrderTotals> {
      const row = (await db('orders')
        .where({ user_id: userId })
        .first(
          db.raw('COUNT(*) AS placed'),
          db.raw('COALESCE(SUM(confirmed_at IS NOT NULL), 0) AS confirmed'),
          db.raw('COALESCE(SUM(confirmed_at IS NOT NULL AND cancelled_at IS NOT NULL), 0) AS refunded'),
          db.raw('COALESCE(SUM(CASE WHEN confirmed_at IS NOT NULL THEN total END), 0) AS gross'),
          db.raw(
            'COALESCE(SUM(CASE WHEN confirmed_at IS NOT NULL AND cancelled_at IS NOT NULL THEN total END), 0) AS refunds',
          ),
          db.raw('MAX(created_at) AS last_order_at'),
        )) as {
        placed: number | string;
        confirmed: number | string;
        refunded: number | string;
        gross: number | string;
        refunds: number | string;
        last_order_at: Date | null;
      };
      return {
        placed: Number(row.placed),
        confirmed: Number(row.confirmed),
        refunded: Number(row.refunded),
        grossSpent: Number(row.gross),
        refundedAmount: Number(row.refunds),
        lastOrderAt: row.last_order_at,
      };
    },

    /** Logins that can still refresh: neither revoked, rotated away, nor expired. */
    async activeSessions(userId: number): Promise<number> {
      const row = (await db('refresh_tokens')
        .where({ user_id: userId })
        .whereNull('revoked_at')
        .whereNull('used_at')
        .where('expires_at', '>', new Date())
        .count({ n: '*' })
        .first()) as { n: number | string };
      return Number(row.n);
    },
  };
}
