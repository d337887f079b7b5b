import { Router } from 'express';
import type { CategoriesService } from './categories.service';

export function categoriesRoutes(categories: CategoriesService): Router {
  const router = Router();

  router.get('/api/categories', async (_req, res) => {
    res.json({ categories: await categories.tree() });
  });

  return router;
}
