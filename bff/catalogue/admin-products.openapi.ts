import { z } from 'zod';
import { LOW_STOCK_THRESHOLD } from '../../shared/product-cache';
import { id, nullableTimestamp, timestamp, won } from '../openapi/common-schemas';
import type { RouteDoc } from '../openapi/route-doc';
import { adminProductListQuery, stockLedgerQuery } from './admin-products.schemas';
import { productIdParams } from './products.schemas';

/** One row of the console's product table. */
export const adminProductListItem = z
  .strictObject({
    id,
    sku: z.string(),
    name: z.string(),
    brand: z.string(),
    categoryId: id,
    categoryName: z.string(),
    price: won,
    stock: z.int().nonnegative(),
    status: z.enum(['active', 'deleted']),
    primaryImageUrl: z
      .string()
      .nullable()
      .meta({ description: 'The primary image, else the first by position; null without images' }),
    version: z.int().positive(),
    createdAt: timestamp,
    updatedAt: timestamp,
    deletedAt: nullableTimestamp,
  })
  .meta({ id: 'AdminProductListItem' });

const stockLedgerEntry = z
  .strictObject({
    id,
    delta: z.int().meta({ description: 'The signed change applied to the stock' }),
    reason: z.string().nullable().meta({ description: 'The admin’s reason; null for order moves' }),
    stockAfter: z.int().meta({
      description:
        'The stock right after this move: the current stock minus every later move (the ledger records deltas)',
    }),
    adminId: id.nullable().meta({ description: 'The admin who adjusted; null for order moves' }),
    orderId: id.nullable().meta({ description: 'The order that reserved or released; null for adjustments' }),
    kind: z.enum(['reserve', 'release', 'adjust']),
    createdAt: timestamp,
  })
  .meta({ id: 'StockLedgerEntry' });

export const adminProductsRouteDocs: RouteDoc[] = [
  {
    operationId: 'listAdminProducts',
    method: 'get',
    path: '/api/admin/products',
    summary: 'Every product (deleted ones too): search, filter, sort and page',
    description:
      'q matches a part of the name or the start of the sku, case-insensitively (LIKE wildcards are taken ' +
      `literally). stock=low is 1 to ${LOW_STOCK_THRESHOLD} units, out is 0, in is at least 1. status ` +
      'defaults to all, sort to -updatedAt (ties by id). Offset pages: page 1–10000, pageSize 1–100 ' +
      '(default 25), with the total matching the filters.',
    tag: 'admin-catalogue',
    auth: 'admin',
    query: adminProductListQuery,
    responses: {
      200: {
        description: 'One page',
        schema: z.strictObject({
          items: z.array(adminProductListItem),
          total: z.int().nonnegative(),
          page: z.int().positive(),
          pageSize: z.int().positive(),
        }),
      },
    },
    errors: [400],
  },
  {
    operationId: 'listBrands',
    method: 'get',
    path: '/api/admin/brands',
    summary: 'Every brand with its number of products (deleted ones counted), by name: the brand filter',
    tag: 'admin-catalogue',
    auth: 'admin',
    responses: {
      200: {
        description: 'The brands',
        schema: z.strictObject({
          items: z.array(z.strictObject({ brand: z.string(), products: z.int().positive() })),
        }),
      },
    },
    errors: [],
  },
  {
    operationId: 'listStockAdjustments',
    method: 'get',
    path: '/api/admin/products/:id/stock-adjustments',
    summary: 'A product’s stock ledger, newest first: adjustments and order reservations/releases',
    description:
      'Keyset pages (limit 1–100, default 50; pass nextCursor as cursor). Each entry has the stock after it. ' +
      'A product’s initial stock at creation is not a ledger entry.',
    tag: 'admin-catalogue',
    auth: 'admin',
    params: productIdParams,
    query: stockLedgerQuery,
    responses: {
      200: {
        description: 'One page of the ledger',
        schema: z.strictObject({
          items: z.array(stockLedgerEntry),
          nextCursor: z.string().nullable().meta({ description: 'Pass as cursor; null on the last page' }),
        }),
      },
    },
    errors: [400, 404],
  },
];
