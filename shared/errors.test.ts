import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
  toErrorResponse,
  unavailableOnFailure,
} from './errors';

describe('toErrorResponse', () => {
  it.each([
    [new ValidationError('bad'), 400, 'VALIDATION_FAILED'],
    [new UnauthorizedError('who'), 401, 'UNAUTHORIZED'],
    [new ForbiddenError('no'), 403, 'FORBIDDEN'],
    [new NotFoundError('gone'), 404, 'NOT_FOUND'],
    [new ConflictError('twice'), 409, 'CONFLICT'],
    [new UnsupportedMediaTypeError('zstd'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [new ServiceUnavailableError('later'), 503, 'SERVICE_UNAVAILABLE'],
  ])('when %s is thrown, then it answers %i with code %s', (error, status, code) => {
    const response = toErrorResponse(error, 'req-12345678');
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ error: { code, message: error.message, requestId: 'req-12345678' } });
  });

  it('when an error has details and headers, then both are passed on', () => {
    const error = new ValidationError('bad', {
      details: [{ path: 'email' }],
      headers: { 'Retry-After': '1' },
    });
    expect(toErrorResponse(error, undefined)).toEqual({
      status: 400,
      headers: { 'Retry-After': '1' },
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'bad',
          details: [{ path: 'email' }],
          requestId: undefined,
        },
      },
    });
  });

  it('when an unknown error is thrown, then it becomes a 500 that leaks nothing', () => {
    const response = toErrorResponse(new Error('password=hunter2 at db.ts:12'), 'req-12345678');
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
    expect(response.body.error.code).toBe('INTERNAL');
  });
});

describe('unavailableOnFailure', () => {
  it('when the dependency fails, then a 503 with Retry-After names it', async () => {
    const failing = unavailableOnFailure('The job queue', 5, () => Promise.reject(new Error('ECONNREFUSED')));
    await expect(failing).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(failing).rejects.toMatchObject({
      message: 'The job queue is unavailable; try again shortly',
      headers: { 'Retry-After': '5' },
    });
  });

  it('when the work raises an AppError or succeeds, then that passes through', async () => {
    await expect(
      unavailableOnFailure('Redis', 2, () => Promise.reject(new NotFoundError('gone'))),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(unavailableOnFailure('Redis', 2, () => Promise.resolve(42))).resolves.toBe(42);
  });
});
