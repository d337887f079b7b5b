import express, { type Express } from 'express';
import helmet from 'helmet';
import { requestIdMiddleware } from '../shared/tracing';
import type { BffContext } from './context';
import { adminOrderCancelRoutes } from './admin/admin-order-cancel.routes';
import { adminRoutes } from './admin/admin.routes';
import { DASHBOARD_PATH, queueDashboard } from './admin/queue-dashboard';
import { authRoutes } from './auth/auth.routes';
import { cartRoutes } from './cart/cart.routes';
import { catalogueRoutes } from './catalogue/catalogue.routes';
import { healthRoutes } from './health/health.routes';
import { openApiRoutes } from './openapi/openapi.routes';
import { orderRoutes } from './orders/orders.routes';
import { accessLog } from './middleware/access-log';
import { adminGuard } from './middleware/admin-guard';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { gatewayTrust } from './middleware/gateway-trust';
import { decodablePath, jsonBody } from './middleware/request-decoding';
import { requestDeadline } from './middleware/request-deadline';
import { bffMetrics } from './metrics/bff-metrics';
import { endJsonWithNewline } from '../shared/json-newline';

/** Builds the BFF's Express app (no listen), so tests can start it on port 0 against their own context. */
export function createApp(ctx: BffContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('etag', false);
  endJsonWithNewline(app);

  const metrics = bffMetrics(ctx);
  app.use(requestIdMiddleware);
  app.use(metrics.measureRequests);
  app.use(accessLog(ctx.logger));
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(requestDeadline(ctx.config.REQUEST_TIMEOUT_MS, ctx.logger));

  app.use(healthRoutes(ctx));
  app.use(metrics.routes); // /metrics: like /healthz, not behind the gateway secret (nginx does not route it)
  app.use(gatewayTrust(ctx.config.GATEWAY_SECRET));
  app.use(decodablePath);
  app.use(jsonBody());
  app.use(requestIdMiddleware); // re-enter the request's context after the body stream ended

  app.use(openApiRoutes());
  app.use(['/api/admin', DASHBOARD_PATH], adminGuard(ctx));
  app.use(authRoutes(ctx));
  app.use(catalogueRoutes(ctx));
  app.use(cartRoutes(ctx));
  app.use(orderRoutes(ctx));
  app.use(adminRoutes(ctx));
  app.use(adminOrderCancelRoutes(ctx));
  app.use(DASHBOARD_PATH, queueDashboard(ctx));

  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}
