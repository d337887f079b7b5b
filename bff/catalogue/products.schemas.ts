import { z } from 'zod';
import { pathId } from '../http/path-id';
import { ValidationError } from '../../shared/errors';

export const SORT_ORDERS = ['relevance', 'price_asc', 'price_desc', 'newest', 'best_selling'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export const MAX_QUERY_CHARS = 100;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
export const MAX_SPEC_FILTERS = 5;
export const MAX_VALUES_PER_FILTER = 20;
/** The products.price/stock columns are INT UNSIGNED. */
export const MAX_UNSIGNED_INT = 4_294_967_295;

export const databaseId = pathId;

export const productIdParams = z.object({ id: databaseId });
export const productImageParams = z.object({ id: databaseId, imageId: databaseId });

const wholeNumber = (max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,10}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().max(max, `must be at most ${max}`));

/** One value or a repeated parameter, each possibly a comma list: `brand=LG&brand=Samsung,Sony`. */
const stringList = (maxLength: number) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((value) =>
      (Array.isArray(value) ? value : [value])
        .flatMap((item) => item.split(','))
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    )
    .pipe(z.array(z.string().max(maxLength)).max(MAX_VALUES_PER_FILTER));

export const listProductsQuery = z
  .object({
    q: z.string().max(MAX_QUERY_CHARS, `must be at most ${MAX_QUERY_CHARS} characters`).optional(),
    category: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,79}$/, 'must be a category slug or id')
      .optional(),
    brand: stringList(80).optional(),
    minPrice: wholeNumber(MAX_UNSIGNED_INT).optional(),
    maxPrice: wholeNumber(MAX_UNSIGNED_INT).optional(),
    inStock: z.enum(['true', 'false']).optional(),
    sort: z.enum(SORT_ORDERS).optional(),
    limit: z
      .string()
      .regex(/^[0-9]{1,3}$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().min(1).max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`))
      .optional(),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,400}$/, 'is not a cursor')
      .optional(),
  })
  .refine(
    (query) =>
      query.minPrice === undefined || query.maxPrice === undefined || query.minPrice <= query.maxPrice,
    { message: 'minPrice must not exceed maxPrice', path: ['minPrice'] },
  );

export type ListProductsQuery = z.infer<typeof listProductsQuery>;

export interface SpecFilter {
  key: string;
  values: string[];
}

const SPEC_PARAM_PREFIX = 'spec.';
const specKey = /^[a-z0-9_]{1,30}$/;
const specValues = stringList(100).pipe(z.array(z.string()).min(1, 'needs a value'));

/**
 * `spec.ram=16GB&spec.color=Black,Silver` → filters on the specs JSON. Keys are whitelisted to
 * [a-z0-9_]{1,30} (they end up in a JSON path), at most {@link MAX_SPEC_FILTERS} of them.
 */
export function parseSpecFilters(query: Record<string, unknown>): SpecFilter[] {
  const filters: SpecFilter[] = [];
  const problems: { path: string; message: string }[] = [];
  for (const [param, raw] of Object.entries(query)) {
    if (!param.startsWith(SPEC_PARAM_PREFIX)) continue;
    const key = param.slice(SPEC_PARAM_PREFIX.length);
    if (!specKey.test(key)) {
      problems.push({ path: param, message: 'spec keys are 1–30 of a-z, 0-9 and _' });
      continue;
    }
    const values = specValues.safeParse(raw);
    if (!values.success)
      problems.push({ path: param, message: values.error.issues[0]?.message ?? 'invalid' });
    else filters.push({ key, values: values.data });
  }
  if (filters.length > MAX_SPEC_FILTERS)
    problems.push({ path: 'spec', message: `at most ${MAX_SPEC_FILTERS} spec filters` });
  if (problems.length > 0) throw new ValidationError('Invalid product query', { details: problems });
  return filters.sort((a, b) => a.key.localeCompare(b.key));
}
