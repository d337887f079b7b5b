import { OAUTH_BINDING_COOKIE, loggableProviderError, oauthBindingsIn } from './oauth.service';

describe('loggableProviderError', () => {
  it('when the provider sends a code with prose after it, then only the code is kept', () => {
    expect(loggableProviderError('access_denied <script>alert(1)</script> call +82')).toBe('access_denied');
  });

  it('when the code is very long, then it is capped', () => {
    expect(loggableProviderError('x'.repeat(500))).toBe('x'.repeat(64));
  });

  it('when nothing usable leads the text, then a fixed word stands in for it', () => {
    expect(loggableProviderError('<b>you are locked out</b>')).toBe('unrecognised');
    expect(loggableProviderError('')).toBe('unrecognised');
  });
});

describe('oauthBindingsIn', () => {
  it('when the Cookie header holds the binding among others, then its values are found', () => {
    expect(oauthBindingsIn(`a=1; ${OAUTH_BINDING_COOKIE}=abc;b=2;${OAUTH_BINDING_COOKIE}=def`)).toEqual([
      'abc',
      'def',
    ]);
  });

  it('when there is no Cookie header or no binding in it, then there is none', () => {
    expect(oauthBindingsIn(undefined)).toEqual([]);
    expect(oauthBindingsIn(`x${OAUTH_BINDING_COOKIE}=abc; other=1`)).toEqual([]);
  });
});
