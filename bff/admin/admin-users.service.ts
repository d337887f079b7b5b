import { withTransaction, type Knex } from '../../shared/db';
import { NotFoundError, unavailableOnFailure } from '../../shared/errors';
import type { UserRole, UserStatus } from '../../shared/models/user.model';
import { sessionRevocations } from '../../shared/session-revocation';
import { auditRepository } from '../audit/audit.repository';
import { refreshTokensRepository } from '../auth/refresh-tokens.repository';
import type { BffContext } from '../context';
import { usersRepository } from '../users/users.repository';
import { CannotDemoteSelfError, CannotSuspendSelfError } from './admin.errors';
import type { ListUsersQuery } from './admin.schemas';
import { adminUsersRepository, type AdminUserRow } from './admin-users.repository';
import { instantBounds } from './date-range';
import { decodeIdCursor, pageOf } from '../http/keyset-cursor';

export interface AdminUserView {
  id: number;
  email: string;
  name: string | null;
  phone: string | null;
  phoneVerified: boolean;
  role: UserRole;
  status: UserStatus;
  createdAt: Date;
  updatedAt: Date;
}

const toView = (row: AdminUserRow): AdminUserView => ({
  id: Number(row.id),
  email: row.email,
  name: row.name,
  phone: row.phone,
  phoneVerified: row.phone_verified_at !== null,
  role: row.role,
  status: row.status,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * User management for admins. Every change runs in one transaction with the user's row locked and its audit
 * row (actor, before, after, request id) written in the same transaction.
 *
 * A suspension or role change also voids the user's access tokens at the gateway (a per-user revocation
 * cutoff in Redis, shared/session-revocation.ts), written inside the transaction once the row is changed
 * (for a suspension, after revoking the refresh tokens, which waits for a refresh in flight to commit): when
 * Redis cannot record it the change rolls back and the admin gets a 503 to retry.
 */
export function adminUsersService(ctx: Pick<BffContext, 'db' | 'config' | 'redis'>) {
  const reads = adminUsersRepository(ctx.db);
  const audit = auditRepository(ctx.db);
  const revocations = sessionRevocations(ctx);
  const revokeAccessTokens = (userId: number) =>
    unavailableOnFailure('The session store', 1, () => revocations.revokeUser(userId));

  async function lockUser(id: number, trx: Knex.Transaction) {
    const user = await usersRepository(trx).findByIdForUpdate(id, trx);
    if (!user) throw new NotFoundError(`User ${id} not found`);
    return user;
  }

  /** The row as this transaction sees it (after its own change). */
  const viewIn = async (id: number, trx: Knex.Transaction) =>
    toView((await adminUsersRepository(trx).findById(id))!);

  async function setStatus(
    actorUserId: number,
    userId: number,
    status: UserStatus,
  ): Promise<{ user: AdminUserView; revokedSessions: number }> {
    return withTransaction(ctx.db, async (trx) => {
      const user = await lockUser(userId, trx);
      if (user.status === status) return { user: await viewIn(userId, trx), revokedSessions: 0 };
      await usersRepository(trx).setStatus(userId, status, trx);
      // Suspension ends every login at once: refresh tokens here, access tokens at the gateway.
      const revokedSessions =
        status === 'suspended' ? await refreshTokensRepository(trx).revokeAllForUser(userId) : 0;
      if (status === 'suspended') await revokeAccessTokens(userId);
      await audit.record(
        {
          actorUserId,
          action: status === 'suspended' ? 'user.suspend' : 'user.reactivate',
          entityType: 'user',
          entityId: userId,
          before: { status: user.status },
          after: { status, ...(status === 'suspended' ? { revokedSessions } : {}) },
        },
        trx,
      );
      return { user: await viewIn(userId, trx), revokedSessions };
    });
  }

  return {
    async list(query: ListUsersQuery) {
      const rows = await reads.search({
        q: query.q,
        role: query.role,
        status: query.status,
        created: instantBounds(query, ctx.config.SHOP_TIME_ZONE),
        beforeId: query.cursor ? decodeIdCursor(query.cursor) : undefined,
        limit: query.limit,
      });
      const { page, nextCursor } = pageOf(rows, query.limit);
      return {
        items: page.map((row) => ({ ...toView(row), links: { self: `/api/admin/users/${row.id}` } })),
        nextCursor,
      };
    },

    /** The account, its order totals (see {@link adminUsersRepository}) and its live logins. */
    async detail(userId: number) {
      const user = await reads.findById(userId);
      if (!user) throw new NotFoundError(`User ${userId} not found`);
      const [orders, activeSessions] = await Promise.all([
        reads.orderTotals(userId),
        reads.activeSessions(userId),
      ]);
      return {
        user: toView(user),
        orders: { ...orders, totalSpent: orders.grossSpent - orders.refundedAmount },
        activeSessions,
        links: { orders: `/api/admin/orders?userId=${userId}` },
      };
    },

    /** Changes the role; an admin cannot demote themself (so at least one admin always remains). */
    async changeRole(
      actorUserId: number,
      userId: number,
      role: UserRole | undefined,
    ): Promise<AdminUserView> {
      if (actorUserId === userId && role !== undefined && role !== 'admin')
        throw new CannotDemoteSelfError('You cannot remove your own admin role; ask another admin');
      return withTransaction(ctx.db, async (trx) => {
        const user = await lockUser(userId, trx);
        if (role === undefined || user.role === role) return viewIn(userId, trx);
        await usersRepository(trx).setRole(userId, role, trx);
        // Tokens issued before carry the old role claim (a demoted admin's still says admin).
        await revokeAccessTokens(userId);
        await audit.record(
          {
            actorUserId,
            action: 'user.role.change',
            entityType: 'user',
            entityId: userId,
            before: { role: user.role },
            after: { role },
          },
          trx,
        );
        return viewIn(userId, trx);
      });
    },

    /** Suspends the account, revokes all its refresh tokens and voids its access tokens at the gateway. */
    async suspend(actorUserId: number, userId: number) {
      if (actorUserId === userId) throw new CannotSuspendSelfError('You cannot suspend your own account');
      return setStatus(actorUserId, userId, 'suspended');
    },

    async reactivate(actorUserId: number, userId: number) {
      return setStatus(actorUserId, userId, 'active');
    },
  };
}
