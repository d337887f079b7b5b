/**
 * The benchmark floor: a bare Express app that answers GET /api/cart with a constant JSON body (the real
 * cart's bytes, passed in FLOOR_BODY). bench/cart.ts runs it in its own process, behind its own copy of the
 * gateway, so the floor pays for nginx, the Lua token check, the proxy hop and Express, and nothing else.
 */
import express from 'express';

const port = Number(process.env.FLOOR_PORT ?? 0);
const body = process.env.FLOOR_BODY ?? '{"lines":[],"totalQuantity":0,"itemCount":0,"total":0}';

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/api/cart', (_req, res) => {
  res.type('application/json').send(body);
});

const server = app.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(`floor listening on ${typeof address === 'object' && address ? address.port : port}`);
});
server.keepAliveTimeout = 65_000;

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
