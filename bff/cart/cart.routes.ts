import { Router, type Request, type Response } from 'express';
import type { BffContext } from '../context';
import { requireUser } from '../http/identity';
import { parseInput } from '../http/validate';
import { addItemBody, guestCartIdHeader, productIdParams, setQuantityBody } from './cart.schemas';
import { cartService, type CartOwner, type CartView } from './cart.service';

const CART_ID_HEADER = 'X-Cart-Id';

/** The signed-in user (the gateway's identity wins), else a guest by X-Cart-Id, which must be well formed. */
function cartOwner(req: Request): CartOwner {
  if (req.identity) return { kind: 'user', userId: req.identity.userId };
  const header = req.get(CART_ID_HEADER);
  if (header === undefined) return { kind: 'guest' };
  return { kind: 'guest', guestId: parseInput(guestCartIdHeader, header, `${CART_ID_HEADER} header`) };
}

function sendCart(res: Response, cart: CartView): void {
  if (cart.cartId !== undefined) res.set(CART_ID_HEADER, cart.cartId);
  res.set('Cache-Control', 'no-store').json(cart);
}

/** Cart endpoints, for users (token) and guests (X-Cart-Id); the gateway lets both through. */
export function cartRoutes(ctx: BffContext): Router {
  const carts = cartService(ctx);
  const router = Router();

  router.get('/api/cart', async (req, res) => {
    sendCart(res, await carts.getCart(cartOwner(req)));
  });

  router.delete('/api/cart', async (req, res) => {
    sendCart(res, await carts.clear(cartOwner(req)));
  });

  router.post('/api/cart/items', async (req, res) => {
    const owner = cartOwner(req);
    const { productId, quantity } = parseInput(addItemBody, req.body, 'cart item');
    sendCart(res, await carts.addItem(owner, productId, quantity));
  });

  router.patch('/api/cart/items/:productId', async (req, res) => {
    const owner = cartOwner(req);
    const { productId } = parseInput(productIdParams, req.params, 'product id');
    const { quantity } = parseInput(setQuantityBody, req.body, 'cart item');
    sendCart(res, await carts.setQuantity(owner, productId, quantity));
  });

  router.delete('/api/cart/items/:productId', async (req, res) => {
    const owner = cartOwner(req);
    const { productId } = parseInput(productIdParams, req.params, 'product id');
    sendCart(res, await carts.removeItem(owner, productId));
  });

  router.post('/api/cart/merge', async (req, res) => {
    const { userId } = requireUser(req);
    const guestId = parseInput(guestCartIdHeader, req.get(CART_ID_HEADER), `${CART_ID_HEADER} header`);
    sendCart(res, await carts.merge(userId, guestId));
  });

  return router;
}
