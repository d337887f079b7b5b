import pino, { type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './tracing';

export type { Logger };

/**
 * The process logger: JSON lines, each carrying the current request or job id (`requestId`) when one is
 * active, so one grep follows a request from nginx through the BFF into the workers.
 */
export function createLogger(options: {
  level: string;
  name: string;
  destination?: DestinationStream;
}): Logger {
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
    options.destination ?? pino.destination(1),
  );
}
