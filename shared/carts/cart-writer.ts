import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { withTransaction } from '../db';
import { UnauthorizedError, UnprocessableError, unavailableOnFailure } from '../errors';
import type { Logger } from '../logger';
import type { Redis } from '../redis';
import { GUEST_CART_IDLE_SECONDS, MAX_CART_LINES, USER_CART_CACHE_SECONDS } from './cart-limits';
import { cartStore, type StoredCart } from './cart-store';
import {
  cartsRepository,
  nextCartVersion,
  type CartOwnerKey,
  type CartRow,
  type CartSnapshot,
} from './carts.repository';

/** Deadlocks are retried; a few attempts are plenty because every write locks the cart row first. */
const MAX_WRITE_ATTEMPTS = 8;

/** Whose cart a request is about. A guest without an id has no cart yet (the first add creates one). */
export type CartOwner = { kind: 'user'; userId: number } | { kind: 'guest'; guestId?: string };

export class CartFullError extends UnprocessableError {
  override readonly code = 'CART_FULL';
}

/** Raised inside a write when the user has no cart row yet; the row is created outside the transaction. */
export class UserCartMissing extends Error {
  constructor(readonly userId: number) {
    super(`user ${userId} has no cart row`);
  }
}

const isDeadlock = (error: unknown): boolean =>
  (error as { code?: string } | null)?.code === 'ER_LOCK_DEADLOCK';
export const isMissingReference = (error: unknown): boolean =>
  (error as { code?: string } | null)?.code === 'ER_NO_REFERENCED_ROW_2';

const newGuestCartId = (): string => randomBytes(24).toString('base64url');

/** Redis trouble on a request path is a 503 the client can retry, never a 500 or a hung request. */
export const redisCall = <T>(work: () => Promise<T>): Promise<T> =>
  unavailableOnFailure('The cart store', 2, work);

/**
 * The cart write protocol, shared by the BFF's cart service and the workers (which remove purchased lines
 * once an order is confirmed). A write locks the cart row, changes MySQL, drops the Redis key (still under
 * the lock, before the commit), commits, then writes MySQL's resulting state to Redis if it is newer than
 * what Redis holds. So Redis is either MySQL's latest state or missing (and rebuilt from MySQL on the next
 * read), whatever order concurrent writes and rebuilds reach it in. docs/cart.md has the reasoning.
 */
export function cartWriter(deps: { db: Knex; redis: Redis; prefix: string; logger: Logger }) {
  const repository = cartsRepository(deps.db);
  const store = cartStore(deps.redis, deps.prefix);

  const keyOwner = (owner: CartOwner & { kind: 'user' }): CartOwnerKey => ({ userId: owner.userId });
  const isIdle = (version: number): boolean => version < Date.now() - GUEST_CART_IDLE_SECONDS * 1000;
  const redisTtl = (cart: CartRow): number =>
    cart.guestId === null
      ? USER_CART_CACHE_SECONDS
      : (cart.version - Date.now()) / 1000 + GUEST_CART_IDLE_SECONDS;

  /** Retries deadlocks, and creates a user's cart row when a write found none. */
  async function withRetries<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        if (attempt >= MAX_WRITE_ATTEMPTS) throw error;
        if (error instanceof UserCartMissing) {
          try {
            await repository.createUserCart(error.userId, new Date());
          } catch (createError) {
            if (isMissingReference(createError)) throw new UnauthorizedError('This account no longer exists');
            throw createError;
          }
          continue;
        }
        if (!isDeadlock(error)) throw error;
        await sleep(Math.random() * 5 * attempt);
      }
    }
  }

  /** Locks the owner's cart row; an idle-expired guest cart is deleted here and counts as none. */
  async function lockCart(trx: Knex.Transaction, owner: CartOwner): Promise<CartRow | undefined> {
    if (owner.kind === 'user') return repository.lockCart(trx, keyOwner(owner));
    if (owner.guestId === undefined) return undefined;
    const cart = await repository.lockCart(trx, { guestId: owner.guestId });
    if (cart && isIdle(cart.version)) {
      await repository.deleteCart(trx, cart.id);
      return undefined;
    }
    return cart;
  }

  // A guest's key follows the cart row: a write may have given the guest a new cart (and id).
  const keyOfCart = (cart: CartRow, owner: CartOwner): string =>
    owner.kind === 'user' ? store.keyOf(keyOwner(owner)) : store.keyOf({ guestId: cart.guestId ?? '' });

  /**
   * One cart write: lock (or create) the cart row, `mutate` MySQL, move the version on, check the line
   * limit, drop the Redis key, commit; then put the committed state in Redis. Returns that state, or
   * 'unchanged' when `mutate` changed nothing, or undefined when there is no cart and `create` is false.
   */
  async function writeCart(
    owner: CartOwner,
    options: { create: boolean },
    mutate: (trx: Knex.Transaction, cart: CartRow, at: Date) => Promise<boolean>,
  ): Promise<CartSnapshot | 'unchanged' | undefined> {
    const outcome = await withRetries(() =>
      withTransaction(deps.db, async (trx) => {
        let cart = await lockCart(trx, owner);
        if (!cart) {
          if (!options.create) return undefined;
          if (owner.kind === 'user') throw new UserCartMissing(owner.userId);
          // Ids are only ever made here: an unknown or expired X-Cart-Id gets a fresh cart, never its own.
          cart = await repository.createGuestCart(trx, newGuestCartId(), new Date());
        }
        const version = nextCartVersion(cart.version);
        if (!(await mutate(trx, cart, new Date(version)))) return 'unchanged' as const;
        await repository.setVersion(trx, cart.id, version);
        const lines = await repository.listLines(trx, cart.id);
        if (lines.length > MAX_CART_LINES)
          throw new CartFullError(`A cart holds at most ${MAX_CART_LINES} different products`);
        // Dropped before the commit: should this process die before Redis gets the new state, the next
        // read finds no key and rebuilds from MySQL instead of serving the old state.
        await redisCall(() => store.invalidate(keyOfCart(cart, owner)));
        return { ...cart, version, lines };
      }),
    );
    if (outcome === undefined || outcome === 'unchanged') return outcome;
    await applyCommitted(keyOfCart(outcome, owner), { ...outcome, gone: false }, redisTtl(outcome));
    return outcome;
  }

  /** After a commit: a failure here leaves the key dropped, so reads rebuild from MySQL; the write stands. */
  async function applyCommitted(key: string, cart: StoredCart, ttlSeconds: number): Promise<void> {
    try {
      await store.applyIfNewer(key, cart, ttlSeconds);
    } catch (error) {
      deps.logger.warn(
        { err: error, key },
        'cart committed but not written to Redis; the next read rebuilds it',
      );
    }
  }

  return {
    repository,
    store,
    isIdle,
    redisTtl,
    withRetries,
    lockCart,
    writeCart,
    applyCommitted,
    /**
     * Removes whole lines from a user's cart in both stores (after an order's own commit). Products not in
     * the cart are ignored; a missing cart is a no-op.
     */
    async removeUserLines(userId: number, productIds: number[]): Promise<void> {
      if (productIds.length === 0) return;
      await writeCart(
        { kind: 'user', userId },
        { create: false },
        async (trx, cart) => (await repository.removeLines(trx, cart.id, productIds)) > 0,
      );
    },
  };
}

export type CartWriter = ReturnType<typeof cartWriter>;
