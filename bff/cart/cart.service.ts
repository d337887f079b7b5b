import type { Config } from '../../shared/config';
import { GUEST_CART_IDLE_SECONDS, USER_CART_CACHE_SECONDS } from '../../shared/carts/cart-limits';
import { NO_CART, type StoredCart } from '../../shared/carts/cart-store';
import {
  cartWriter,
  redisCall,
  UserCartMissing,
  isMissingReference,
  type CartOwner,
} from '../../shared/carts/cart-writer';
import {
  nextCartVersion,
  type CartLine,
  type CartOwnerKey,
  type CartSnapshot,
} from '../../shared/carts/carts.repository';
import { withTransaction } from '../../shared/db';
import { NotFoundError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import {
  availabilityOf,
  getProductSummaries,
  type Availability,
  type ProductSummary,
} from '../../shared/product-cache';
import type { Redis } from '../../shared/redis';
import type { Knex } from 'knex';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from './cart.schemas';

export type { CartOwner };
export { GUEST_CART_IDLE_SECONDS, USER_CART_CACHE_SECONDS };

const EMPTY_LINES: CartLine[] = [];

/** How long the tombstone of a merged guest cart keeps late writes from reviving it in Redis. */
const TOMBSTONE_SECONDS = 24 * 3600;

export interface CartLineView {
  productId: number;
  /** Null only when the product row no longer exists at all. */
  name: string | null;
  unitPrice: number;
  quantity: number;
  /** unitPrice × quantity; 0 for a removed product. */
  lineTotal: number;
  availability: Availability;
  imageUrl: string | null;
}

export interface CartView {
  /** The guest cart's id (also sent as the X-Cart-Id header); absent for a user's cart or when there is no cart. */
  cartId?: string;
  lines: CartLineView[];
  /** Units across lines that can be bought (removed products excluded). */
  totalQuantity: number;
  /** Number of lines, removed products included. */
  itemCount: number;
  /** Sum of lineTotal, in won; removed products do not count. */
  total: number;
}

export interface MergeResult extends CartView {
  /** Guest lines that did not fit under the line limit (merge is best effort, never a failed login). */
  notMerged?: number[];
}

/**
 * Carts: Redis serves every read (a hash per cart plus the cached product summaries), MySQL keeps the
 * durable copy. A write locks the cart row, changes MySQL, drops the Redis key (still under the lock,
 * before the commit), commits, then writes MySQL's resulting state to Redis if it is newer than what
 * Redis holds. So Redis is either MySQL's latest state or missing (and rebuilt from MySQL on the next read),
 * whatever order concurrent writes and rebuilds reach it in. docs/cart.md has the reasoning.
 */
export function cartService(deps: {
  db: Knex;
  redis: Redis;
  config: Pick<Config, 'REDIS_PREFIX'>;
  logger: Logger;
}) {
  const writer = cartWriter({
    db: deps.db,
    redis: deps.redis,
    prefix: deps.config.REDIS_PREFIX,
    logger: deps.logger,
  });
  const { repository, store, isIdle, redisTtl, withRetries, lockCart, writeCart, applyCommitted } = writer;
  const productDeps = { db: deps.db, redis: deps.redis, prefix: deps.config.REDIS_PREFIX };

  function renderView(
    lines: CartLine[],
    summaries: Map<number, ProductSummary>,
    cartId: string | undefined,
  ): CartView {
    const views: CartLineView[] = [];
    let totalQuantity = 0;
    let total = 0;
    for (const { productId, quantity } of lines) {
      const summary = summaries.get(productId);
      if (!summary) {
        views.push({
          productId,
          name: null,
          unitPrice: 0,
          quantity,
          lineTotal: 0,
          availability: 'removed',
          imageUrl: null,
        });
        continue;
      }
      const availability = availabilityOf(summary, quantity);
      const lineTotal = availability === 'removed' ? 0 : summary.price * quantity;
      if (availability !== 'removed') {
        totalQuantity += quantity;
        total += lineTotal;
      }
      views.push({
        productId,
        name: summary.name,
        unitPrice: summary.price,
        quantity,
        lineTotal,
        availability,
        imageUrl: summary.imageUrl,
      });
    }
    return {
      ...(cartId === undefined ? {} : { cartId }),
      lines: views,
      totalQuantity,
      itemCount: views.length,
      total,
    };
  }

  async function buildView(lines: CartLine[], cartId: string | undefined): Promise<CartView> {
    if (lines.length === 0) return renderView(lines, new Map(), cartId);
    const ids = lines.map((line) => line.productId);
    return renderView(lines, await redisCall(() => getProductSummaries(productDeps, ids)), cartId);
  }

  /** Rebuilds Redis's copy from MySQL (one SELECT) after a miss. Undefined: the guest has no cart. */
  async function rebuildCart(owner: CartOwnerKey, key: string): Promise<StoredCart | undefined> {
    const snapshot = await repository.loadSnapshot(owner);
    if ('guestId' in owner) {
      // Unknown guest ids are not cached: anyone can invent them, and they would only fill Redis.
      if (!snapshot || isIdle(snapshot.version)) return undefined;
    }
    const cart: StoredCart = snapshot ? { ...snapshot, gone: false } : NO_CART;
    await redisCall(() =>
      store.applyIfNewer(key, cart, snapshot ? redisTtl(snapshot) : USER_CART_CACHE_SECONDS),
    );
    return cart;
  }

  /**
   * The hot path: the cart and its products' summaries in one Redis round trip. Summaries missing from the
   * cache go through getProductSummaries (which loads and caches them); a missing cart is rebuilt.
   */
  async function readView(owner: CartOwner): Promise<CartView> {
    let ownerKey: CartOwnerKey;
    if (owner.kind === 'user') ownerKey = { userId: owner.userId };
    else if (owner.guestId !== undefined) ownerKey = { guestId: owner.guestId };
    else return renderView(EMPTY_LINES, new Map(), undefined);
    const cartId = owner.kind === 'guest' ? owner.guestId : undefined;
    const key = store.keyOf(ownerKey);

    const hit = await redisCall(() => store.readWithSummaries(key));
    if (hit) {
      if (hit.cart.gone) return renderView(EMPTY_LINES, new Map(), undefined);
      if (hit.missing.length > 0) {
        const loaded = await redisCall(() => getProductSummaries(productDeps, hit.missing));
        for (const [id, summary] of loaded) hit.summaries.set(id, summary);
      }
      return renderView(hit.cart.lines, hit.summaries, cartId);
    }
    const cart = await rebuildCart(ownerKey, key);
    return buildView(cart?.lines ?? EMPTY_LINES, cart ? cartId : undefined);
  }

  async function viewAfterWrite(
    owner: CartOwner,
    outcome: CartSnapshot | 'unchanged' | undefined,
  ): Promise<CartView> {
    if (outcome === undefined || outcome === 'unchanged') return readView(owner);
    return buildView(outcome.lines, outcome.guestId ?? undefined);
  }

  async function assertProductAddable(productId: number): Promise<void> {
    const summaries = await redisCall(() => getProductSummaries(productDeps, [productId]));
    const summary = summaries.get(productId);
    if (!summary || summary.status !== 'active') throw new NotFoundError(`Product ${productId} not found`);
  }

  const notInCart = (productId: number) => new NotFoundError(`Product ${productId} is not in the cart`);

  async function removeItem(owner: CartOwner, productId: number): Promise<CartView> {
    const outcome = await writeCart(
      owner,
      { create: false },
      async (trx, cart) => (await repository.removeLines(trx, cart.id, [productId])) > 0,
    );
    return viewAfterWrite(owner, outcome);
  }

  return {
    /** The cart as the client sees it; warm, this is two Redis round trips and no SQL. */
    getCart: readView,

    /**
     * Adds `quantity` units, merging with an existing line; the sum is capped at 99 (not refused). A guest
     * without a cart (or with an unknown or expired id) gets a new cart, whose id is in the result.
     */
    async addItem(owner: CartOwner, productId: number, quantity: number): Promise<CartView> {
      await assertProductAddable(productId);
      const outcome = await writeCart(owner, { create: true }, async (trx, cart, at) => {
        try {
          await repository.addQuantity(trx, cart.id, productId, quantity, at);
        } catch (error) {
          // The product row vanished between the check and the insert.
          if (isMissingReference(error)) throw new NotFoundError(`Product ${productId} not found`);
          throw error;
        }
        return true;
      });
      return viewAfterWrite(owner, outcome);
    },

    /** Sets a line's quantity; 0 removes it. The line must be in the cart (404 otherwise). */
    async setQuantity(owner: CartOwner, productId: number, quantity: number): Promise<CartView> {
      if (quantity === 0) return removeItem(owner, productId);
      const outcome = await writeCart(owner, { create: false }, async (trx, cart, at) => {
        const lines = await repository.listLines(trx, cart.id);
        if (!lines.some((line) => line.productId === productId)) throw notInCart(productId);
        await repository.upsertLines(trx, cart.id, [{ productId, quantity }], at);
        return true;
      });
      if (outcome === undefined) throw notInCart(productId);
      return viewAfterWrite(owner, outcome);
    },

    /** Removes a line; removing one that is not there is a no-op that returns the cart. */
    removeItem,

    /** Empties the cart (the cart itself, and a guest's id, stay). */
    async clear(owner: CartOwner): Promise<CartView> {
      const outcome = await writeCart(
        owner,
        { create: false },
        async (trx, cart) => (await repository.clearLines(trx, cart.id)) > 0,
      );
      return viewAfterWrite(owner, outcome);
    },

    /**
     * Moves a guest cart into the user's: quantities summed and capped at 99, new lines added while the
     * line limit allows (the rest reported in `notMerged`), then the guest cart is deleted from both stores.
     * No such guest cart (already merged, expired, unknown) → the user's cart, unchanged.
     */
    async merge(userId: number, guestId: string): Promise<MergeResult> {
      const owner: CartOwner = { kind: 'user', userId };
      const outcome = await withRetries(() =>
        withTransaction(deps.db, async (trx) => {
          // Always the user's row first, then the guest's: one lock order, no deadlock between merges.
          const userCart = await lockCart(trx, owner);
          if (!userCart) throw new UserCartMissing(userId);
          const guestCart = await lockCart(trx, { kind: 'guest', guestId });
          if (!guestCart) return undefined;

          const merged = new Map<number, number>();
          for (const line of await repository.listLines(trx, userCart.id))
            merged.set(line.productId, line.quantity);
          const changes: CartLine[] = [];
          const notMerged: number[] = [];
          for (const line of await repository.listLines(trx, guestCart.id)) {
            const current = merged.get(line.productId);
            if (current === undefined && merged.size >= MAX_CART_LINES) {
              notMerged.push(line.productId);
              continue;
            }
            const quantity = Math.min((current ?? 0) + line.quantity, MAX_LINE_QUANTITY);
            merged.set(line.productId, quantity);
            if (quantity !== current) changes.push({ productId: line.productId, quantity });
          }

          const version = nextCartVersion(userCart.version);
          await repository.upsertLines(trx, userCart.id, changes, new Date(version));
          await repository.setVersion(trx, userCart.id, version);
          await repository.deleteCart(trx, guestCart.id);
          const lines = await repository.listLines(trx, userCart.id);
          const userKey = store.keyOf({ userId });
          const guestKey = store.keyOf({ guestId });
          await redisCall(() => store.invalidate(userKey, guestKey));
          return {
            user: { ...userCart, version, lines },
            tombstone: {
              id: guestCart.id,
              version: nextCartVersion(guestCart.version),
              gone: true,
              lines: [],
            },
            userKey,
            guestKey,
            notMerged,
          };
        }),
      );
      if (!outcome) return readView(owner);
      await applyCommitted(outcome.userKey, { ...outcome.user, gone: false }, USER_CART_CACHE_SECONDS);
      await applyCommitted(outcome.guestKey, outcome.tombstone, TOMBSTONE_SECONDS);
      const view = await buildView(outcome.user.lines, undefined);
      return outcome.notMerged.length > 0 ? { ...view, notMerged: outcome.notMerged } : view;
    },

    /**
     * For placing an order: the user's cart lines (productId, quantity) as MySQL holds them, by product id.
     * Prices and availability are not here on purpose: an order prices from the products table.
     */
    async getLines(userId: number): Promise<CartLine[]> {
      return (await repository.loadSnapshot({ userId }))?.lines ?? [];
    },

    /**
     * For placing an order: removes whole lines from the user's cart in both stores (call it after the
     * order's own commit). Products not in the cart are ignored; a missing cart is a no-op.
     */
    removeLines: writer.removeUserLines,

    /**
     * Deletes guest carts idle for longer than GUEST_CART_IDLE_SECONDS, in batches; for a periodic job.
     * Their Redis copies have lapsed by then (same idle window as their TTL).
     */
    async purgeIdleGuestCarts(batchSize = 1000): Promise<number> {
      const idleSince = new Date(Date.now() - GUEST_CART_IDLE_SECONDS * 1000);
      let purged = 0;
      for (;;) {
        const deleted = await repository.purgeIdleGuestCarts(idleSince, batchSize);
        purged += deleted;
        if (deleted < batchSize) return purged;
      }
    },
  };
}

export type CartService = ReturnType<typeof cartService>;
