import { z } from 'zod';
import type { Availability } from '../../shared/product-cache';
import { id, nullableTimestamp, timestamp, won } from '../openapi/common-schemas';
import type { RouteDoc } from '../openapi/route-doc';
import {
  addImageBody,
  createProductBody,
  imageOrderBody,
  stockAdjustmentBody,
  updateProductBody,
} from './admin-products.schemas';
import { listProductsQuery, productIdParams, productImageParams } from './products.schemas';

/** Checked against the Availability type both ways (a missing or an extra key does not compile). */
const AVAILABILITIES = {
  in_stock: 'in_stock',
  low_stock: 'low_stock',
  out_of_stock: 'out_of_stock',
  removed: 'removed',
} as const satisfies { [K in Availability]: K };

/** Every availability, `removed` (soft-deleted product) included: what admins and carts can see. */
export const availability = z.enum(AVAILABILITIES).meta({
  id: 'Availability',
  description: 'in_stock; low_stock (≤ 5 units); out_of_stock; removed (deleted)',
});
/** Public product reads list active products only, so never `removed`. */
const publicAvailability = availability.exclude(['removed']).meta({ id: 'PublicAvailability' });

const categoryRef = z.strictObject({ id, slug: z.string(), name: z.string() }).meta({ id: 'CategoryRef' });

export const categoryNode = z
  .strictObject({
    id,
    slug: z.string(),
    name: z.string(),
    position: z.int(),
    get children(): z.ZodArray<typeof categoryNode> {
      return z.array(categoryNode);
    },
  })
  .meta({ id: 'CategoryNode' });

export const productImage = z
  .strictObject({ id, url: z.string(), position: z.int(), isPrimary: z.boolean() })
  .meta({ id: 'ProductImage' });
const images = z.array(productImage).meta({ description: 'Primary first, then by position' });

const specs = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .meta({ description: 'Free-form specifications: keys [a-z0-9_], string, number or boolean values' });

