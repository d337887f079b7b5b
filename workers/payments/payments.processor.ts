import type { JobHandlers } from '../../queues/define-queue';
import type { PaymentJobs } from '../../queues/payments.queue';
import type { WorkerContext } from '../context';
import { orderSteps } from '../orders/order-steps';
import { paymentsService } from './payments.service';

export function paymentHandlers(ctx: WorkerContext): JobHandlers<PaymentJobs> {
  const payments = paymentsService(ctx.db, ctx.paymentGateway);
  const steps = orderSteps(ctx);

  return {
    charge: async (job) => {
      const { orderId } = job.data;
      const outcome = await payments.charge(orderId);
      if (outcome.kind === 'confirmed') {
        await steps.announce(orderId, 'CONFIRMED');
        await steps.countConfirmed(orderId);
        if (outcome.fromCart) await steps.clearCart(orderId);
      }
      if (outcome.kind === 'declined') {
        await steps.announce(orderId, 'PAYMENT_FAILED', outcome.reason);
        await steps.releaseStock(orderId);
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
