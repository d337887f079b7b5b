import { loadConfigOrExit } from '../shared/config';
import { createLogger } from '../shared/logger';
import { onShutdownSignal, withTimeout } from '../shared/shutdown';
import { createApp } from './app';
import { createBffContext } from './bootstrap';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'bff' });
const ctx = createBffContext(config, logger);
const app = createApp(ctx);

const server = app.listen(config.BFF_PORT, config.BFF_HOST, () => {
  logger.info({ host: config.BFF_HOST, port: config.BFF_PORT }, 'bff listening');
});
server.keepAliveTimeout = 65_000; // longer than nginx's upstream keepalive_timeout, so nginx closes first

onShutdownSignal(logger, 25_000, async () => {
  // Stop accepting, let in-flight requests finish (bounded), then release connections.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await withTimeout(closed, 15_000, 'draining HTTP requests').catch((error: unknown) => {
    logger.warn({ err: error }, 'forcing remaining connections closed');
    server.closeAllConnections();
  });
  await ctx.close();
});
