import { z } from 'zod';

export const MAX_IMAGES_PER_PRODUCT = 20;
export const MAX_SPEC_KEYS = 30;
export const MAX_PRICE = 100_000_000;
export const MAX_INITIAL_STOCK = 1_000_000;
export const MAX_STOCK_DELTA = 1_000_000;

const noControlCharacters = (value: string) => !/\p{Cc}/u.test(value);
const singleLine = (min: number, max: number) =>
  z.string().trim().min(min).max(max).refine(noControlCharacters, 'must not contain control characters');

export const imageUrl = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an http or https URL' }));

const specs = z
  .record(
    z.string().regex(/^[a-z0-9_]{1,30}$/, 'spec keys are 1–30 of a-z, 0-9 and _'),
    z.union([z.string().max(200), z.number(), z.boolean()]),
  )
  .refine((value) => Object.keys(value).length <= MAX_SPEC_KEYS, `at most ${MAX_SPEC_KEYS} spec keys`);

const productFields = {
  sku: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1–64 of A-Z, a-z, 0-9, . _ -'),
  name: singleLine(1, 200),
  brand: singleLine(1, 80),
  description: z.string().max(5000),
  price: z.number().int().min(1).max(MAX_PRICE),
  categoryId: z.number().int().min(1).max(2_147_483_647),
  specs,
};

export const createProductBody = z.strictObject({
  ...productFields,
  description: productFields.description.optional(),
  specs: specs.optional(),
  stock: z.number().int().min(0).max(MAX_INITIAL_STOCK).optional(),
  images: z.array(imageUrl).max(MAX_IMAGES_PER_PRODUCT).optional(),
});

export type CreateProductInput = z.infer<typeof createProductBody>;

export const updateProductBody = z
  .strictObject({
    sku: productFields.sku.optional(),
    name: productFields.name.optional(),
    brand: productFields.brand.optional(),
    description: productFields.description.optional(),
    price: productFields.price.optional(),
    categoryId: productFields.categoryId.optional(),
    specs: specs.optional(),
    /** The version being edited, for clients that cannot send If-Match. */
    version: z.number().int().min(1).max(4_294_967_295).optional(),
  })
  .refine(({ version: _version, ...changes }) => Object.keys(changes).length > 0, 'nothing to update');

export type UpdateProductInput = z.infer<typeof updateProductBody>;

export const addImageBody = z.strictObject({ url: imageUrl, isPrimary: z.boolean().optional() });

export const imageOrderBody = z.strictObject({
  imageIds: z.array(z.number().int().min(1)).min(1).max(MAX_IMAGES_PER_PRODUCT),
});

export const stockAdjustmentBody = z.strictObject({
  delta: z
    .number()
    .int()
    .min(-MAX_STOCK_DELTA)
    .max(MAX_STOCK_DELTA)
    .refine((value) => value !== 0, 'must not be zero'),
  reason: singleLine(1, 200),
});

// --- the admin product list, the brand filter and the stock ledger --------------------------------------

export const ADMIN_PRODUCT_SORTS = [
  'name',
  '-name',
  'price',
  '-price',
  'stock',
  '-stock',
  'updatedAt',
  '-updatedAt',
  'createdAt',
  '-createdAt',
] as const;
export type AdminProductSort = (typeof ADMIN_PRODUCT_SORTS)[number];
export const ADMIN_PRODUCT_STATUSES = ['active', 'deleted', 'all'] as const;
/** `low`: 1 to LOW_STOCK_THRESHOLD units; `out`: none; `in`: any. */
export const STOCK_FILTERS = ['in', 'low', 'out'] as const;
export const DEFAULT_ADMIN_PAGE_SIZE = 25;
export const MAX_ADMIN_PAGE_SIZE = 100;
/** Beyond this a page is an offset scan of a million rows: refine the filters instead. */
export const MAX_ADMIN_PAGE = 10_000;
export const MAX_ADMIN_QUERY_CHARS = 100;
export const DEFAULT_LEDGER_PAGE_SIZE = 50;

const wholeQueryNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

export const adminProductListQuery = z.object({
  q: singleLine(1, MAX_ADMIN_QUERY_CHARS)
    .optional()
    .meta({ description: 'A part of the name, or the start of the sku (case-insensitive)' }),
  categoryId: wholeQueryNumber(1, 2_147_483_647).optional(),
  brand: singleLine(1, 80).optional().meta({ description: 'Exact brand' }),
  status: z.enum(ADMIN_PRODUCT_STATUSES).default('all'),
  stock: z.enum(STOCK_FILTERS).optional().meta({
    description: 'in: at least one unit; low: 1 to 5 units (LOW_STOCK_THRESHOLD); out: none',
  }),
  sort: z
    .enum(ADMIN_PRODUCT_SORTS)
    .default('-updatedAt')
    .meta({ description: 'A field, `-` for descending; ties broken by id in the same direction' }),
  page: wholeQueryNumber(1, MAX_ADMIN_PAGE).default(1),
  pageSize: wholeQueryNumber(1, MAX_ADMIN_PAGE_SIZE).default(DEFAULT_ADMIN_PAGE_SIZE),
});
export type AdminProductListQuery = z.infer<typeof adminProductListQuery>;

export const stockLedgerQuery = z.object({
  cursor: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor')
    .optional(),
  limit: wholeQueryNumber(1, 100).default(DEFAULT_LEDGER_PAGE_SIZE),
});
export type StockLedgerQuery = z.infer<typeof stockLedgerQuery>;
