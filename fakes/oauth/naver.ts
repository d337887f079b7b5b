/**
 * A fake Naver Login: OAuth 2.0 without OpenID Connect, plus the profile API, one server for both
 * (nid.naver.com and openapi.naver.com in real life).
 * - GET /oauth2.0/authorize?response_type=code&client_id&redirect_uri&state → back to the redirect URI with
 *   `code` and `state`, or `state`, `error=access_denied`, `error_description=Canceled By User` on refusal.
 * - GET or POST /oauth2.0/token (grant_type=authorization_code, client_id, client_secret, code, state) →
 *   HTTP 200 either way: `{access_token, refresh_token, token_type: 'bearer', expires_in: '3600'}` (a string,
 *   as Naver sends it), or `{error, error_description}` ('invalid_request' / 'no valid data in session' for an
 *   unknown, expired or used code or a state that does not match; 'invalid_client' for bad credentials).
 * - GET /v1/nid/me with `Authorization: Bearer` → `{resultcode: '00', message: 'success', response: {...}}`,
 *   or HTTP 401 with resultcode '024' (bad token) / '028' (no Authorization header).
 * Knobs at /__control: the member who logs in, `deny`, and `down` (every endpoint answers 503).
 */
import type express from 'express';
import { z } from 'zod';
import { createFakeApp, downPage, serveControlRoutes } from '../fake-app';
import {
  type CallLogOptions,
  type CallRecord,
  type ListenOptions,
  type StartedFake,
  errorJson,
  listenFake,
  newestFirst,
  notFoundJson,
  nowSeconds,
  parseOr400,
  randomToken,
  requestIdOf,
} from '../fake-server';

export interface NaverMember {
  id: string;
  email?: string;
  name?: string;
  nickname?: string;
  /** '010-1234-5678' */
  mobile?: string;
  /** '+821012345678' */
  mobile_e164?: string;
}

export interface NaverFakeOptions extends CallLogOptions {
  clientId?: string;
  clientSecret?: string;
  redirectUris: string[];
  member?: NaverMember;
  /** Lifetime of an authorization code. Default 600. */
  codeTtlSeconds?: number;
  /** Lifetime of an access token. Default 3600. */
  tokenTtlSeconds?: number;
}

export interface NaverLoginRecord {
  at: string;
  id: string;
  clientId: string;
  denied: boolean;
  requestId: string | null;
}

export interface NaverFakeState {
  member: NaverMember;
  deny: boolean;
  down: boolean;
  codes: Map<
    string,
    { clientId: string; state: string; member: NaverMember; expiresAt: number; used: boolean }
  >;
  accessTokens: Map<string, { member: NaverMember; expiresAt: number }>;
  logins: NaverLoginRecord[];
  calls: CallRecord[];
}

export const DEFAULT_NAVER_CLIENT_ID = 'voltmall-naver-local';
export const DEFAULT_NAVER_CLIENT_SECRET = 'voltmall-naver-local-secret';
export const DEFAULT_NAVER_MEMBER: NaverMember = {
  id: 'Zb1aNAVERmemberId0000000000000000000000001',
  email: 'naver.user@example.com',
  name: '네이버테스트',
  nickname: 'naver-tester',
  mobile: '010-1234-5678',
  mobile_e164: '+821012345678',
};

const memberSchema = z.strictObject({
  id: z.string().min(1).max(255),
  email: z.string().min(3).max(254).optional(),
  name: z.string().min(1).max(100).optional(),
  nickname: z.string().min(1).max(100).optional(),
  mobile: z.string().min(1).max(20).optional(),
  mobile_e164: z.string().min(1).max(20).optional(),
});
const controlSchema = z.strictObject({
  member: memberSchema.optional(),
  deny: z.boolean().optional(),
  down: z.boolean().optional(),
});
const single = z.string().optional();
const authorizeQuery = z.object({
  response_type: single,
  client_id: single,
  redirect_uri: single,
  state: single,
});
const tokenParams = z.object({
  grant_type: single,
  client_id: single,
  client_secret: single,
  code: single,
  state: single,
});

const naverError = (message: string) => ({ error: 'invalid_request', error_description: message });

