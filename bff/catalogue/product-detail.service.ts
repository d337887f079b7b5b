import type { BffContext } from '../context';
import { NotFoundError } from '../../shared/errors';
import {
  availabilityOf,
  PRODUCT_CACHE_TTL_SECONDS,
  productDetailKey,
  type Availability,
} from '../../shared/product-cache';
import { bestEffort } from './best-effort-cache';
import type { CategoriesService, CategoryRef } from './categories.service';
import { productEtag } from './etag';
import { productImagesRepository, type ProductImage } from './product-images.repository';
import { productsRepository, type ProductRecord, type ProductSpecs } from './products.repository';

/** How long "no such product" is remembered, so probing unknown ids does not reach MySQL every time. */
export const MISSING_PRODUCT_TTL_SECONDS = 30;
const MISSING = '-';

/** The public product page. Exact stock is not shown, only its availability. */
export interface ProductDetail {
  id: number;
  sku: string;
  name: string;
  brand: string;
  description: string;
  price: number;
  availability: Availability;
  categoryId: number;
  categoryPath: CategoryRef[];
  specs: ProductSpecs;
  /** Primary first, then by position. */
  images: ProductImage[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A detail as served: the JSON body text and its ETag, cached together as `<etag>\n<body>`. */
export interface RenderedDetail {
  etag: string;
  body: string;
}

export function renderDetail(detail: ProductDetail): RenderedDetail {
  const body = JSON.stringify({ product: detail });
  return { etag: productEtag(detail.version, body), body };
}

/** Product detail, cache-aside in Redis under productDetailKey; invalidated by invalidateProducts. */
export function productDetailService(
  ctx: Pick<BffContext, 'db' | 'redis' | 'config' | 'logger'>,
  categories: CategoriesService,
) {
  const products = productsRepository(ctx.db);
  const images = productImagesRepository(ctx.db);
  const prefix = ctx.config.REDIS_PREFIX;

  async function detailOf(product: ProductRecord): Promise<ProductDetail> {
    const [productImages, categoryPath] = await Promise.all([
      images.listForProduct(product.id),
      categories.path(product.categoryId),
    ]);
    return {
      id: product.id,
      sku: product.sku,
      name: product.name,
      brand: product.brand,
      description: product.description,
      price: product.price,
      availability: availabilityOf(product),
      categoryId: product.categoryId,
      categoryPath,
      specs: product.specs,
      images: productImages,
      version: product.version,
      createdAt: product.createdAt.toISOString(),
      updatedAt: product.updatedAt.toISOString(),
    };
  }

  return {
    detailOf,

    /** The public detail of an active product, from Redis when cached; 404 for unknown or deleted ids. */
    async get(id: number): Promise<RenderedDetail> {
      const key = productDetailKey(prefix, id);
      const cached = await bestEffort(ctx.logger, 'read product detail', () => ctx.redis.get(key));
      if (cached === MISSING) throw new NotFoundError(`Product ${id} not found`);
      if (cached) {
        const newline = cached.indexOf('\n');
        return { etag: cached.slice(0, newline), body: cached.slice(newline + 1) };
      }
      const product = await products.findById(id);
      if (!product || product.status !== 'active') {
        await bestEffort(ctx.logger, 'write product detail', () =>
          ctx.redis.set(key, MISSING, 'EX', MISSING_PRODUCT_TTL_SECONDS),
        );
        throw new NotFoundError(`Product ${id} not found`);
      }
      const rendered = renderDetail(await detailOf(product));
      await bestEffort(ctx.logger, 'write product detail', () =>
        ctx.redis.set(key, `${rendered.etag}\n${rendered.body}`, 'EX', PRODUCT_CACHE_TTL_SECONDS),
      );
      return rendered;
    },
  };
}

export type ProductDetailService = ReturnType<typeof productDetailService>;
