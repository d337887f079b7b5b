import type { Knex } from 'knex';
import { MAX_UNSIGNED_INT } from './products.schemas';

export type StockAdjustmentOutcome =
  | { applied: true; ledgerId: number }
  | { applied: false; reason: 'would_be_negative' | 'out_of_range' | 'not_found' };

/**
 * Admin stock adjustments: the conditional stock change and its stock_ledger row (kind `adjust`, no
 * order), in the caller's transaction. The condition is written per sign because `stock` is UNSIGNED:
 * `stock + ?` with a negative value would be an out-of-range error, not a false condition.
 */
export function stockAdjustmentsRepository() {
  return {
    async adjust(
      trx: Knex.Transaction,
      adjustment: { productId: number; delta: number; reason: string; actorUserId: number },
    ): Promise<StockAdjustmentOutcome> {
      const { productId, delta } = adjustment;
      const query = trx('products').where({ id: productId });
      const updated =
        delta < 0
          ? await query.where('stock', '>=', -delta).update({ stock: trx.raw('stock - ?', [-delta]) })
          : await query
              .where('stock', '<=', MAX_UNSIGNED_INT - delta)
              .update({ stock: trx.raw('stock + ?', [delta]) });
      if (updated !== 1) {
        const exists = await trx('products').where({ id: productId }).first('id');
        if (!exists) return { applied: false, reason: 'not_found' };
        return { applied: false, reason: delta < 0 ? 'would_be_negative' : 'out_of_range' };
      }
      const [ledgerId] = await trx('stock_ledger').insert({
        order_id: null,
        product_id: productId,
        kind: 'adjust',
        quantity: delta,
        reason: adjustment.reason,
        actor_user_id: adjustment.actorUserId,
      });
      return { applied: true, ledgerId: Number(ledgerId) };
    },
  };
}
