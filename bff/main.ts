import { loadConfigOrExit } from '../shared/config';
import { createLogger } from '../shared/logger';
import { startEventLoopWatchdog } from '../shared/event-loop-watchdog';
import { waitForDependencies } from '../shared/startup-checks';
import { drainableHttpServer, onShutdownSignal } from '../shared/shutdown';
import { createApp } from './app';
import { createBffContext } from './bootstrap';
import { createBffServer } from './server';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'bff' });

// Blue-green deploys (scripts/deploy) name each instance, so an operator, and the deploy test, can see
// which colour answered a request.
const colour = process.env.BFF_COLOUR;
if (colour !== undefined && colour !== '' && !/^[a-z0-9-]{1,32}$/.test(colour)) {
  process.stderr.write('Invalid configuration: BFF_COLOUR is invalid (a-z, 0-9 and -, at most 32)\n');
  process.exit(78);
}

// Nothing listens before the database and Redis answer: an unreachable one is one line per retry, a wrong
// password or database name one line and exit 78 (shared/startup-checks).
waitForDependencies(config, logger).then(start, (error: unknown) => {
  logger.fatal({ err: error }, 'bff failed to start');
  process.exit(1);
});

function start(): void {
  // Started here, as before the wait existed: the app is built synchronously right after it, and waiting for
  // the database is not a blocked loop.
  const watchdog = startEventLoopWatchdog(config.EVENT_LOOP_BLOCK_EXIT_MS, logger);
  const ctx = createBffContext(config, logger);
  const app = createApp(ctx);

  const server = createBffServer(app);
  // A listen error (EADDRINUSE, ...) must end the process: without an exit it would stay up without
  // listening, and a deploy could take another process on the port for this one.
  const exitOnListenError = (error: Error) => {
    logger.fatal({ err: error, host: config.BFF_HOST, port: config.BFF_PORT }, 'bff could not listen');
    process.exit(1);
  };
  server.once('error', exitOnListenError);
  server.listen(config.BFF_PORT, config.BFF_HOST, () => {
    server.off('error', exitOnListenError);
    logger.info({ host: config.BFF_HOST, port: config.BFF_PORT, colour }, 'bff listening');
  });
  server.keepAliveTimeout = 65_000; // longer than nginx's upstream keepalive_timeout, so nginx closes first
  if (colour) server.prependListener('request', (_req, res) => res.setHeader('X-Served-By', colour));
  const http = drainableHttpServer(server);

  onShutdownSignal(logger, 25_000, async () => {
    // Stop accepting, let in-flight requests finish (bounded), then release connections.
    const outcome = await http.drain(15_000);
    if (outcome === 'forced') logger.warn('forced remaining connections closed after 15000 ms');
    await ctx.close();
    // Last: a shutdown whose loop blocks is still ended by the watchdog (the shutdown timer could not fire).
    await watchdog.stop();
  });
}
