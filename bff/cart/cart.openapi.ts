import { z } from 'zod';
import { availability } from '../catalogue/catalogue.openapi';
import { id, won } from '../openapi/common-schemas';
import type { RouteDoc } from '../openapi/route-doc';
import {
  MAX_LINE_QUANTITY,
  addItemBody,
  guestCartIdHeader,
  productIdParams,
  setQuantityBody,
} from './cart.schemas';

const cartLine = z
  .strictObject({
    productId: id,
    name: z.string().nullable().meta({ description: 'Null only when the product row no longer exists' }),
    unitPrice: won.meta({ description: 'The product’s current price; 0 only when its row no longer exists' }),
    quantity: z.int().min(1).max(MAX_LINE_QUANTITY),
    lineTotal: won.meta({ description: 'unitPrice × quantity; 0 for a removed product' }),
    availability,
    imageUrl: z.string().nullable(),
  })
  .meta({ id: 'CartLine' });

export const cartView = z
  .strictObject({
    cartId: z
      .string()
      .optional()
      .meta({ description: 'A guest cart that exists: its id (also the X-Cart-Id header); never for users' }),
    lines: z.array(cartLine).meta({ description: 'By product id' }),
    totalQuantity: z
      .int()
      .nonnegative()
      .meta({ description: 'Units across lines, removed products excluded' }),
    itemCount: z.int().nonnegative().meta({ description: 'Lines, removed products included' }),
    total: won.meta({ description: 'Σ lineTotal' }),
  })
  .meta({ id: 'Cart' });

const mergedCart = cartView
  .extend({
    notMerged: z
      .array(id)
      .optional()
      .meta({ description: 'Guest lines (product ids) that did not fit under the 100-line limit' }),
  })
  .meta({ id: 'MergedCart' });

/** A user's cart when a token is sent (X-Cart-Id is then ignored), else the guest cart it names. */
const cartIdRequest = z.object({
  'x-cart-id': guestCartIdHeader
    .optional()
    .meta({ description: 'Guests: the cartId from an earlier answer (ignored with a token)' }),
});

const cartHeaders = {
  'X-Cart-Id':
    'Guest answers with a cart: the cart’s id, to send back as X-Cart-Id (a write may issue a new one)',
  'Cache-Control': 'no-store',
};
const cartAnswer = (description: string) => ({
  200: { description, schema: cartView, headers: cartHeaders },
});

export const cartRouteDocs: RouteDoc[] = [
  {
    operationId: 'getCart',
    method: 'get',
    path: '/api/cart',
    summary: 'The cart: the user’s (token) or the guest’s (X-Cart-Id); empty without either',
    tag: 'cart',
    auth: 'optional',
    headers: cartIdRequest,
    responses: cartAnswer('The cart'),
    errors: [400, 503],
  },
  {
    operationId: 'emptyCart',
    method: 'delete',
    path: '/api/cart',
    summary: 'Empty the cart (idempotent; a guest’s id stays)',
    tag: 'cart',
    auth: 'optional',
    headers: cartIdRequest,
    responses: cartAnswer('The emptied cart'),
    errors: [400, 503],
  },
  {
    operationId: 'addCartItem',
    method: 'post',
    path: '/api/cart/items',
    summary: 'Add units of an active product (a line caps at 99); a guest without a cart gets one',
    tag: 'cart',
    auth: 'optional',
    headers: cartIdRequest,
    body: addItemBody,
    responses: cartAnswer('The cart after adding'),
    errors: [400, 404, 422, 503],
  },
  {
    operationId: 'setCartItemQuantity',
    method: 'patch',
    path: '/api/cart/items/:productId',
    summary: 'Set a line’s quantity (0 removes it); the line must be in the cart',
    tag: 'cart',
    auth: 'optional',
    params: productIdParams,
    headers: cartIdRequest,
    body: setQuantityBody,
    responses: cartAnswer('The cart after setting'),
    errors: [400, 404, 503],
  },
  {
    operationId: 'removeCartItem',
    method: 'delete',
    path: '/api/cart/items/:productId',
    summary: 'Remove a line (idempotent)',
    tag: 'cart',
    auth: 'optional',
    params: productIdParams,
    headers: cartIdRequest,
    responses: cartAnswer('The cart after removing'),
    errors: [400, 503],
  },
  {
    operationId: 'mergeGuestCart',
    method: 'post',
    path: '/api/cart/merge',
    summary: 'Move the guest cart named by X-Cart-Id into the signed-in user’s cart (needs a token)',
    tag: 'cart',
    auth: 'optional',
    headers: z.object({
      'x-cart-id': guestCartIdHeader.meta({ description: 'The guest cart to merge' }),
    }),
    responses: {
      200: {
        description: 'The user’s cart after merging (unchanged when the guest cart is gone)',
        schema: mergedCart,
        headers: { 'Cache-Control': 'no-store' },
      },
    },
    errors: [400, 401, 503],
  },
];
