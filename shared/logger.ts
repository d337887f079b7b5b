import pino, { type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './tracing';

export type { Logger };

/**
 * 'pretty' when a person reads the output at a terminal (stdout a TTY, NODE_ENV not production), else 'json';
 * LOG_FORMAT=json|pretty decides instead. `npm start` runs each process with LOG_FORMAT=json and pretty-prints
 * in its supervisor (scripts/supervise.mjs), so its log files stay JSON. docs/logging.md.
 */
export function logFormat(
  env: NodeJS.ProcessEnv = process.env,
  isTTY: boolean = Boolean(process.stdout.isTTY),
): 'json' | 'pretty' {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return env.NODE_ENV !== 'production' && isTTY ? 'pretty' : 'json';
}

/** pino-pretty (a devDependency) writing synchronously to stdout; undefined where it is not installed. */
function prettyDestination(): DestinationStream | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as (options: object) => DestinationStream;
    return pretty({
      colorize: Boolean(process.stdout.isTTY),
      sync: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
    });
  } catch {
    return undefined;
  }
}

/**
 * The process logger: JSON lines, each carrying the current request or job id (`requestId`) when one is
 * active, so one grep follows a request from nginx through the BFF into the workers. Pretty, coloured lines
 * instead when `logFormat()` says so (a process run by hand at a terminal).
 */
export function createLogger(options: {
  level: string;
  name: string;
  destination?: DestinationStream;
}): Logger {
  const destination =
    options.destination ??
    (logFormat() === 'pretty' ? prettyDestination() : undefined) ??
    pino.destination(1);
  return pino(
    {
      level: options.level,
      base: { service: options.name },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin() {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-gateway-secret"]',
          '*.password',
          '*.refreshToken',
          '*.accessToken',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
