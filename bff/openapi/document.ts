import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { adminRouteDocs } from '../admin/admin.openapi';
import { authRouteDocs } from '../auth/auth.openapi';
import { cartRouteDocs } from '../cart/cart.openapi';
import { catalogueRouteDocs } from '../catalogue/catalogue.openapi';
import { healthRouteDocs } from '../health/health.openapi';
import { orderRouteDocs } from '../orders/orders.openapi';
import { errorBody, gatewayErrors, requestDecodingErrors, type RouteDoc } from './route-doc';

/** Every documented operation, domain by domain. A new route is added to its domain's list. */
export const allRouteDocs: RouteDoc[] = [
  ...healthRouteDocs,
  ...authRouteDocs,
  ...catalogueRouteDocs,
  ...cartRouteDocs,
  ...orderRouteDocs,
  ...adminRouteDocs,
];

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED and domain codes)',
  401: 'Missing, invalid or expired token',
  403: 'Not allowed (role, suspended account)',
  404: 'Not found (or not yours)',
  409: 'Conflicts with the current state',
  412: 'Stale version (If-Match / version)',
  413: 'Body too large',
  415: 'Content-Encoding or charset not accepted (UNSUPPORTED_MEDIA_TYPE)',
  422: 'Understood but not acceptable',
  428: 'A precondition (If-Match or version) is required',
  429: 'Rate limited; see Retry-After',
  503: 'A dependency is unavailable; retry later',
};

export const openApiPath = (expressPath: string): string => expressPath.replace(/:([A-Za-z]+)/g, '{$1}');

/** Builds the OpenAPI 3.1 document from the route lists and their zod schemas. */
export function buildOpenApiDocument() {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT (EdDSA), verified by the gateway',
  });
  for (const doc of allRouteDocs) {
    const responses: Record<string, object> = {};
    for (const [status, response] of Object.entries(doc.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.headers
          ? {
              headers: Object.fromEntries(
                Object.entries(response.headers).map(([name, description]) => [
                  name,
                  { description, schema: { type: 'string' } },
                ]),
              ),
            }
          : {}),
        ...(response.schema
          ? { content: { 'application/json': { schema: response.schema } } }
          : response.contentType
            ? { content: { [response.contentType]: { schema: { type: 'string' } } } }
            : {}),
      };
    }
    const statuses = [...doc.errors, ...requestDecodingErrors(doc), ...gatewayErrors(doc.auth)];
    for (const status of [...new Set(statuses)].sort()) {
      responses[String(status)] = {
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/json': { schema: errorBody } },
      };
    }
    registry.registerPath({
      method: doc.method,
      path: openApiPath(doc.path),
      summary: doc.summary,
      tags: [doc.tag],
      ...(doc.auth === 'public'
        ? {}
        : { security: doc.auth === 'optional' ? [{ [bearer.name]: [] }, {}] : [{ [bearer.name]: [] }] }),
      request: {
        ...(doc.params ? { params: doc.params } : {}),
        ...(doc.query ? { query: doc.query } : {}),
        ...(doc.headers ? { headers: doc.headers } : {}),
        ...(doc.body ? { body: { content: { 'application/json': { schema: doc.body } } } } : {}),
      },
      responses: responses as never,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Voltmall API',
      version: '0.1.0',
      description:
        'The API of the Voltmall electronics shop, through its gateway. Errors share one body: ' +
        '{ "error": { code, message, details?, requestId } } (codes in docs/errors.md). Every response carries X-Request-Id.',
    },
    servers: [{ url: 'http://127.0.0.1:8080', description: 'Local gateway (npm start)' }],
  });
}
