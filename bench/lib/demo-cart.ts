/**
 * The cart the cart benchmarks read: the seeded demo user's, with CART_LINES in-stock products. Used by
 * bench/cart.ts (against the stack it is given) and bench/cluster.ts (against each of its two stacks).
 */
import { createDatabase } from '../../shared/db';

export const CART_LINES = 5;
export const DEMO_USER = { email: 'demo@voltmall.dev', password: 'Demo123!' };

/** One JSON request to the gateway at `baseUrl`; the body text, or an error naming the status. */
export async function callGateway(
  baseUrl: string,
  method: string,
  pathname: string,
  token?: string,
  body?: unknown,
): Promise<string> {
  const response = await fetch(`${baseUrl}${pathname}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${pathname} → ${response.status} ${text}`);
  return text;
}

/**
 * Signs the demo user in through the gateway at `baseUrl` and gives them a cart of CART_LINES in-stock
 * products of the database at `databaseUrl`; returns the access token and the cart's body as served.
 */
export async function prepareDemoCart(
  baseUrl: string,
  databaseUrl: string,
): Promise<{ token: string; body: string }> {
  const { accessToken } = JSON.parse(
    await callGateway(baseUrl, 'POST', '/api/auth/login', undefined, DEMO_USER),
  ) as { accessToken: string };
  const db = createDatabase(databaseUrl, 1);
  let productIds: number[];
  try {
    const rows = (await db('products')
      .where('status', 'active')
      .where('stock', '>=', 20)
      .orderBy('id')
      .limit(CART_LINES)
      .select('id')) as { id: number }[];
    productIds = rows.map((row) => Number(row.id));
  } finally {
    await db.destroy();
  }
  if (productIds.length < CART_LINES) throw new Error('seed the database first (npx tsx scripts/db/seed.ts)');
  await callGateway(baseUrl, 'DELETE', '/api/cart', accessToken);
  for (const [index, productId] of productIds.entries()) {
    await callGateway(baseUrl, 'POST', '/api/cart/items', accessToken, { productId, quantity: 1 + index });
  }
  const body = await callGateway(baseUrl, 'GET', '/api/cart', accessToken);
  const lines = (JSON.parse(body) as { lines: unknown[] }).lines.length;
  if (lines !== CART_LINES) throw new Error(`expected ${CART_LINES} cart lines, got ${lines}`);
  return { token: accessToken, body };
}
