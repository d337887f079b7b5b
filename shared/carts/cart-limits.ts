/** Most units of one product a cart line may hold. */
export const MAX_LINE_QUANTITY = 99;
/** Most distinct products a cart may hold. */
export const MAX_CART_LINES = 100;
/** A guest cart lives this long after its last write (Redis TTL, and carts.updated_at for the purge). */
export const GUEST_CART_IDLE_SECONDS = 30 * 24 * 3600;
/** A user cart is durable in MySQL; its Redis copy is a cache that may lapse after this long without a write. */
export const USER_CART_CACHE_SECONDS = 30 * 24 * 3600;
