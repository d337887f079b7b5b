import type { JobHandlers } from '../../queues/define-queue';
import type { PaymentJobs } from '../../queues/payments.queue';
import type { WorkerContext } from '../context';
import { orderSteps } from '../orders/order-steps';
import { paymentsService } from './payments.service';

export function paymentHandlers(ctx: WorkerContext): JobHandlers<PaymentJobs> {
  const payments = paymentsService(ctx.db, ctx.sqlBatches, ctx.paymentGateway);
  const steps = orderSteps(ctx);

  return {
    charge: async (job) => {
      const { orderId } = job.data;
      const outcome = await payments.charge(orderId);
      // The hand-offs after a charge are independent of each other: sent together, waited for once.
      if (outcome.kind === 'confirmed') {
        await Promise.all([
          steps.announce(orderId, 'CONFIRMED'),
          steps.countConfirmed(orderId),
          outcome.fromCart ? steps.clearCart(orderId) : undefined,
        ]);
      }
      if (outcome.kind === 'cancel-requested') {
        // A charge that went through before the cancel was seen counts as a sale until its refund.
        await Promise.all([
          steps.announce(orderId, 'CANCEL_REQUESTED'),
          outcome.charged ? steps.countConfirmed(orderId) : undefined,
          steps.refund(orderId),
        ]);
      }
      if (outcome.kind === 'declined') {
        await Promise.all([
          steps.announce(orderId, 'PAYMENT_FAILED', outcome.reason),
          steps.releaseStock(orderId),
        ]);
      }
      return outcome;
    },

    refund: async (job) => {
      const { orderId } = job.data;
      const outcome = await payments.refund(orderId);
      // Refunded, or never charged: the reserved stock goes back and the order ends CANCELLED.
      if (outcome.kind !== 'skipped') await steps.releaseStock(orderId);
      return outcome;
    },
  };
}
