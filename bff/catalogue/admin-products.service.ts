import type { BffContext } from '../context';
import { auditRepository } from '../audit/audit.repository';
import { isDuplicateKeyError, withTransaction } from '../../shared/db';
import { NotFoundError, PreconditionFailedError } from '../../shared/errors';
import {
  availabilityOf,
  invalidateProductListings,
  invalidateProducts,
  type Availability,
} from '../../shared/product-cache';
import { decodeIdCursor, encodeIdCursor } from '../http/keyset-cursor';
import { adminProductsRepository } from './admin-products.repository';
import type {
  AdminProductListQuery,
  CreateProductInput,
  StockLedgerQuery,
  UpdateProductInput,
} from './admin-products.schemas';
import { bestEffort } from './best-effort-cache';
import { categoriesRepository } from './categories.repository';
import {
  CategoryNotFoundError,
  PreconditionRequiredError,
  ProductDeletedError,
  SkuTakenError,
  StockOutOfRangeError,
  StockWouldBeNegativeError,
} from './catalogue.errors';
import { parseIfMatch } from './etag';
import { renderDetail, type ProductDetail, type ProductDetailService } from './product-detail.service';
import { productImagesRepository } from './product-images.repository';
import { productsRepository, type ProductRecord } from './products.repository';
import { stockAdjustmentsRepository } from './stock-adjustments.repository';

/** What an admin sees of a product: the public detail plus stock and lifecycle. */
export interface AdminProductView extends ProductDetail {
  stock: number;
  status: 'active' | 'deleted';
  deletedAt: string | null;
}

export interface AdminProductResult {
  product: AdminProductView;
  /** The ETag of the public representation (null while deleted): usable as If-Match for the next edit. */
  etag: string | null;
}

export interface StockAdjustmentResult {
  productId: number;
  stock: number;
  availability: Availability;
  adjustment: { id: number; delta: number; reason: string };
}

/** The audit snapshot of a product: every field an admin can change, plus stock and lifecycle. */
function snapshot(product: ProductRecord) {
  const { sku, name, brand, description, price, stock, categoryId, specs, status, version } = product;
  return { sku, name, brand, description, price, stock, categoryId, specs, status, version };
}

/** Versions an edit may apply to: from If-Match, the body's `version`, or both (then both must agree). */
function acceptedVersions(ifMatchHeader: string | undefined, bodyVersion: number | undefined): number[] {
  const ifMatch = parseIfMatch(ifMatchHeader);
  const hint = 'send If-Match with the ETag from GET /api/products/:id, or a "version" field';
  if (ifMatch.kind === 'any') throw new PreconditionRequiredError(`If-Match: * names no version; ${hint}`);
  if (ifMatch.kind === 'absent') {
    if (bodyVersion === undefined) throw new PreconditionRequiredError(`Say which version you edit: ${hint}`);
    return [bodyVersion];
  }
  return bodyVersion === undefined ? ifMatch.versions : ifMatch.versions.filter((v) => v === bodyVersion);
}

