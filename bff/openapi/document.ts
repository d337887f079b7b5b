import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { adminOrderCancelRouteDocs } from '../admin/admin-order-cancel.openapi';
import { adminRouteDocs } from '../admin/admin.openapi';
import { authRouteDocs } from '../auth/auth.openapi';
import { cartRouteDocs } from '../cart/cart.openapi';
import { adminProductsRouteDocs } from '../catalogue/admin-products.openapi';
import { catalogueRouteDocs } from '../catalogue/catalogue.openapi';
import { healthRouteDocs } from '../health/health.openapi';
import { orderRouteDocs } from '../orders/orders.openapi';
import { errorBody, gatewayErrors, requestDecodingErrors, type RouteAuth, type RouteDoc } from './route-doc';

/** Every documented operation, domain by domain. A new route is added to its domain's list. */
export const allRouteDocs: RouteDoc[] = [
  ...healthRouteDocs,
  ...authRouteDocs,
  ...catalogueRouteDocs,
  ...adminProductsRouteDocs,
  ...cartRouteDocs,
  ...orderRouteDocs,
  ...adminRouteDocs,
  ...adminOrderCancelRouteDocs,
];

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED and domain codes)',
  401: 'Missing, invalid or expired token',
  403: 'Not allowed (role, suspended account)',
  404: 'Not found (or not yours)',
  409: 'Conflicts with the current state',
  412: 'Stale version (If-Match / version)',
  413: 'Body too large',
  414: 'Request line too long (URI_TOO_LONG)',
  415: 'Content-Encoding or charset not accepted (UNSUPPORTED_MEDIA_TYPE)',
  422: 'Understood but not acceptable',
  428: 'A precondition (If-Match or version) is required',
  429: 'Rate limited; see Retry-After',
  431: 'Request headers too large (HEADER_TOO_LARGE)',
  503: 'A dependency is unavailable; retry later',
};

const WHO_MAY_CALL: Record<RouteAuth, string> = {
  public: 'Public: no token needed (one sent is ignored).',
  optional: 'A Bearer token is optional: with one it acts for the signed-in user, without one for a guest.',
  user: 'Needs a signed-in user’s Bearer token.',
  admin: 'Needs an admin’s Bearer token.',
};

/** The tags, in the order tools list them. A RouteDoc's tag must be one of these. */
const TAGS = [
  { name: 'health', description: 'Liveness and readiness probes' },
  { name: 'auth', description: 'Sign-up, login, token refresh, SMS phone verification and OpenID Connect' },
  { name: 'users', description: 'The signed-in user' },
  { name: 'catalogue', description: 'Products and categories, public reads' },
  { name: 'cart', description: 'The cart of a signed-in user or of a guest (X-Cart-Id)' },
  { name: 'orders', description: 'Placing, following and cancelling orders' },
  { name: 'admin-catalogue', description: 'Admin: products, stock and images' },
  { name: 'admin-users', description: 'Admin: users, their status and logins' },
  { name: 'admin-orders', description: 'Admin: every user’s orders and their history' },
  { name: 'admin-stats', description: 'Admin: sales statistics' },
  { name: 'admin-dashboard', description: 'Admin: the queue dashboard’s session' },
];

export const openApiPath = (expressPath: string): string => expressPath.replace(/:([A-Za-z]+)/g, '{$1}');

/** Builds the OpenAPI 3.1 document from the route lists and their zod schemas. */
export function buildOpenApiDocument() {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT (EdDSA), verified by the gateway',
  });
  const tagNames = new Set(TAGS.map((tag) => tag.name));
  const operationIds = new Set<string>();
  for (const doc of allRouteDocs) {
    if (!tagNames.has(doc.tag)) throw new Error(`${doc.operationId}: tag ${doc.tag} is not declared in TAGS`);
    if (operationIds.has(doc.operationId)) throw new Error(`operationId ${doc.operationId} is used twice`);
    operationIds.add(doc.operationId);
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
    for (const status of [...new Set(statuses)].sort((a, b) => a - b)) {
      responses[String(status)] = {
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/json': { schema: errorBody } },
      };
    }
    registry.registerPath({
      method: doc.method,
      path: openApiPath(doc.path),
      operationId: doc.operationId,
      summary: doc.summary,
      description: [doc.description ?? `${doc.summary}.`, WHO_MAY_CALL[doc.auth]].join(' '),
      tags: [doc.tag],
      ...(doc.auth === 'public'
        ? { security: [] }
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
      license: { name: 'MIT', identifier: 'MIT' },
    },
    // Relative, so "Try it out" calls whichever gateway served the document (npm start: http://127.0.0.1:8080).
    servers: [{ url: '/', description: 'The gateway that serves this document' }],
    tags: TAGS,
  });
}
