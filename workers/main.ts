import { writeFileSync } from 'node:fs';
import { ConfigError, loadConfigOrExit } from '../shared/config';
import { createLogger } from '../shared/logger';
import { startEventLoopWatchdog } from '../shared/event-loop-watchdog';
import { onShutdownSignal } from '../shared/shutdown';
import { waitForDependencies } from '../shared/startup-checks';
import { startWorkers } from './bootstrap';
import { planWorkers, type DomainPlan } from './worker-plan';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'workers' });

function planOrExit(): DomainPlan[] {
  try {
    return planWorkers(config.WORKER_QUEUES, config.WORKER_CONCURRENCY, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
}

async function main(): Promise<void> {
  const plan = planOrExit();
  // Not "running" before the database and Redis answer: one line per retry, or exit 78 for a wrong
  // password or database name (shared/startup-checks).
  await waitForDependencies(config, logger);
  // Started once the wait is over, as the workers' set-up then runs right after it did before the wait.
  const watchdog = startEventLoopWatchdog(config.EVENT_LOOP_BLOCK_EXIT_MS, logger);
  const running = await startWorkers(config, logger, plan);
  onShutdownSignal(logger, config.WORKER_SHUTDOWN_TIMEOUT_MS + 5000, async () => {
    await running.close(config.WORKER_SHUTDOWN_TIMEOUT_MS);
    // Last: a shutdown whose loop blocks is still ended by the watchdog (the shutdown timer could not fire).
    await watchdog.stop();
  });
  logger.info({ plan }, 'workers running');
  // Rolling deploys (scripts/deploy/roll-workers.sh) stop the old processes only once the new ones got
  // this far, whatever LOG_LEVEL says.
  const readyFile = process.env.WORKER_READY_FILE;
  if (readyFile) writeFileSync(readyFile, `${process.pid}\n`);
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'workers failed to start');
  process.exit(1);
});
