import { z } from 'zod';
import { pathId } from '../http/path-id';

import { MAX_LINE_QUANTITY } from '../../shared/carts/cart-limits';

export { MAX_CART_LINES, MAX_LINE_QUANTITY } from '../../shared/carts/cart-limits';

/** A guest cart id is 24 random bytes (192 bits) in base64url: 32 characters, made by the server only. */
export const GUEST_CART_ID_PATTERN = /^[A-Za-z0-9_-]{32}$/;

const productId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const addItemBody = z.strictObject({
  productId,
  quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY).default(1),
});

export const setQuantityBody = z.strictObject({
  quantity: z.number().int().min(0).max(MAX_LINE_QUANTITY),
});

export const productIdParams = z.object({ productId: pathId });

export const guestCartIdHeader = z.string().regex(GUEST_CART_ID_PATTERN, 'is not a cart id');
