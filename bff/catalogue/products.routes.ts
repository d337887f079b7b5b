import { Router } from 'express';
import { parseInput } from '../http/validate';
import { ifNoneMatchMatches } from './etag';
import type { ProductDetailService } from './product-detail.service';
import type { productListingService } from './product-listing.service';
import { listProductsQuery, parseSpecFilters, productIdParams } from './products.schemas';

/** Public catalogue reads: search/browse and product detail (the gateway lets GET through without a token). */
export function productsRoutes(
  listing: ReturnType<typeof productListingService>,
  details: ProductDetailService,
): Router {
  const router = Router();

  router.get('/api/products', async (req, res) => {
    const query = parseInput(listProductsQuery, req.query, 'product query');
    const specs = parseSpecFilters(req.query as Record<string, unknown>);
    res.json(await listing.list(query, specs));
  });

  router.get('/api/products/:id', async (req, res) => {
    const { id } = parseInput(productIdParams, req.params, 'product id');
    const { etag, body } = await details.get(id);
    // Clients and proxies may keep the body but must revalidate it: a 304 costs one Redis read.
    res.set({ ETag: etag, 'Cache-Control': 'no-cache' });
    if (ifNoneMatchMatches(req.get('if-none-match'), etag)) {
      res.status(304).end();
      return;
    }
    res.type('application/json').send(body);
  });

  return router;
}
