import type { Knex } from 'knex';
import type { BffContext } from '../context';
import { auditRepository } from '../audit/audit.repository';
import { withTransaction } from '../../shared/db';
import { NotFoundError } from '../../shared/errors';
import { invalidateProducts } from '../../shared/product-cache';
import { MAX_IMAGES_PER_PRODUCT } from './admin-products.schemas';
import { bestEffort } from './best-effort-cache';
import { ImageOrderMismatchError, ProductDeletedError, TooManyImagesError } from './catalogue.errors';
import { productImagesRepository, type ProductImage } from './product-images.repository';
import { productsRepository } from './products.repository';

const byPosition = (a: ProductImage, b: ProductImage) => a.position - b.position || a.id - b.id;

/**
 * Admin edits of a product's images. Each runs under the product's row lock (so the 20-image limit and
 * the single primary hold under concurrent edits) with an audit row of the image list before and after.
 */
export function adminProductImagesService(ctx: Pick<BffContext, 'db' | 'redis' | 'config' | 'logger'>) {
  const products = productsRepository(ctx.db);
  const images = productImagesRepository(ctx.db);
  const audit = auditRepository(ctx.db);

  async function edit(
    actorUserId: number,
    productId: number,
    action: string,
    change: (trx: Knex.Transaction, current: ProductImage[]) => Promise<void>,
  ): Promise<ProductImage[]> {
    const result = await withTransaction(ctx.db, async (trx) => {
      const product = await products.findByIdForUpdate(productId, trx);
      if (!product) throw new NotFoundError(`Product ${productId} not found`);
      if (product.status === 'deleted')
        throw new ProductDeletedError('The product is deleted; restore it first');
      const before = await images.listForProduct(productId, trx);
      await change(trx, before);
      const after = await images.listForProduct(productId, trx);
      await audit.record(
        {
          actorUserId,
          action,
          entityType: 'product',
          entityId: productId,
          before: { images: before },
          after: { images: after },
        },
        trx,
      );
      return after;
    });
    await bestEffort(ctx.logger, 'invalidate product', () =>
      invalidateProducts(ctx.redis, ctx.config.REDIS_PREFIX, [productId]),
    );
    return result;
  }

  function requireImage(current: ProductImage[], imageId: number, productId: number): ProductImage {
    const image = current.find((candidate) => candidate.id === imageId);
    if (!image) throw new NotFoundError(`Image ${imageId} not found on product ${productId}`);
    return image;
  }

  return {
    add(actorUserId: number, productId: number, input: { url: string; isPrimary?: boolean }) {
      return edit(actorUserId, productId, 'product.image.add', async (trx, current) => {
        if (current.length >= MAX_IMAGES_PER_PRODUCT)
          throw new TooManyImagesError(`A product has at most ${MAX_IMAGES_PER_PRODUCT} images`);
        await images.append(trx, productId, [input.url], input.isPrimary === true || current.length === 0);
      });
    },

    reorder(actorUserId: number, productId: number, imageIds: number[]) {
      return edit(actorUserId, productId, 'product.image.reorder', async (trx, current) => {
        const expected = current.map((image) => image.id).sort((a, b) => a - b);
        const given = [...new Set(imageIds)].sort((a, b) => a - b);
        if (imageIds.length !== given.length || given.join() !== expected.join())
          throw new ImageOrderMismatchError('imageIds must list each of the product’s images exactly once', {
            details: { imageIds: expected },
          });
        await images.reorder(trx, productId, imageIds);
      });
    },

    setPrimary(actorUserId: number, productId: number, imageId: number) {
      return edit(actorUserId, productId, 'product.image.primary', async (trx, current) => {
        requireImage(current, imageId, productId);
        await images.setPrimary(trx, productId, imageId);
      });
    },

    /** Removing the primary image promotes the next one by position. */
    remove(actorUserId: number, productId: number, imageId: number) {
      return edit(actorUserId, productId, 'product.image.delete', async (trx, current) => {
        const removed = requireImage(current, imageId, productId);
        await images.remove(trx, productId, imageId);
        const next = current.filter((image) => image.id !== imageId).sort(byPosition)[0];
        if (removed.isPrimary && next) await images.setPrimary(trx, productId, next.id);
      });
    },
  };
}
