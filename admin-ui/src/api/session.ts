/**
 * The admin's browser session. The access token lives only in this module's memory (never localStorage or
 * sessionStorage); the refresh token is the HttpOnly vm_refresh cookie, which only
 * POST /api/auth/browser-session/refresh receives, together with the X-CSRF-Token header copied from the
 * readable vm_csrf cookie. The token is refreshed shortly before it expires, and once more on a 401.
 */
import { REFRESH_MARGIN_MS } from '../config';
import { ApiError, httpRequest } from './http';
import type { SessionUser } from './types';

const SESSION_PATH = '/api/auth/browser-session';
const CSRF_COOKIE = 'vm_csrf';

interface BrowserSessionAnswer {
  accessToken: string;
  expiresIn: number;
  user: SessionUser;
}

export type SessionStatus = 'unknown' | 'signed-in' | 'signed-out';
/** Why the admin is signed out: shown on the login page. */
export type SignedOutReason = 'not-admin' | 'expired' | 'signed-out' | undefined;

export interface SessionState {
  status: SessionStatus;
  user: SessionUser | null;
  reason: SignedOutReason;
}

/** Thrown by signIn when the account is valid but not an admin (its session is ended at once). */
export class NotAdminError extends Error {
  constructor() {
    super('not an admin');
    this.name = 'NotAdminError';
  }
}

let accessToken: string | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<boolean> | null = null;
let state: SessionState = { status: 'unknown', user: null, reason: undefined };
const listeners = new Set<() => void>();

function setState(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getSessionState(): SessionState {
  return state;
}

export function currentAccessToken(): string | null {
  return accessToken;
}

function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function clearLocal(reason: SignedOutReason): void {
  accessToken = null;
  clearTimeout(refreshTimer);
  setState({ status: 'signed-out', user: null, reason });
}

async function endServerSession(): Promise<void> {
  const headers: Record<string, string> = {};
  const csrf = csrfToken();
  if (csrf) headers['X-CSRF-Token'] = csrf;
  if (accessToken) {
    headers.Authorization = `Bearer ${accessToken}`;
    // The queue dashboard's cookie carries the same token: clear it too (best effort).
    await httpRequest('DELETE', '/api/admin/dashboard-session', { headers }).catch(() => undefined);
  }
  await httpRequest('DELETE', SESSION_PATH, { headers }).catch(() => undefined);
}

/** Takes a fresh answer; a non-admin's session is ended at once and nothing of the console is shown. */
async function accept(answer: BrowserSessionAnswer): Promise<boolean> {
  accessToken = answer.accessToken;
  if (answer.user.role !== 'admin') {
    await endServerSession();
    clearLocal('not-admin');
    return false;
  }
  clearTimeout(refreshTimer);
  const delay = Math.max(5_000, answer.expiresIn * 1000 - REFRESH_MARGIN_MS);
  refreshTimer = setTimeout(() => void refreshSession(), delay);
  setState({ status: 'signed-in', user: answer.user, reason: undefined });
  return true;
}

export async function signIn(email: string, password: string): Promise<SessionUser> {
  const { data } = await httpRequest<BrowserSessionAnswer>('POST', SESSION_PATH, {
    body: { email, password },
  });
  if (!(await accept(data))) throw new NotAdminError();
  return data.user;
}

/**
 * Gets a new access token from the refresh cookie (one call at a time); false when the session is over.
 * A network failure keeps the current state (the next call tries again).
 */
export function refreshSession(): Promise<boolean> {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    const csrf = csrfToken();
    if (!csrf) {
      clearLocal(state.status === 'signed-in' ? 'expired' : undefined);
      return false;
    }
    try {
      const { data } = await httpRequest<BrowserSessionAnswer>('POST', `${SESSION_PATH}/refresh`, {
        headers: { 'X-CSRF-Token': csrf },
      });
      return await accept(data);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'NETWORK' && state.status === 'signed-in') return false;
      clearLocal(state.status === 'signed-in' ? 'expired' : undefined);
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** On page load: resumes the session from the cookies, if there is one. */
export async function restoreSession(): Promise<void> {
  if (state.status !== 'unknown') return;
  await refreshSession();
}

export async function signOut(): Promise<void> {
  await endServerSession();
  clearLocal('signed-out');
}
