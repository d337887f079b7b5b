import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { currentRequestId, requestIdMiddleware } from '../shared/tracing';
import type { BffContext } from './context';
import { authRoutes } from './auth/auth.routes';
import { cartRoutes } from './cart/cart.routes';
import { catalogueRoutes } from './catalogue/catalogue.routes';
import { healthRoutes } from './health/health.routes';
import { orderRoutes } from './orders/orders.routes';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { gatewayTrust } from './middleware/gateway-trust';

/** Builds the BFF's Express app (no listen), so tests can start it on port 0 against their own context. */
export function createApp(ctx: BffContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('etag', false);

  app.use(requestIdMiddleware);
  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: () => currentRequestId() ?? '',
      quietReqLogger: true,
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(helmet({ contentSecurityPolicy: false }));

  app.use(healthRoutes(ctx));
  app.use(gatewayTrust(ctx.config.GATEWAY_SECRET));
  app.use(express.json({ limit: '100kb' }));

  app.use(authRoutes(ctx));
  app.use(catalogueRoutes(ctx));
  app.use(cartRoutes(ctx));
  app.use(orderRoutes(ctx));

  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}
