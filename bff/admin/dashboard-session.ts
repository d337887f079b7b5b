import { decodeJwt } from 'jose';
import type { CookieOptions } from 'express';
import { UnauthorizedError } from '../../shared/errors';
import { DASHBOARD_PATH } from './queue-dashboard';

/** The cookie the gateway accepts as the access token on dashboard paths (and nowhere else). */
export const DASHBOARD_COOKIE = 'vm_admin';

/**
 * The dashboard cookie for the caller's own access token: browsers cannot add a Bearer header to page loads.
 * HttpOnly (no script reads it), SameSite=Strict (no other site's page makes the browser send it), scoped to
 * the dashboard's path, Secure when the shop is served over HTTPS, and it lapses with the token itself.
 * The token was verified by the gateway; here it is only decoded for its expiry.
 */
export function dashboardCookie(
  authorization: string | undefined,
  publicBaseUrl: string,
  now = Date.now(),
): { value: string; options: CookieOptions; expiresAt: Date } {
  const token = /^Bearer +([A-Za-z0-9._-]+) *$/i.exec(authorization ?? '')?.[1];
  if (!token) throw new UnauthorizedError('A Bearer access token is required to open a dashboard session');
  let expiresAtMs: number;
  try {
    const { exp } = decodeJwt(token);
    if (typeof exp !== 'number') throw new Error('no exp');
    expiresAtMs = exp * 1000;
  } catch (error) {
    throw new UnauthorizedError('The access token cannot be read', { cause: error });
  }
  const maxAge = expiresAtMs - now;
  if (maxAge <= 0) throw new UnauthorizedError('The access token has expired');
  return {
    value: token,
    expiresAt: new Date(expiresAtMs),
    options: { ...dashboardCookieScope(publicBaseUrl), maxAge },
  };
}

/** Attributes shared by setting and clearing the cookie (a browser clears only an exact match). */
export function dashboardCookieScope(publicBaseUrl: string): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    path: DASHBOARD_PATH,
    secure: new URL(publicBaseUrl).protocol === 'https:',
  };
}
