import { Router, type Response } from 'express';
import { ValidationError } from '../../shared/errors';
import { requireAdmin } from '../http/identity';
import { parseInput } from '../http/validate';
import {
  adminProductListQuery,
  createProductBody,
  stockAdjustmentBody,
  stockLedgerQuery,
  updateProductBody,
} from './admin-products.schemas';
import type { AdminProductResult, adminProductsService } from './admin-products.service';
import { productIdParams } from './products.schemas';

function sendProduct(res: Response, status: number, result: AdminProductResult): void {
  if (result.etag) res.set('ETag', result.etag);
  res.status(status).json({ product: result.product });
}

/** Stock has its own endpoint (ledger + audit); say so instead of a bare "unrecognized key". */
function rejectStockField(body: unknown): void {
  if (typeof body === 'object' && body !== null && 'stock' in body)
    throw new ValidationError('stock cannot be patched: POST /api/admin/products/:id/stock-adjustments', {
      details: [{ path: 'stock', message: 'use a stock adjustment' }],
    });
}

/** Admin product writes. The gateway already requires role admin on /api/admin; requireAdmin is defence in depth. */
export function adminProductsRoutes(admin: ReturnType<typeof adminProductsService>): Router {
  const router = Router();

  router.get('/api/admin/products', async (req, res) => {
    requireAdmin(req);
    res.json(await admin.list(parseInput(adminProductListQuery, req.query, 'query')));
  });

  router.get('/api/admin/brands', async (req, res) => {
    requireAdmin(req);
    res.json(await admin.brands());
  });

  router.post('/api/admin/products', async (req, res) => {
    const { userId } = requireAdmin(req);
    const result = await admin.create(userId, parseInput(createProductBody, req.body, 'product'));
    res.location(`/api/products/${result.product.id}`);
    sendProduct(res, 201, result);
  });

  router.get('/api/admin/products/:id', async (req, res) => {
    requireAdmin(req);
    const { id } = parseInput(productIdParams, req.params, 'product id');
    sendProduct(res, 200, await admin.view(id));
  });

  router.patch('/api/admin/products/:id', async (req, res) => {
    const { userId } = requireAdmin(req);
    const { id } = parseInput(productIdParams, req.params, 'product id');
    rejectStockField(req.body);
    const input = parseInput(updateProductBody, req.body, 'product update');
    sendProduct(res, 200, await admin.update(userId, id, input, req.get('if-match')));
  });

  router.delete('/api/admin/products/:id', async (req, res) => {
    const { userId } = requireAdmin(req);
    const { id } = parseInput(productIdParams, req.params, 'product id');
    await admin.remove(userId, id);
    res.status(204).end();
  });

  router.post('/api/admin/products/:id/restore', async (req, res) => {
    const { userId } = requireAdmin(req);
    const { id } = parseInput(productIdParams, req.params, 'product id');
    sendProduct(res, 200, await admin.restore(userId, id));
  });

  router.get('/api/admin/products/:id/stock-adjustments', async (req, res) => {
    requireAdmin(req);
    const { id } = parseInput(productIdParams, req.params, 'product id');
    res.json(await admin.stockLedger(id, parseInput(stockLedgerQuery, req.query, 'query')));
  });

  router.post('/api/admin/products/:id/stock-adjustments', async (req, res) => {
    const { userId } = requireAdmin(req);
    const { id } = parseInput(productIdParams, req.params, 'product id');
    const input = parseInput(stockAdjustmentBody, req.body, 'stock adjustment');
    res.status(201).json(await admin.adjustStock(userId, id, input));
  });

  return router;
}
