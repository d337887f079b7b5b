import { z } from 'zod';
import { pathId } from '../http/path-id';
import { ORDER_STATUSES } from '../../shared/orders/order-state-machine';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from '../../shared/carts/cart-limits';

// An order takes what a cart may hold, so an order from a full cart is never cut short.
const quantity = z.int().min(1).max(MAX_LINE_QUANTITY);
const productId = z.int().positive().max(Number.MAX_SAFE_INTEGER);

export const shippingAddress = z.strictObject({
  recipient: z.string().trim().min(1).max(50),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9-]{8,20}$/, 'must be a phone number'),
  postalCode: z
    .string()
    .trim()
    .regex(/^[0-9]{5}$/, 'must be a 5-digit Korean postal code'),
  address1: z.string().trim().min(1).max(200),
  address2: z.string().trim().max(200).optional(),
  memo: z.string().trim().max(200).optional(),
});

export const PAYMENT_METHODS = ['card', 'transfer', 'easy_pay'] as const;

export const placeOrderBody = z
  .strictObject({
    items: z
      .array(z.strictObject({ productId, quantity }))
      .min(1)
      .max(MAX_CART_LINES)
      .refine(
        (items) => new Set(items.map((item) => item.productId)).size === items.length,
        'lists a product twice',
      )
      .optional(),
    fromCart: z.literal(true).optional(),
    shippingAddress,
    paymentMethod: z.enum(PAYMENT_METHODS),
  })
  .refine((body) => (body.items === undefined) !== (body.fromCart === undefined), {
    message: 'give either items or fromCart: true',
    path: ['items'],
  });

export type PlaceOrderInput = z.infer<typeof placeOrderBody>;

/** Idempotency keys are client-chosen: UUIDs and similar tokens. */
export const idempotencyKeyHeader = z
  .string({ message: 'Idempotency-Key header is required' })
  .regex(/^[A-Za-z0-9_.:-]{8,128}$/, 'Idempotency-Key must be 8-128 letters, digits, _ . : or -');

export const orderIdParams = z.object({ id: pathId });

export const listOrdersQuery = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
});

/** `Prefer: wait=N` (RFC 7240), N seconds, at most 10. */
export function preferredWaitSeconds(header: string | undefined): number | undefined {
  const match = header ? /(?:^|[,;\s])wait=(\d{1,3})(?:$|[,;\s])/i.exec(header) : null;
  if (!match) return undefined;
  return Math.min(Number(match[1]), 10);
}
