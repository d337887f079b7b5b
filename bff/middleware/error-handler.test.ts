import type { Request, Response } from 'express';
import type { Logger } from '../../shared/logger';
import { errorHandler } from './error-handler';

interface Rendered {
  status: number;
  body: { error: { code: string; message: string } };
  logged: number;
}

/** Runs the error handler on `error` with a recording response; no server involved. */
function render(error: unknown): Rendered {
  const rendered = { status: 0, body: undefined as unknown, logged: 0 };
  const res = {
    headersSent: false,
    status(code: number) {
      rendered.status = code;
      return this;
    },
    set() {
      return this;
    },
    json(body: unknown) {
      rendered.body = body;
      return this;
    },
  };
  const logger = { error: () => (rendered.logged += 1) } as unknown as Logger;
  errorHandler(logger)(error, {} as Request, res as unknown as Response, () => undefined);
  return rendered as Rendered;
}

/** An error as http-errors makes them for body-parser: a status, `expose` for 4xx, and maybe a `type`. */
const bodyParserError = (status: number, type?: string, message = 'failed') =>
  Object.assign(new Error(message), { status, statusCode: status, expose: status < 500, type });

describe('errorHandler: what body-parser raises', () => {
  it.each([
    ['entity.parse.failed', 400, 400, 'VALIDATION_FAILED'],
    ['entity.too.large', 413, 413, 'PAYLOAD_TOO_LARGE'],
    ['encoding.unsupported', 415, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['charset.unsupported', 415, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['request.aborted', 400, 400, 'VALIDATION_FAILED'],
    ['request.size.invalid', 400, 400, 'VALIDATION_FAILED'],
  ])('when the type is %s, then it answers %i → %i %s', (type, raised, status, code) => {
    const rendered = render(bodyParserError(raised, type));

    expect({ status: rendered.status, code: rendered.body.error.code, logged: rendered.logged }).toEqual({
      status,
      code,
      logged: 0,
    });
  });

  it('when a body does not decode under its Content-Encoding (zlib error, no type), then 400 VALIDATION_FAILED without zlib text', () => {
    const zlibError = Object.assign(bodyParserError(400, undefined, 'incorrect header check'), {
      code: 'Z_DATA_ERROR',
    });

    const rendered = render(zlibError);

    expect(rendered.status).toBe(400);
    expect(rendered.body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'Request body could not be decoded; check its Content-Encoding',
      requestId: undefined,
    });
  });

  it.each([['stream.encoding.set'], ['stream.not.readable']])(
    'when the type is %s (the server misused the stream), then a logged 500',
    (type) => {
      const rendered = render(bodyParserError(500, type));

      expect({ status: rendered.status, code: rendered.body.error.code, logged: rendered.logged }).toEqual({
        status: 500,
        code: 'INTERNAL',
        logged: 1,
      });
    },
  );

  it('when an unknown error carries a 4xx status but no http-errors exposure, then it stays a logged 500', () => {
    const rendered = render(Object.assign(new Error('provider said 400'), { status: 400 }));

    expect({ status: rendered.status, logged: rendered.logged }).toEqual({ status: 500, logged: 1 });
  });
});
