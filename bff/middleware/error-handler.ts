import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
  toErrorResponse,
} from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { currentRequestId } from '../../shared/tracing';
import { unsupportedContentEncoding } from './request-decoding';

interface HttpLayerError {
  /** body-parser's (and raw-body's) kind of failure. */
  type?: string;
  status?: number;
  /** Set by http-errors on 4xx errors: the client's fault, safe to tell it. */
  expose?: boolean;
}

/**
 * Errors raised by body-parser while it reads a body are the client's fault, never a 500. Most carry a
 * `type`; a body that does not decode under its Content-Encoding (zlib's "incorrect header check",
 * "unexpected end of file") carries none, only http-errors' exposed 400. The types that remain
 * ('stream.encoding.set', 'stream.not.readable') are the server's own mistakes: 500.
 */
function fromBodyParser(error: unknown): Error | undefined {
  const { type, status, expose } = (error ?? {}) as HttpLayerError;
  if (type === 'entity.parse.failed') return new ValidationError('Request body is not valid JSON');
  if (type === 'entity.too.large') return new PayloadTooLargeError('Request body is too large');
  if (type === 'encoding.unsupported') return unsupportedContentEncoding();
  if (type === 'charset.unsupported')
    return new UnsupportedMediaTypeError('Request body must be JSON in UTF-8');
  if (type === 'request.aborted' || type === 'request.size.invalid')
    return new ValidationError('Request body could not be read');
  if (expose === true && status === 400)
    return new ValidationError('Request body could not be decoded; check its Content-Encoding');
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
