import express, { type RequestHandler } from 'express';
import { UnsupportedMediaTypeError, ValidationError } from '../../shared/errors';
import { refuseUnpairedSurrogates } from '../http/well-formed-json';

/**
 * The largest JSON body the BFF reads. body-parser counts it after undoing the Content-Encoding, so a small
 * compressed body that inflates past it (a deflate bomb) is cut off there: 413, not memory.
 */
export const JSON_BODY_LIMIT = '100kb';

/**
 * The Content-Encodings a request body may come in. body-parser also takes zstd where Node has it (22.15+);
 * naming the set here keeps the API the same on every runtime.
 */
export const ACCEPTED_CONTENT_ENCODINGS: readonly string[] = ['identity', 'gzip', 'deflate', 'br'];

/**
 * A path that is not percent-encoded UTF-8 (`%ff`, `%c0%af`, a cut `%e2%82`) is a 400 on every route.
 * Without this, Express's router throws a URIError while it decodes a path parameter (a 500 here), and a
 * mounted app with its own error handler (Bull Board) answers in its own shape. When the whole path
 * decodes, so does every parameter cut from it between literal characters.
 */
export const decodablePath: RequestHandler = (req, _res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch {
    next(new ValidationError('The path is not valid percent-encoded UTF-8'));
    return;
  }
  next();
};

/** As body-parser decides it (type-is): a request has a body when it announces a length or a transfer coding. */
const announcesBody = (headers: { 'content-length'?: string; 'transfer-encoding'?: string }) =>
  headers['transfer-encoding'] !== undefined || headers['content-length'] !== undefined;

/** The answer to a body in any other Content-Encoding (the client's header is not echoed back). */
export const unsupportedContentEncoding = (): UnsupportedMediaTypeError =>
  new UnsupportedMediaTypeError(
    `This Content-Encoding is not accepted; send ${ACCEPTED_CONTENT_ENCODINGS.join(', ')}`,
    { details: { acceptedContentEncodings: ACCEPTED_CONTENT_ENCODINGS } },
  );

const acceptedContentEncoding: RequestHandler = (req, _res, next) => {
  const encoding = req.headers['content-encoding'];
  if (encoding === undefined || !announcesBody(req.headers)) return next();
  if (ACCEPTED_CONTENT_ENCODINGS.includes(encoding.trim().toLowerCase())) return next();
  next(unsupportedContentEncoding());
};

/**
 * Reads JSON bodies. Whatever the client sends wrong (bad JSON, a body that does not decode under its
 * Content-Encoding, an unknown encoding or charset, too large) becomes a 4xx in the error handler.
 */
export function jsonBody(): RequestHandler[] {
  return [
    acceptedContentEncoding,
    express.json({ limit: JSON_BODY_LIMIT, reviver: refuseUnpairedSurrogates }),
  ];
}
