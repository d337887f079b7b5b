import { z } from 'zod';

/** Who may call a route, as the gateway enforces it. */
export type RouteAuth = 'public' | 'optional' | 'user' | 'admin';

export interface ResponseDoc {
  description: string;
  /** The body; omitted for empty responses (204) and streams described by contentType. */
  schema?: z.ZodType;
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * One operation of the public API. Each domain lists its operations in `<domain>.openapi.ts` with the
 * same zod schemas its routes validate with; the OpenAPI document and the contract test are built from
 * these lists, so the document cannot drift from the code.
 */
export interface RouteDoc {
  /** Unique, stable, camelCase: what client generators name the call (`placeOrder`, `getOrder`). */
  operationId: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path: `/api/orders/:id`. */
  path: string;
  summary: string;
  /** Longer than the summary when there is more to say; the document always adds who may call it. */
  description?: string;
  tag: string;
  auth: RouteAuth;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  /** Success responses by status. */
  responses: Record<number, ResponseDoc>;
  /** Error statuses this operation may answer with the error body. */
  errors: number[];
}

/** The JSON error body every endpoint and the gateway answer with. */
export const errorBody = z
  .strictObject({
    error: z.strictObject({
      code: z.string().meta({ description: 'Stable machine-readable code: docs/errors.md' }),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });

/**
 * Error statuses the gateway answers for any request before it reaches a route (docs/errors.md): 400 for a
 * request line it cannot parse or a non-ASCII URI, 414 for a request line over 16 KB, 431 for headers too large.
 */
export const ANY_REQUEST_ERRORS: readonly number[] = [400, 414, 431];

/** Error statuses the gateway itself may answer for an operation with this auth. */
export function gatewayErrors(auth: RouteAuth): number[] {
  const authErrors = auth === 'admin' ? [401, 403] : auth === 'user' || auth === 'optional' ? [401] : [];
  return [...ANY_REQUEST_ERRORS, ...authErrors];
}

/**
 * Error statuses an operation may answer before its handler runs (bff/middleware/request-decoding.ts): 400
 * for a path parameter that is not percent-encoded UTF-8 or a body that does not decode; 413 for a body over
 * the BFF's 100 kB (decoded) or the gateway's 1 MB; 415 for a body in a Content-Encoding or charset the BFF
 * does not take.
 */
export function requestDecodingErrors(doc: Pick<RouteDoc, 'path' | 'body'>): number[] {
  return [...(doc.path.includes('/:') ? [400] : []), ...(doc.body ? [400, 413, 415] : [])];
}
