import type { ErrorRequestHandler, RequestHandler } from 'express';
import { NotFoundError, PayloadTooLargeError, ValidationError, toErrorResponse } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { currentRequestId } from '../../shared/tracing';

/** Errors raised by body-parser carry a `type`; they are the client's fault, never a 500. */
function fromBodyParser(error: unknown): Error | undefined {
  const type = (error as { type?: string } | null)?.type;
  if (type === 'entity.parse.failed') return new ValidationError('Request body is not valid JSON');
  if (type === 'entity.too.large') return new PayloadTooLargeError('Request body is too large');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported' || type === 'request.aborted')
    return new ValidationError('Request body could not be read');
  return undefined;
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`No route for ${req.method} ${req.path}`));
};

/** The one place that renders errors: AppErrors as their own status, anything else as a logged 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const mapped = toErrorResponse(fromBodyParser(error) ?? error, currentRequestId());
    if (mapped.status >= 500) logger.error({ err: error }, 'request failed');
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(mapped.status).set(mapped.headers).json(mapped.body);
  };
}
