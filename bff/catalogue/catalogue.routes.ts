import { Router } from 'express';
import type { BffContext } from '../context';
import { adminProductImagesRoutes } from './admin-product-images.routes';
import { adminProductImagesService } from './admin-product-images.service';
import { adminProductsRoutes } from './admin-products.routes';
import { adminProductsService } from './admin-products.service';
import { categoriesRoutes } from './categories.routes';
import { categoriesService } from './categories.service';
import { productDetailService } from './product-detail.service';
import { productListingService } from './product-listing.service';
import { productsRoutes } from './products.routes';

/** The catalogue: public reads (products, categories) and the admin product endpoints. */
export function catalogueRoutes(ctx: BffContext): Router {
  const categories = categoriesService(ctx);
  const details = productDetailService(ctx, categories);
  const router = Router();
  router.use(productsRoutes(productListingService(ctx, categories), details));
  router.use(categoriesRoutes(categories));
  router.use(adminProductsRoutes(adminProductsService(ctx, details)));
  router.use(adminProductImagesRoutes(adminProductImagesService(ctx)));
  return router;
}
