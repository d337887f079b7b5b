import type { RequestHandler } from 'express';
import type { Logger } from '../../shared/logger';

/**
 * One JSON line per request (method, url, status, duration, and the request id through the logger's
 * mixin). Skipped entirely when info is off, so a quiet production log level costs nothing per request.
 * Errors are logged by the error handler whatever the level.
 */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (!logger.isLevelEnabled('info')) {
      next();
      return;
    }
    const started = process.hrtime.bigint();
    const requestId = res.getHeader('x-request-id');
    res.once('finish', () => {
      logger.info(
        {
          requestId,
          req: { method: req.method, url: req.originalUrl },
          res: { statusCode: res.statusCode },
          responseTime: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request completed',
      );
    });
    next();
  };
}