export const productDetail = z
  .strictObject({
    id,
    sku: z.string(),
    name: z.string(),
    brand: z.string(),
    description: z.string(),
    price: won,
    availability: publicAvailability,
    categoryId: id,
    categoryPath: z.array(categoryRef).meta({ description: 'Root → leaf' }),
    specs,
    images,
    version: z.int().positive().meta({ description: 'Moves on every edit, delete and restore' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Product' });

/** The public detail plus stock and lifecycle; deleted products too (then availability is `removed`). */
export const adminProduct = productDetail
  .extend({
    availability,
    stock: z.int().nonnegative(),
    status: z.enum(['active', 'deleted']),
    deletedAt: nullableTimestamp,
  })
  .meta({ id: 'AdminProduct' });

const listingItem = z
  .strictObject({
    id,
    name: z.string(),
    brand: z.string(),
    price: won,
    imageUrl: z.string().nullable().meta({ description: 'The primary image' }),
    availability: publicAvailability,
    categoryId: id,
  })
  .meta({ id: 'ProductListItem' });

const count = z.int().nonnegative();
const facets = z
  .strictObject({
    brands: z.array(z.strictObject({ brand: z.string(), count })),
    categories: z.array(categoryRef.extend({ count })),
  })
  .nullable()
  .meta({
    description: 'Counts over the whole query (brands ignore its brand filter); first page only, else null',
  });

const listingPage = z.strictObject({
  items: z.array(listingItem),
  nextCursor: z
    .string()
    .nullable()
    .meta({ description: 'Pass as cursor for the next page; null on the last' }),
  facets,
});

const etagHeader = {
  ETag: 'Strong "v<version>-<digest>": send it as If-Match on the next PATCH (absent while deleted)',
};
const productResult = z.strictObject({ product: adminProduct });
const imagesResult = z.strictObject({ images });

const ifMatch = z.string().optional().meta({
  description: 'The ETag read from GET /api/products/:id (or the admin GET); or send "version" in the body',
});

export const catalogueRouteDocs: RouteDoc[] = [
  {
    operationId: 'listProducts',
    method: 'get',
    path: '/api/products',
    summary:
      'Search and browse active products (keyset pages; facets on the first page). ' +
      'Spec filters: spec.<key>=v1,v2 (keys [a-z0-9_]{1,30}, at most 5)',
    tag: 'catalogue',
    auth: 'public',
    query: listProductsQuery,
    responses: { 200: { description: 'A page', schema: listingPage } },
    errors: [400],
  },
  {
    operationId: 'getProduct',
    method: 'get',
    path: '/api/products/:id',
    summary: 'One active product (ETag; If-None-Match answers 304)',
    tag: 'catalogue',
    auth: 'public',
    params: productIdParams,
    headers: z.object({
      'if-none-match': z.string().optional().meta({ description: 'ETags (weak comparison) or *' }),
    }),
    responses: {
      200: {
        description: 'The product',
        schema: z.strictObject({ product: productDetail }),
        headers: { ETag: 'Strong "v<version>-<digest>"', 'Cache-Control': 'no-cache' },
      },
      304: { description: 'If-None-Match matched: unchanged', headers: { ETag: 'The current ETag' } },
    },
    errors: [400, 404],
  },
  {
    operationId: 'listCategories',
    method: 'get',
    path: '/api/categories',
    summary: 'The category tree (each level by position, then name)',
    tag: 'catalogue',
    auth: 'public',
    responses: {
      200: { description: 'Root categories', schema: z.strictObject({ categories: z.array(categoryNode) }) },
    },
    errors: [],
  },

  {
    operationId: 'createProduct',
    method: 'post',
    path: '/api/admin/products',
    summary: 'Create a product (first image becomes primary)',
    tag: 'admin-catalogue',
    auth: 'admin',
    body: createProductBody,
    responses: {
      201: {
        description: 'Created',
        schema: productResult,
        headers: { ...etagHeader, Location: '/api/products/<id>' },
      },
    },
    errors: [400, 409, 422],
  },
  {
    operationId: 'getAdminProduct',
    method: 'get',
    path: '/api/admin/products/:id',
    summary: 'A product with stock and lifecycle (deleted ones too)',
    tag: 'admin-catalogue',
    auth: 'admin',
    params: productIdParams,
    responses: { 200: { description: 'The product', schema: productResult, headers: etagHeader } },
    errors: [400, 404],
  },
  {
    operationId: 'updateProduct',
    method: 'patch',
    path: '/api/admin/products/:id',
    summary: 'Edit a product (If-Match or "version" required; stock moves by stock adjustments)',
    tag: 'admin-catalogue',
    auth: 'admin',
    params: productIdParams,
    headers: z.object({ 'if-match': ifMatch }),
    body: updateProductBody,
    responses: { 200: { description: 'Updated', schema: productResult, headers: etagHeader } },
    errors: [400, 404, 409, 412, 422, 428],
  },
  {
    operationId: 'deleteProduct',
    method: 'delete',
    path: '/api/admin/products/:id',
    summary: 'Soft-delete a product (idempotent)',
    tag: 'admin-catalogue',
    auth: 'admin',
    params: productIdParams,
    responses: { 204: { description: 'Deleted' } },
    errors: [400, 404],
  },
  {
    operationId: 'restoreProduct',
    method: 'post',
    path: '/api/admin/products/:id/restore',
    summary: 'Undo a soft delete (idempotent)',
    tag: 'admin-catalogue',
    auth: 'admin',
    params: productIdParams,
    responses: { 200: { description: 'Restored', schema: productResult, headers: etagHeader } },
    errors: [400, 404],
  },
  {
    operationId: 'adjustStock',
    method: 'post',
    path: '/api/admin/products/:id/stock-adjustments',
    summary: 'Adjust stock by a delta (ledger and audit row)',
    tag: 'admin-catalogue',
    auth: 'admin',
    params: productIdParams,
    body: stockAdjustmentBody,
    responses: {
      201: {
        description: 'Adjusted',
        schema: z.strictObject({
          productId: id,
          stock: z.int().nonnegative(),
          availability,
          adjustment: z.strictObject({ id, delta: z.int(), reason: z.string() }),
        }),
      },
    },
    errors: [400, 404, 409],
  },
  {
    operationId: 'addProductImage',
    method: 'post',
    path: '/api/admin/products/:id/images',
    summary: 'Add an image (at most 20 per product)',
    tag: 'admin-catalogue',
    auth: 'admin',
    params: productIdParams,
    body: addImageBody,
    responses: { 201: { description: 'The images after the change', schema: imagesResult } },
    errors: [400, 404, 409],
  },
  {
    operationId: 'reorderProductImages',
    method: 'put',
    path: '/api/admin/products/:id/images/order',
    summary: 'Reorder the images (imageIds: each of the product’s images exactly once)',
    tag: 'admin-catalogue',
    auth: 'admin',
    params: productIdParams,
    body: imageOrderBody,
    responses: { 200: { description: 'The images after the change', schema: imagesResult } },
    errors: [400, 404, 409, 422],
  },
  {
    operationId: 'setPrimaryProductImage',
    method: 'post',
    path: '/api/admin/products/:id/images/:imageId/primary',
    summary: 'Make an image the primary one',
    tag: 'admin-catalogue',
    auth: 'admin',
    params: productImageParams,
    responses: { 200: { description: 'The images after the change', schema: imagesResult } },
    errors: [400, 404, 409],
  },
  {
    operationId: 'removeProductImage',
    method: 'delete',
    path: '/api/admin/products/:id/images/:imageId',
    summary: 'Remove an image (removing the primary promotes the next by position)',
    tag: 'admin-catalogue',
    auth: 'admin',
    params: productImageParams,
    responses: { 200: { description: 'The images after the change', schema: imagesResult } },
    errors: [400, 404, 409],
  },
];
