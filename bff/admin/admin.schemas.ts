import { z } from 'zod';
import { pathId } from '../http/path-id';
import { ORDER_STATUSES } from '../../shared/orders/order-state-machine';
import { FIRST_SHOP_DAY, LAST_SHOP_DAY, isShopDay, isShopInstant } from '../../shared/shop-time';

const SHOP_YEARS = `${FIRST_SHOP_DAY.slice(0, 4)}–${LAST_SHOP_DAY.slice(0, 4)}`;

/**
 * A calendar day, YYYY-MM-DD, that exists (no 2026-02-30) and lies in the shop calendar
 * ({@link FIRST_SHOP_DAY} to {@link LAST_SHOP_DAY}): days are cut in the shop's zone, outside that range
 * there is nothing to cut.
 */
export const isoDay = z
  .string()
  .refine(isShopDay, `must be a calendar date YYYY-MM-DD from ${FIRST_SHOP_DAY} to ${LAST_SHOP_DAY}`)
  .meta({
    description: `A calendar day YYYY-MM-DD in the shop's time zone, from ${FIRST_SHOP_DAY} to ${LAST_SHOP_DAY}`,
    example: '2026-11-25',
  });

/** An exact instant (ISO 8601 with Z or an offset) in UTC years {@link FIRST_SHOP_DAY} to {@link LAST_SHOP_DAY}. */
const isoInstant = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .refine(isShopInstant, `must be an instant in the years ${SHOP_YEARS} (UTC)`)
  .meta({ description: `An ISO 8601 instant with Z or an offset, in the UTC years ${SHOP_YEARS}` });

/**
 * A bound of a date range: a day (YYYY-MM-DD, cut in the shop's time zone, the whole day included) or an
 * exact instant (ISO 8601 with Z or an offset).
 */
export const dayOrInstant = z.union([
  isoDay.transform((day) => ({ kind: 'day' as const, day })),
  isoInstant.transform((at) => ({ kind: 'instant' as const, at })),
]);
export type DayOrInstant = z.infer<typeof dayOrInstant>;

const limit = (fallback: number) => z.coerce.number().int().min(1).max(100).default(fallback);
const cursor = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor')
  .optional();

export const idParams = z.object({ id: pathId });

export const USER_ROLES = ['user', 'admin'] as const;
export const USER_STATUSES = ['active', 'suspended'] as const;

export const listUsersQuery = z.object({
  /** Prefix of the email, phone (E.164, e.g. +8210) or name. */
  q: z.string().trim().min(1).max(100).optional(),
  role: z.enum(USER_ROLES).optional(),
  status: z.enum(USER_STATUSES).optional(),
  from: dayOrInstant.optional(),
  to: dayOrInstant.optional(),
  limit: limit(20),
  cursor,
});
export type ListUsersQuery = z.infer<typeof listUsersQuery>;

export const updateUserBody = z.strictObject({ role: z.enum(USER_ROLES) });

export const listOrdersQuery = z.object({
  /** An order id (exact), or the start of the customer's e-mail. */
  q: z
    .string()
    .trim()
    .min(1)
    .max(254)
    .optional()
    .meta({ description: "An order id, or the start of the customer's e-mail (case-insensitive)" }),
  status: z.enum(ORDER_STATUSES).optional(),
  userId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  from: dayOrInstant.optional(),
  to: dayOrInstant.optional(),
  limit: limit(20),
  cursor,
});
export type ListOrdersQuery = z.infer<typeof listOrdersQuery>;

export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const salesQuery = z.object({
  from: isoDay.optional(),
  to: isoDay.optional(),
  granularity: z.enum(GRANULARITIES).default('day'),
});

export const topProductsQuery = z.object({
  from: isoDay.optional(),
  to: isoDay.optional(),
  limit: limit(10),
});

export const rebuildQuery = z.object({ from: isoDay, to: isoDay });