export function createNaverFakeApp(options: NaverFakeOptions): {
  app: express.Express;
  state: NaverFakeState;
} {
  const clientId = options.clientId ?? DEFAULT_NAVER_CLIENT_ID;
  const clientSecret = options.clientSecret ?? DEFAULT_NAVER_CLIENT_SECRET;
  const initialMember = memberSchema.parse(options.member ?? DEFAULT_NAVER_MEMBER);
  const codeTtlSeconds = options.codeTtlSeconds ?? 600;
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
  const state: NaverFakeState = {
    member: { ...initialMember },
    deny: false,
    down: false,
    codes: new Map(),
    accessTokens: new Map(),
    logins: [],
    calls: [],
  };

  const app = createFakeApp({
    calls: state.calls,
    onCallEnd: options.onCallEnd,
    jsonLimit: '100kb',
    urlencodedLimit: '100kb',
  });
  app.use(downPage(() => state.down, '<html><body>503 Service Unavailable</body></html>'));

  app.get('/oauth2.0/authorize', (req, res) => {
    const query = parseOr400(authorizeQuery, req.query, res, naverError);
    if (query === undefined) return;
    if (query.client_id !== clientId || query.redirect_uri === undefined) {
      res.status(400).json(naverError('invalid client_id or redirect_uri'));
      return;
    }
    if (!options.redirectUris.includes(query.redirect_uri)) {
      res
        .status(400)
        .json(naverError(`redirect_uri '${query.redirect_uri}' is not registered (Callback URL)`));
      return;
    }
    const back = new URL(query.redirect_uri);
    back.searchParams.set('state', query.state ?? '');
    const member = { ...state.member };
    state.logins.push({
      at: new Date().toISOString(),
      id: member.id,
      clientId,
      denied: state.deny,
      requestId: requestIdOf(req),
    });
    if (query.response_type !== 'code' || !query.state) {
      back.searchParams.set('error', 'invalid_request');
      back.searchParams.set('error_description', 'response_type and state are required');
    } else if (state.deny) {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'Canceled By User');
    } else {
      const code = randomToken().slice(0, 18);
      state.codes.set(code, {
        clientId,
        state: query.state,
        member,
        expiresAt: nowSeconds() + codeTtlSeconds,
        used: false,
      });
      back.searchParams.set('code', code);
    }
    res.redirect(302, back.href);
  });

  app.all('/oauth2.0/token', (req, res) => {
    res.set('Cache-Control', 'no-store');
    const input = { ...(req.query as object), ...((req.body as object | undefined) ?? {}) };
    const params = parseOr400(tokenParams, input, res, naverError);
    if (params === undefined) return;
    if (params.client_id !== clientId || params.client_secret !== clientSecret) {
      res.json({ error: 'invalid_client', error_description: 'Invalid client information' });
      return;
    }
    if (params.grant_type !== 'authorization_code') {
      res.json({ error: 'unsupported_grant_type', error_description: 'unsupported grant_type' });
      return;
    }
    const record = params.code === undefined ? undefined : state.codes.get(params.code);
    if (
      record === undefined ||
      record.used ||
      record.expiresAt <= nowSeconds() ||
      record.state !== params.state
    ) {
      res.json(naverError('no valid data in session'));
      return;
    }
    record.used = true;
    const accessToken = randomToken();
    state.accessTokens.set(accessToken, { member: record.member, expiresAt: nowSeconds() + tokenTtlSeconds });
    res.json({
      access_token: accessToken,
      refresh_token: randomToken(),
      token_type: 'bearer',
      expires_in: String(tokenTtlSeconds),
    });
  });

  app.get('/v1/nid/me', (req, res) => {
    const header = req.get('authorization');
    if (header === undefined) {
      res.status(401).json({
        resultcode: '028',
        message: 'Authentication header not exists (인증 헤더가 존재하지 않습니다.)',
      });
      return;
    }
    const token = /^Bearer (\S+)$/i.exec(header)?.[1];
    const record = token === undefined ? undefined : state.accessTokens.get(token);
    if (record === undefined || record.expiresAt <= nowSeconds()) {
      res.status(401).json({ resultcode: '024', message: 'Authentication failed (인증 실패하였습니다.)' });
      return;
    }
    res.json({ resultcode: '00', message: 'success', response: record.member });
  });

  serveControlRoutes(app, {
    schema: controlSchema,
    errorBody: naverError,
    view: () => ({ member: state.member, deny: state.deny, down: state.down }),
    apply(update) {
      if (update.member !== undefined) state.member = update.member;
      if (update.deny !== undefined) state.deny = update.deny;
      if (update.down !== undefined) state.down = update.down;
    },
    reset() {
      state.member = { ...initialMember };
      state.deny = false;
      state.down = false;
      state.codes.clear();
      state.accessTokens.clear();
      state.logins.length = 0;
    },
    calls: state.calls,
  });
  // For a developer: the latest logins (approved or declined), newest first.
  app.get('/__inbox', (_req, res) => {
    res.json({ logins: newestFirst(state.logins) });
  });

  app.use(notFoundJson(naverError));
  app.use(errorJson(naverError));
  return { app, state };
}

export function startNaverFake(
  options: NaverFakeOptions & ListenOptions,
): Promise<StartedFake<NaverFakeState>> {
  const { port, host, ...naverOptions } = options;
  const { app, state } = createNaverFakeApp(naverOptions);
  return listenFake(app, () => undefined, state, { port, host });
}
