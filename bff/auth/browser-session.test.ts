import {
  cookieValues,
  csrfCookieScope,
  isCrossOrigin,
  refreshCookieScope,
  sameSecret,
} from './browser-session';

describe('browser session cookies and origin checks', () => {
  it('when the shop is served over HTTPS, then both cookies are Secure; over HTTP they are not', () => {
    expect(refreshCookieScope('https://shop.example')).toEqual({
      httpOnly: true,
      sameSite: 'strict',
      path: '/api/auth/browser-session',
      secure: true,
    });
    expect(csrfCookieScope('https://shop.example')).toEqual({
      httpOnly: false,
      sameSite: 'strict',
      path: '/',
      secure: true,
    });
    expect(refreshCookieScope('http://127.0.0.1:8080').secure).toBe(false);
    expect(csrfCookieScope('http://127.0.0.1:8080').secure).toBe(false);
  });

  it.each([
    [{}, false],
    [{ secFetchSite: 'same-origin' }, false],
    [{ origin: 'https://shop.example' }, false],
    [{ secFetchSite: 'same-origin', origin: 'https://shop.example' }, false],
    [{ secFetchSite: 'same-site' }, true],
    [{ secFetchSite: 'cross-site' }, true],
    [{ secFetchSite: 'none' }, true],
    [{ origin: 'https://evil.example' }, true],
    [{ origin: 'https://shop.example:8443' }, true],
    [{ origin: 'null' }, true],
    [{ secFetchSite: 'same-origin', origin: 'http://shop.example' }, true],
  ])('when the browser sends %j, then cross-origin is %s', (headers, expected) => {
    expect(isCrossOrigin(headers, 'https://shop.example/')).toBe(expected);
  });

  it('when a Cookie header holds several cookies, then each value of the name is found in order', () => {
    expect(cookieValues('a=1; vm_csrf=x; vm_csrf_old=y;vm_csrf=z', 'vm_csrf')).toEqual(['x', 'z']);
    expect(cookieValues(undefined, 'vm_csrf')).toEqual([]);
  });

  it('when two secrets are compared, then only equal strings match, whatever their lengths', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret('', 'a')).toBe(false);
  });
});
