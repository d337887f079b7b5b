import type { Request, Response } from 'express';
import { decodablePath } from './request-decoding';

/** What decodablePath hands to next() for a request with this raw path. */
function check(rawPath: string): unknown {
  let passed: unknown = 'not called';
  decodablePath({ path: rawPath } as Request, {} as Response, (error?: unknown) => (passed = error));
  return passed;
}

describe('decodablePath', () => {
  it.each([
    ['/api/products/%ff'],
    ['/api/products/%c0%af'],
    ['/api/products/%e2%82'],
    ['/api/products/100%'],
    ['/api/%zz'],
  ])('when the path is %s, then 400 VALIDATION_FAILED', (rawPath) => {
    expect(check(rawPath)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it.each([
    ['/api/products/42'],
    ['/api/products/%E2%82%AC'],
    ['/api/products/%25ff'],
    ['/api/auth/oauth/kakao/start'],
  ])('when the path is %s, then it passes', (rawPath) => {
    expect(check(rawPath)).toBeUndefined();
  });
});
