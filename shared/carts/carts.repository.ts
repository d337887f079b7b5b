import type { Knex } from 'knex';
import { MAX_LINE_QUANTITY } from './cart-limits';

/** Whose cart: a signed-in user's, or a guest's by its X-Cart-Id. */
export type CartOwnerKey = { userId: number } | { guestId: string };

/**
 * A cart row. `version` is `updated_at` in epoch milliseconds: every write moves it strictly forward
 * (see nextCartVersion), so together with the id it orders the states of a cart for the Redis copy.
 */
export interface CartRow {
  id: number;
  guestId: string | null;
  version: number;
}

export interface CartLine {
  productId: number;
  quantity: number;
}

/** A committed state of a cart as MySQL holds it. */
export interface CartSnapshot extends CartRow {
  lines: CartLine[];
}

interface CartRecord {
  id: number | string;
  guest_id: string | null;
  updated_at: Date;
}

interface SnapshotRecord extends CartRecord {
  product_id: number | string | null;
  quantity: number | null;
}

const toRow = (record: CartRecord): CartRow => ({
  id: Number(record.id),
  guestId: record.guest_id,
  version: record.updated_at.getTime(),
});

const ownerWhere = (owner: CartOwnerKey): Record<string, string | number> =>
  'userId' in owner ? { user_id: owner.userId } : { guest_id: owner.guestId };

/** The next version of a cart: now, but always past the last one, even within a millisecond or after a clock step back. */
export const nextCartVersion = (current: number): number => Math.max(Date.now(), current + 1);

/**
 * The only code that writes carts and cart_items: the durable copy of every cart. Writers lock the cart
 * row first (lockCart), so all writes to one cart are serialised and each sees the one before it.
 */
export function cartsRepository(db: Knex) {
  return {
    /** Reads and locks the owner's cart row; undefined when there is none. */
    async lockCart(trx: Knex.Transaction, owner: CartOwnerKey): Promise<CartRow | undefined> {
      const record = (await trx('carts')
        .where(ownerWhere(owner))
        .forUpdate()
        .first('id', 'guest_id', 'updated_at')) as CartRecord | undefined;
      return record && toRow(record);
    },

    /**
     * Creates a user's cart row in its own statement, outside any transaction. Concurrent first writes of
     * one user race here; the loser gets a duplicate key, which is fine: the row exists either way. (Creating
     * it inside the writing transaction after a locking read deadlocks under concurrency on the unique
     * index's gap lock.)
     */
    async createUserCart(userId: number, at: Date): Promise<void> {
      try {
        await db('carts').insert({ user_id: userId, created_at: at, updated_at: at });
      } catch (error) {
        if ((error as { code?: string }).code !== 'ER_DUP_ENTRY') throw error;
      }
    },

    async createGuestCart(trx: Knex.Transaction, guestId: string, at: Date): Promise<CartRow> {
      const [id] = await trx('carts').insert({ guest_id: guestId, created_at: at, updated_at: at });
      return { id: Number(id), guestId, version: at.getTime() };
    },

    async setVersion(trx: Knex.Transaction, cartId: number, version: number): Promise<void> {
      await trx('carts')
        .where({ id: cartId })
        .update({ updated_at: new Date(version) });
    },

    /** Adds to a line, creating it if needed; the sum is capped at MAX_LINE_QUANTITY by MySQL itself. */
    async addQuantity(
      trx: Knex.Transaction,
      cartId: number,
      productId: number,
      quantity: number,
      at: Date,
    ): Promise<void> {
      await trx.raw(
        `INSERT INTO cart_items (cart_id, product_id, quantity, added_at, updated_at) VALUES (?, ?, LEAST(?, ?), ?, ?)
         ON DUPLICATE KEY UPDATE quantity = LEAST(quantity + ?, ?), updated_at = ?`,
        [cartId, productId, quantity, MAX_LINE_QUANTITY, at, at, quantity, MAX_LINE_QUANTITY, at],
      );
    },

    /** Sets lines to the given quantities, creating the missing ones. */
    async upsertLines(trx: Knex.Transaction, cartId: number, lines: CartLine[], at: Date): Promise<void> {
      if (lines.length === 0) return;
      await trx('cart_items')
        .insert(
          lines.map((line) => ({
            cart_id: cartId,
            product_id: line.productId,
            quantity: line.quantity,
            added_at: at,
            updated_at: at,
          })),
        )
        .onConflict(['cart_id', 'product_id'])
        .merge(['quantity', 'updated_at']);
    },

    async removeLines(trx: Knex.Transaction, cartId: number, productIds: number[]): Promise<number> {
      if (productIds.length === 0) return 0;
      return trx('cart_items').where({ cart_id: cartId }).whereIn('product_id', productIds).delete();
    },

    async clearLines(trx: Knex.Transaction, cartId: number): Promise<number> {
      return trx('cart_items').where({ cart_id: cartId }).delete();
    },

    async listLines(trx: Knex.Transaction, cartId: number): Promise<CartLine[]> {
      const rows = (await trx('cart_items')
        .where({ cart_id: cartId })
        .orderBy('product_id')
        .select('product_id', 'quantity')) as { product_id: number | string; quantity: number }[];
      return rows.map((row) => ({ productId: Number(row.product_id), quantity: row.quantity }));
    },

    /** Deletes a cart row; its lines go with it (ON DELETE CASCADE). */
    async deleteCart(trx: Knex.Transaction, cartId: number): Promise<void> {
      await trx('carts').where({ id: cartId }).delete();
    },

    /** The owner's cart and all its lines in one SELECT (what a Redis miss rebuilds from). */
    async loadSnapshot(owner: CartOwnerKey, trx?: Knex.Transaction): Promise<CartSnapshot | undefined> {
      const where = 'userId' in owner ? { 'c.user_id': owner.userId } : { 'c.guest_id': owner.guestId };
      const records = (await (trx ?? db)('carts as c')
        .leftJoin('cart_items as i', 'i.cart_id', 'c.id')
        .where(where)
        .orderBy('i.product_id')
        .select('c.id', 'c.guest_id', 'c.updated_at', 'i.product_id', 'i.quantity')) as SnapshotRecord[];
      const first = records[0];
      if (!first) return undefined;
      const lines: CartLine[] = [];
      for (const record of records) {
        if (record.product_id !== null && record.quantity !== null)
          lines.push({ productId: Number(record.product_id), quantity: record.quantity });
      }
      return { ...toRow(first), lines };
    },

    /** Deletes up to `limit` guest carts idle since before `idleSince`; returns how many went. */
    async purgeIdleGuestCarts(idleSince: Date, limit = 1000): Promise<number> {
      return db('carts').whereNull('user_id').where('updated_at', '<', idleSince).limit(limit).delete();
    },
  };
}

export type CartsRepository = ReturnType<typeof cartsRepository>;
