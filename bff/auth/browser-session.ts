import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Router, type CookieOptions, type Request, type Response } from 'express';
import { decodeJwt } from 'jose';
import type { BffContext } from '../context';
import { parseInput } from '../http/validate';
import { AppError, ForbiddenError, UnauthorizedError } from '../../shared/errors';
import { loginBody } from './auth.schemas';
import type { AuthService, TokenPair } from './auth.service';

/**
 * Browser sessions (the admin console): the access token goes to the page, which keeps it in memory; the
 * refresh token never does. It lives in an HttpOnly cookie only the refresh and sign-out routes receive, and
 * every call that the cookie authenticates must also prove it comes from the shop's own page (double-submit
 * CSRF token, plus the browser's Origin / Sec-Fetch-Site).
 */
export const BROWSER_SESSION_PATH = '/api/auth/browser-session';
/** The refresh token, HttpOnly, sent only to {@link BROWSER_SESSION_PATH} and below. */
export const REFRESH_COOKIE = 'vm_refresh';
/** The double-submit CSRF token: readable by the page, which echoes it in {@link CSRF_HEADER}. */
export const CSRF_COOKIE = 'vm_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

/** A cookie-authenticated write without the CSRF token, or from another origin. */
export class CsrfFailedError extends ForbiddenError {
  override readonly code = 'CSRF_FAILED';
}

/** No refresh cookie, or one that cannot be a refresh token: there is no browser session to continue. */
class NoBrowserSessionError extends UnauthorizedError {
  override readonly code = 'INVALID_REFRESH_TOKEN';
}

const REFRESH_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const CSRF_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const isSecure = (publicBaseUrl: string) => new URL(publicBaseUrl).protocol === 'https:';

/** Attributes shared by setting and clearing the refresh cookie (a browser clears only an exact match). */
export function refreshCookieScope(publicBaseUrl: string): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', path: BROWSER_SESSION_PATH, secure: isSecure(publicBaseUrl) };
}

/** Attributes shared by setting and clearing the CSRF cookie: not HttpOnly, the page must read it. */
export function csrfCookieScope(publicBaseUrl: string): CookieOptions {
  return { httpOnly: false, sameSite: 'strict', path: '/', secure: isSecure(publicBaseUrl) };
}

/** Every value of a cookie in a Cookie header, in order (a browser may send several of one name). */
export function cookieValues(cookieHeader: string | undefined, name: string): string[] {
  return (cookieHeader ?? '')
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair.startsWith(`${name}=`))
    .map((pair) => pair.slice(name.length + 1));
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Equal strings, compared in constant time (over digests, so lengths leak nothing either). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Whether the browser says the request comes from the shop's own origin. Refused when Sec-Fetch-Site is
 * present and is not same-origin, or Origin is present and is not PUBLIC_BASE_URL's; a client that sends
 * neither (not a current browser) still has to pass the CSRF token check.
 */
export function isCrossOrigin(
  headers: { secFetchSite?: string; origin?: string },
  publicBaseUrl: string,
): boolean {
  if (headers.secFetchSite !== undefined && headers.secFetchSite !== 'same-origin') return true;
  return headers.origin !== undefined && headers.origin !== new URL(publicBaseUrl).origin;
}

/** The JSON a browser session answers with: the access token and who it is for, never the refresh token. */
export interface BrowserSessionView {
  accessToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
  user: { id: number; email: string | null; role: 'user' | 'admin'; name?: string };
}

/** POST/DELETE /api/auth/browser-session and POST /api/auth/browser-session/refresh. */
export function browserSessionRoutes(ctx: Pick<BffContext, 'config'>, auth: AuthService): Router {
  const { PUBLIC_BASE_URL: publicBaseUrl, REFRESH_TOKEN_TTL_SECONDS: refreshTtl } = ctx.config;
  const router = Router();

  function assertSameOrigin(req: Request): void {
    const crossOrigin = isCrossOrigin(
      { secFetchSite: req.get('sec-fetch-site'), origin: req.get('origin') },
      publicBaseUrl,
    );
    if (crossOrigin) throw new CsrfFailedError('This request must come from the shop’s own pages');
  }

  function assertCsrfToken(req: Request): void {
    const header = req.get(CSRF_HEADER);
    const cookie = cookieValues(req.get('cookie'), CSRF_COOKIE)[0];
    if (!header || !cookie || !CSRF_TOKEN_SHAPE.test(cookie) || !sameSecret(header, cookie))
      throw new CsrfFailedError(`Send the ${CSRF_COOKIE} cookie's value in the ${CSRF_HEADER} header`);
  }

  const refreshCookieOf = (req: Request) => cookieValues(req.get('cookie'), REFRESH_COOKIE)[0];

  function clearCookies(res: Response): void {
    res.clearCookie(REFRESH_COOKIE, refreshCookieScope(publicBaseUrl));
    res.clearCookie(CSRF_COOKIE, csrfCookieScope(publicBaseUrl));
  }

  async function answer(res: Response, tokens: TokenPair, csrfToken: string): Promise<void> {
    const maxAge = refreshTtl * 1000;
    const userId = Number(decodeJwt(tokens.accessToken).sub);
    const user = await auth.me(userId);
    const body: BrowserSessionView = {
      accessToken: tokens.accessToken,
      expiresIn: tokens.expiresIn,
      tokenType: 'Bearer',
      user: { id: user.id, email: user.email, role: user.role, ...(user.name ? { name: user.name } : {}) },
    };
    res
      .set('Cache-Control', 'no-store')
      .cookie(REFRESH_COOKIE, tokens.refreshToken, { ...refreshCookieScope(publicBaseUrl), maxAge })
      .cookie(CSRF_COOKIE, csrfToken, { ...csrfCookieScope(publicBaseUrl), maxAge })
      .json(body);
  }

  router.post(BROWSER_SESSION_PATH, async (req, res) => {
    assertSameOrigin(req);
    const tokens = await auth.login(parseInput(loginBody, req.body, 'login'));
    await answer(res, tokens, randomBytes(32).toString('base64url'));
  });

  router.post(`${BROWSER_SESSION_PATH}/refresh`, async (req, res) => {
    assertSameOrigin(req);
    const refreshToken = refreshCookieOf(req);
    // Without the cookie there is no session (the page's first call after a load tells it to sign in).
    if (!refreshToken || !REFRESH_TOKEN_SHAPE.test(refreshToken)) {
      clearCookies(res);
      throw new NoBrowserSessionError('No browser session: sign in');
    }
    assertCsrfToken(req);
    let tokens: TokenPair;
    try {
      tokens = await auth.refresh(refreshToken);
    } catch (error) {
      // A spent, revoked or suspended session stays dead: the browser need not keep sending it.
      if (error instanceof AppError && (error.status === 401 || error.status === 403)) clearCookies(res);
      throw error;
    }
    await answer(res, tokens, cookieValues(req.get('cookie'), CSRF_COOKIE)[0]!);
  });

  router.delete(BROWSER_SESSION_PATH, async (req, res) => {
    assertSameOrigin(req);
    const refreshToken = refreshCookieOf(req);
    // Signing out of a session that is already gone changes nothing, so it needs no proof.
    if (refreshToken) {
      assertCsrfToken(req);
      if (REFRESH_TOKEN_SHAPE.test(refreshToken)) await auth.logout(refreshToken);
    }
    clearCookies(res);
    res.set('Cache-Control', 'no-store').status(204).end();
  });

  return router;
}
