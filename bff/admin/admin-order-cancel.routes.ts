import { Router } from 'express';
import { NotFoundError } from '../../shared/errors';
import { ordersRepository } from '../../shared/orders/orders.repository';
import { auditRepository } from '../audit/audit.repository';
import type { BffContext } from '../context';
import { requireAdmin } from '../http/identity';
import { parseInput } from '../http/validate';
import { cancelAnswer, ordersService } from '../orders/orders.service';
import { idParams } from './admin.schemas';

/**
 * POST /api/admin/orders/:id/cancel — an admin cancels any user's order. The very cancel the customer's route
 * makes (the orders service's cancel: the repository's requestCancel statement, then the cancel job), done on
 * behalf of the order's owner, plus an audit row naming the admin. Same answers as POST /api/orders/:id/cancel.
 */
export function adminOrderCancelRoutes(ctx: BffContext): Router {
  const orders = ordersService(ctx, {
    // A cancel never reads a cart.
    cartLines: async () => [],
    events: ctx.orderEvents,
  });
  const reads = ordersRepository(ctx.db);
  const audit = auditRepository(ctx.db);
  const router = Router();

  router.post('/api/admin/orders/:id/cancel', async (req, res) => {
    const { userId: adminId } = requireAdmin(req);
    const { id } = parseInput(idParams, req.params, 'order id');
    const before = await reads.findById(id);
    if (!before) throw new NotFoundError('Order not found');
    const order = await orders.cancel(Number(before.user_id), id);
    await audit.record({
      actorUserId: adminId,
      action: 'order.cancel',
      entityType: 'order',
      entityId: id,
      before: { status: before.status },
      after: { status: order.status },
    });
    res.status(202).json(cancelAnswer(id, order));
  });

  return router;
}