/** Admin writes to products: each in one transaction with its audit row, caches dropped after commit. */
export function adminProductsService(
  ctx: Pick<BffContext, 'db' | 'redis' | 'config' | 'logger'>,
  details: ProductDetailService,
) {
  const products = productsRepository(ctx.db);
  const images = productImagesRepository(ctx.db);
  const categories = categoriesRepository(ctx.db);
  const stock = stockAdjustmentsRepository();
  const audit = auditRepository(ctx.db);
  const reads = adminProductsRepository(ctx.db);
  const prefix = ctx.config.REDIS_PREFIX;

  /** After commit only: a reader between an early invalidation and the commit would re-cache the old row. */
  async function invalidate(id: number): Promise<void> {
    await bestEffort(ctx.logger, 'invalidate product', () => invalidateProducts(ctx.redis, prefix, [id]));
    await bestEffort(ctx.logger, 'invalidate listings', () => invalidateProductListings(ctx.redis, prefix));
  }

  async function view(id: number): Promise<AdminProductResult> {
    const product = await products.findById(id);
    if (!product) throw new NotFoundError(`Product ${id} not found`);
    const detail = await details.detailOf(product);
    return {
      product: {
        ...detail,
        stock: product.stock,
        status: product.status,
        deletedAt: product.deletedAt ? product.deletedAt.toISOString() : null,
      },
      etag: product.status === 'active' ? renderDetail(detail).etag : null,
    };
  }

  async function lockExisting(id: number, trx: Parameters<typeof products.findByIdForUpdate>[1]) {
    const product = await products.findByIdForUpdate(id, trx);
    if (!product) throw new NotFoundError(`Product ${id} not found`);
    return product;
  }

  /** Soft delete or restore, audited; a product already in that status changes nothing and is not audited. */
  async function setStatus(
    actorUserId: number,
    id: number,
    status: 'active' | 'deleted',
    action: 'product.delete' | 'product.restore',
  ): Promise<void> {
    const changed = await withTransaction(ctx.db, async (trx) => {
      const before = await lockExisting(id, trx);
      if (!(await products.setStatus(trx, id, status))) return false;
      const after = (await products.findById(id, trx))!;
      await audit.record(
        {
          actorUserId,
          action,
          entityType: 'product',
          entityId: id,
          before: snapshot(before),
          after: snapshot(after),
        },
        trx,
      );
      return true;
    });
    if (changed) await invalidate(id);
  }

  function skuConflict(error: unknown): never {
    if (isDuplicateKeyError(error)) throw new SkuTakenError('Another product already uses this sku');
    throw error;
  }

  return {
    view,

    /** The console's product table: any status, filtered, sorted, one page and the total. */
    async list(query: AdminProductListQuery) {
      const { rows, total } = await reads.list(query);
      return {
        items: rows.map((row) => ({
          ...row,
          createdAt: row.createdAt.toISOString(),
          updatedAt: row.updatedAt.toISOString(),
          deletedAt: row.deletedAt ? row.deletedAt.toISOString() : null,
        })),
        total,
        page: query.page,
        pageSize: query.pageSize,
      };
    },

    async brands() {
      return { items: await reads.brands() };
    },

    /** The product's stock ledger, newest first, with the stock after each move. */
    async stockLedger(productId: number, query: StockLedgerQuery) {
      const result = await reads.stockLedger(productId, {
        beforeId: query.cursor ? decodeIdCursor(query.cursor) : undefined,
        limit: query.limit,
      });
      if (!result) throw new NotFoundError(`Product ${productId} not found`);
      const page = result.rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })),
        nextCursor: result.rows.length > query.limit && last ? encodeIdCursor(last.id) : null,
      };
    },

    async create(actorUserId: number, input: CreateProductInput): Promise<AdminProductResult> {
      const id = await withTransaction(ctx.db, async (trx) => {
        if (!(await categories.exists(input.categoryId, trx)))
          throw new CategoryNotFoundError(`Category ${input.categoryId} does not exist`);
        const { images: urls = [], stock: initialStock = 0, ...fields } = input;
        const productId = await products.insert(trx, { ...fields, stock: initialStock });
        await images.append(trx, productId, urls, true);
        const created = (await products.findById(productId, trx))!;
        await audit.record(
          {
            actorUserId,
            action: 'product.create',
            entityType: 'product',
            entityId: productId,
            after: { ...snapshot(created), images: urls },
          },
          trx,
        );
        return productId;
      }).catch(skuConflict);
      await invalidate(id); // a detail key may hold a "missing" marker for this id
      return view(id);
    },

    async update(
      actorUserId: number,
      id: number,
      input: UpdateProductInput,
      ifMatchHeader: string | undefined,
    ): Promise<AdminProductResult> {
      const { version, ...changes } = input;
      const versions = acceptedVersions(ifMatchHeader, version);
      await withTransaction(ctx.db, async (trx) => {
        const before = await lockExisting(id, trx);
        if (before.status === 'deleted')
          throw new ProductDeletedError('The product is deleted; restore it first');
        if (changes.categoryId !== undefined && !(await categories.exists(changes.categoryId, trx)))
          throw new CategoryNotFoundError(`Category ${changes.categoryId} does not exist`);
        if (versions.length === 0 || !(await products.updateIfVersion(trx, id, versions, changes))) {
          // The product as it is now, so a client can show what changed and retry with its ETag knowingly.
          const current = await view(id);
          throw new PreconditionFailedError(
            'The product changed since you read it; read it again and retry',
            {
              details: {
                currentVersion: before.version,
                currentEtag: current.etag,
                current: current.product,
              },
            },
          );
        }
        const after = (await products.findById(id, trx))!;
        await audit.record(
          {
            actorUserId,
            action: 'product.update',
            entityType: 'product',
            entityId: id,
            before: snapshot(before),
            after: snapshot(after),
          },
          trx,
        );
      }).catch(skuConflict);
      await invalidate(id);
      return view(id);
    },

    /** Soft delete; deleting a deleted product changes nothing (and writes no audit row). */
    async remove(actorUserId: number, id: number): Promise<void> {
      await setStatus(actorUserId, id, 'deleted', 'product.delete');
    },

    /** Undoes a soft delete; restoring an active product changes nothing. */
    async restore(actorUserId: number, id: number): Promise<AdminProductResult> {
      await setStatus(actorUserId, id, 'active', 'product.restore');
      return view(id);
    },

    async adjustStock(
      actorUserId: number,
      id: number,
      input: { delta: number; reason: string },
    ): Promise<StockAdjustmentResult> {
      const result = await withTransaction(ctx.db, async (trx) => {
        const before = await lockExisting(id, trx);
        const outcome = await stock.adjust(trx, { productId: id, actorUserId, ...input });
        if (!outcome.applied) {
          if (outcome.reason === 'not_found') throw new NotFoundError(`Product ${id} not found`);
          if (outcome.reason === 'would_be_negative')
            throw new StockWouldBeNegativeError(
              `Stock is ${before.stock}; it cannot go down by ${-input.delta}`,
              {
                details: { stock: before.stock, delta: input.delta },
              },
            );
          throw new StockOutOfRangeError('Stock would exceed its maximum', {
            details: { stock: before.stock },
          });
        }
        const after = (await products.findById(id, trx))!;
        await audit.record(
          {
            actorUserId,
            action: 'product.stock.adjust',
            entityType: 'product',
            entityId: id,
            before: { stock: before.stock },
            after: {
              stock: after.stock,
              delta: input.delta,
              reason: input.reason,
              ledgerId: outcome.ledgerId,
            },
          },
          trx,
        );
        return {
          productId: id,
          stock: after.stock,
          availability: availabilityOf(after),
          adjustment: { id: outcome.ledgerId, delta: input.delta, reason: input.reason },
        };
      });
      await invalidate(id);
      return result;
    },
  };
}
