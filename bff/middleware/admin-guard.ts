import type { RequestHandler } from 'express';
import { ForbiddenError } from '../../shared/errors';
import type { BffContext } from '../context';
import { requireAdmin } from '../http/identity';
import { usersRepository } from '../users/users.repository';

/**
 * Admin paths check the caller against the users table, not only the token's role claim: an admin who was
 * demoted or suspended loses admin access at once, instead of when the access token expires. The gateway
 * has already refused non-admin tokens; this is one indexed lookup on low-volume routes.
 */
export function adminGuard(ctx: Pick<BffContext, 'db'>): RequestHandler {
  const users = usersRepository(ctx.db);
  return async (req, _res, next) => {
    const { userId } = requireAdmin(req);
    const actor = await users.findById(userId);
    if (!actor || actor.role !== 'admin' || actor.status !== 'active') {
      throw new ForbiddenError('This account no longer has admin access');
    }
    next();
  };
}
