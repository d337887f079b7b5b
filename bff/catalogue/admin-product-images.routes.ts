import { Router } from 'express';
import { requireAdmin } from '../http/identity';
import { parseInput } from '../http/validate';
import type { adminProductImagesService } from './admin-product-images.service';
import { addImageBody, imageOrderBody } from './admin-products.schemas';
import { productIdParams, productImageParams } from './products.schemas';

/** Admin image management; every answer is the product's image list after the change, primary first. */
export function adminProductImagesRoutes(images: ReturnType<typeof adminProductImagesService>): Router {
  const router = Router();

  router.post('/api/admin/products/:id/images', async (req, res) => {
    const { userId } = requireAdmin(req);
    const { id } = parseInput(productIdParams, req.params, 'product id');
    const input = parseInput(addImageBody, req.body, 'image');
    res.status(201).json({ images: await images.add(userId, id, input) });
  });

  router.put('/api/admin/products/:id/images/order', async (req, res) => {
    const { userId } = requireAdmin(req);
    const { id } = parseInput(productIdParams, req.params, 'product id');
    const { imageIds } = parseInput(imageOrderBody, req.body, 'image order');
    res.json({ images: await images.reorder(userId, id, imageIds) });
  });

  router.post('/api/admin/products/:id/images/:imageId/primary', async (req, res) => {
    const { userId } = requireAdmin(req);
    const { id, imageId } = parseInput(productImageParams, req.params, 'image id');
    res.json({ images: await images.setPrimary(userId, id, imageId) });
  });

  router.delete('/api/admin/products/:id/images/:imageId', async (req, res) => {
    const { userId } = requireAdmin(req);
    const { id, imageId } = parseInput(productImageParams, req.params, 'image id');
    res.json({ images: await images.remove(userId, id, imageId) });
  });

  return router;
}
