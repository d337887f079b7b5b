/** Most units of one product a cart line may hold. */
export const MAX_LINE_QUANTITY = 99;
/** Most distinct products a cart may hold. */
export const MAX_CART_LINES = 100;
/** A guest cart lives this long after its last write (Redis TTL, and carts.updated_at for the purge). */
export const GUEST_CART_IDLE_SECONDS = 30 * 24 * 3600;
/** A user cart is durable in MySQL; its Redis copy is a cache that may lapse after this long without a write. */
export const USER_CART_CACHE_SECONDS = 30 * 24 * 3600;
/**
 * On Redis Cluster, how long a cart read may reuse a product summary it read from Redis before (in the
 * process's memory), and how many summaries a process keeps: shared/carts/summary-cache.ts. Also the bound on
 * how stale a cart's prices and availability can be there (docs/cart.md).
 */
export const CLUSTER_SUMMARY_CACHE_MS = 1000;
export const CLUSTER_SUMMARY_CACHE_ENTRIES = 10_000;
