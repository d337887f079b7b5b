import type { RequestHandler, Response } from 'express';
import { DeadlineExceededError, toErrorResponse } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { currentRequestId } from '../../shared/tracing';

/**
 * After the deadline's answer, the handler's own late answer must not throw (headers already sent) nor reach
 * the socket: its writes become no-ops, and the first one is logged.
 */
function dropLateAnswer(res: Response, onFirstWrite: () => void): void {
  let noted = false;
  const note = () => {
    if (noted) return;
    noted = true;
    onFirstWrite();
  };
  res.setHeader = (() => (note(), res)) as Response['setHeader'];
  res.writeHead = (() => (note(), res)) as Response['writeHead'];
  res.write = (() => (note(), true)) as Response['write'];
  res.end = (() => (note(), res)) as Response['end'];
}

/**
 * Gives each request `timeoutMs` to answer: past it, the client gets 503 DEADLINE_EXCEEDED (the JSON error
 * body) instead of waiting on a handler that may never finish, and the handler's late answer is dropped.
 * A response that has already started, such as an order-event stream (SSE), is left alone. The handler's work
 * is not cancelled: the database's statement time limit bounds what it can still hold. 0 turns it off.
 */
export function requestDeadline(timeoutMs: number, logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (timeoutMs <= 0) {
      next();
      return;
    }
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      logger.warn(
        { req: { method: req.method, url: req.originalUrl }, timeoutMs },
        'request deadline passed',
      );
      const answer = toErrorResponse(
        new DeadlineExceededError(`The request did not finish within ${timeoutMs} ms; try again shortly`),
        currentRequestId(),
      );
      res.status(answer.status).set(answer.headers).set('Connection', 'close').json(answer.body);
      dropLateAnswer(res, () => logger.info({ timeoutMs }, 'late answer dropped'));
    }, timeoutMs);
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}
