import { z } from 'zod';

/**
 * A positive database id in a path: decimal digits without sign or leading zero, within the JS-safe range,
 * so `/x/01`, `/x/1e3`, `/x/-1` and `/x/99999999999999999` are all a 400, never a query.
 */
export const pathId = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'must be a positive integer id')
  .transform(Number)
  .refine(Number.isSafeInteger, 'is too large');
