import {
  OAUTH_BINDING_COOKIE,
  failureSummary,
  loggableProviderError,
  oauthBindingsIn,
  subjectHint,
} from './oauth.service';

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

describe('subjectHint', () => {
  it('when a subject is long enough, then only its first two and last two characters show', () => {
    expect(subjectHint('3141592653')).toBe('31…53');
  });

  it('when a subject is short, then none of it shows', () => {
    expect(subjectHint('abc')).toBe('…');
  });
});

describe('failureSummary', () => {
  it("when a library wraps the provider's error, then classes and codes are kept and no message is", () => {
    const providerError = Object.assign(new Error('authorization code not found for code=SECRET'), {
      name: 'ResponseBodyError',
      error: 'invalid_grant <b>prose</b>',
      code: 'OAUTH_RESPONSE_BODY_ERROR',
    });
    const wrapped = new Error('something went wrong', { cause: providerError });

    const summary = failureSummary(wrapped);

    expect(summary).toBe('Error <- ResponseBodyError:OAUTH_RESPONSE_BODY_ERROR:invalid_grant');
    expect(summary).not.toMatch(/SECRET|prose/);
  });
});
