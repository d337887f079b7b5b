/**
 * A minimal OpenID Connect provider for the authorization-code flow with PKCE (S256 only), state and nonce.
 * There is no login page: /authorize approves at once as the configured "current test user", so a test
 * (or a developer's browser) goes straight back to the shop's callback with a code.
 *
 * A flavour (fakes/oauth/kakao.ts, google.ts) makes it look like one real provider: its endpoint paths, the
 * claims of its ID token and UserInfo, its token answer and lifetimes, and its error answers.
 */
import { createHash } from 'node:crypto';
import type express from 'express';
import { type CryptoKey, type JWK, SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { z } from 'zod';
import { createFakeApp, downPage, serveControlRoutes } from './fake-app';
import {
  type CallLogOptions,
  type CallRecord,
  type ListenOptions,
  type StartedFake,
  errorJson,
  listenFake,
  notFoundJson,
  nowSeconds,
  parseOr400,
  newestFirst,
  randomToken,
  requestIdOf,
} from './fake-server';

export interface OidcUser {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  /** Kakao's display name. */
  nickname?: string;
  /** As Kakao writes it: '+82 10-1234-5678'. */
  phone_number?: string;
  phone_number_verified?: boolean;
}

/** What makes the fake look like one real provider. */
export interface OidcFlavour {
  name: string;
  paths: { authorize: string; token: string; userinfo: string; jwks: string };
  tokenEndpointAuthMethods: string[];
  scopes: string[];
  /** Whether the authorization response carries `iss` (RFC 9207). */
  issInAuthorizationResponse: boolean;
  codeTtlSeconds: number;
  tokenTtlSeconds: number;
  /** The user's claims in the ID token (besides iss, aud, sub, iat, exp, nonce, auth_time, at_hash). */
  idTokenClaims(user: OidcUser): Record<string, unknown>;
  userinfo(user: OidcUser): Record<string, unknown>;
  /** Extra fields of a successful token answer (refresh token, ...). */
  tokenAnswerExtras(): Record<string, unknown>;
  tokenType: string;
  /** The token endpoint's error body. */
  tokenError(error: string, description: string): Record<string, unknown>;
  /** error_description when the user declines (undefined: none is sent). */
  denyDescription: string | undefined;
}

/** The generic provider of development ('fake'): standard claims, RFC 9207 `iss`, both client auth methods. */
export const GENERIC_FLAVOUR: OidcFlavour = {
  name: 'oidc-provider',
  paths: { authorize: '/authorize', token: '/token', userinfo: '/userinfo', jwks: '/jwks' },
  tokenEndpointAuthMethods: ['client_secret_post', 'client_secret_basic'],
  scopes: ['openid', 'email', 'profile'],
  issInAuthorizationResponse: true,
  codeTtlSeconds: 60,
  tokenTtlSeconds: 3600,
  idTokenClaims: ({ sub: _sub, ...claims }) => claims,
  userinfo: (user) => ({ ...user }),
  tokenAnswerExtras: () => ({}),
  tokenType: 'Bearer',
  tokenError: (error, description) => ({ error, error_description: description }),
  denyDescription: 'the test user declined',
};

export interface OidcClient {
  clientId: string;
  clientSecret: string;
  /** Exact-match list; no wildcards, no prefix matching. */
  redirectUris: string[];
}

export interface OidcProviderOptions extends CallLogOptions {
  /** Public base URL, used as `iss` and to build the endpoint URLs. Default: the listening address. */
  issuer?: string;
  /** Registered clients. Default: one client 'voltmall-local' / 'voltmall-local-secret' with `redirectUris`. */
  clients?: OidcClient[];
  /** Redirect URIs of the default client. Default ['http://127.0.0.1:8080/api/auth/oauth/fake/callback']. */
  redirectUris?: string[];
  /** The user /authorize approves as. Default sub 'fake-user-1', email 'oidc.user@example.com', verified. */
  user?: OidcUser;
  /** Lifetime of an authorization code. Default: the flavour's (60 for the generic one). */
  codeTtlSeconds?: number;
  /** Lifetime of access and ID tokens. Default: the flavour's (3600 for the generic one). */
  tokenTtlSeconds?: number;
  /** Which real provider to look like. Default {@link GENERIC_FLAVOUR}. */
  flavour?: OidcFlavour;
}

interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string;
  scope: string;
  user: OidcUser;
  authTime: number;
  expiresAt: number;
  /** Set once the code has been presented; a second presentation also revokes what the first one issued. */
  redeemed: boolean;
  accessToken?: string;
}

interface AccessToken {
  clientId: string;
  scope: string;
  user: OidcUser;
  expiresAt: number;
}

export interface AuthorizationRecord {
  clientId: string;
  redirectUri: string;
  state: string;
  nonce: string;
  scope: string;
  sub: string;
  requestId: string | null;
  at: string;
}

export interface OidcProviderState {
  /** Set by startOidcProvider from the listening address when no issuer option was given. */
  issuer: string | undefined;
  clients: OidcClient[];
  user: OidcUser;
  /** When true, /authorize redirects back with error=access_denied (the user pressed "cancel"). */
  deny: boolean;
  /** When true, every provider endpoint answers 503 (the provider is down). */
  down: boolean;
  codes: Map<string, AuthorizationCode>;
  accessTokens: Map<string, AccessToken>;
  /** Every approved (or denied) authorization request, oldest first. */
  authorizations: AuthorizationRecord[];
  calls: CallRecord[];
}

interface SigningKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
  kid: string;
}

export const DEFAULT_OIDC_CLIENT_ID = 'voltmall-local';
export const DEFAULT_OIDC_CLIENT_SECRET = 'voltmall-local-secret';
const DEFAULT_REDIRECT_URI = 'http://127.0.0.1:8080/api/auth/oauth/fake/callback';
const DEFAULT_USER: OidcUser = {
  sub: 'fake-user-1',
  email: 'oidc.user@example.com',
  email_verified: true,
  name: 'OIDC Test User',
};

const userSchema = z.strictObject({
  sub: z.string().min(1).max(255),
  email: z.string().min(3).max(254).optional(),
  email_verified: z.boolean().optional(),
  name: z.string().min(1).max(255).optional(),
  nickname: z.string().min(1).max(255).optional(),
  phone_number: z.string().min(1).max(40).optional(),
  phone_number_verified: z.boolean().optional(),
});
const controlSchema = z.strictObject({
  user: userSchema.optional(),
  deny: z.boolean().optional(),
  down: z.boolean().optional(),
});

// RFC 7636: verifier and S256 challenge are 43..128 characters of the unreserved set.
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

const authorizeQuerySchema = z.object({
  client_id: z.string().min(1),
  redirect_uri: z.string().min(1),
  response_type: z.string().optional(),
  scope: z.string().optional(),
  state: z.string().optional(),
  nonce: z.string().optional(),
  code_challenge: z.string().optional(),
  code_challenge_method: z.string().optional(),
});

const tokenBodySchema = z.object({
  grant_type: z.string().optional(),
  code: z.string().optional(),
  redirect_uri: z.string().optional(),
  code_verifier: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
});

const oauthError = (error: string) => (description: string) => ({ error, error_description: description });
const invalidRequest = oauthError('invalid_request');

/** `base64url(sha256(ascii(value)))`: the S256 transform of RFC 7636, also the left-half basis of at_hash. */
function sha256Base64Url(value: string, bytes = 32): string {
  return createHash('sha256').update(value, 'ascii').digest().subarray(0, bytes).toString('base64url');
}

async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, kid, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}

/** RFC 6749 §2.3.1: client_secret_basic credentials are form-urlencoded before base64. */
function parseBasicClientCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const formDecode = (value: string) => decodeURIComponent(value.replaceAll('+', ' '));
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

export function createOidcProviderApp(options: OidcProviderOptions = {}): {
  app: express.Express;
  state: OidcProviderState;
  /** Resolves once the signing key exists (requests that need it wait for it anyway). */
  ready: Promise<void>;
  dispose(): void;
} {
  const clients = options.clients ?? [
    {
      clientId: DEFAULT_OIDC_CLIENT_ID,
      clientSecret: DEFAULT_OIDC_CLIENT_SECRET,
      redirectUris: options.redirectUris ?? [DEFAULT_REDIRECT_URI],
    },
  ];
  const initialUser = userSchema.parse(options.user ?? DEFAULT_USER);
  const flavour = options.flavour ?? GENERIC_FLAVOUR;
  const codeTtlSeconds = options.codeTtlSeconds ?? flavour.codeTtlSeconds;
  const tokenTtlSeconds = options.tokenTtlSeconds ?? flavour.tokenTtlSeconds;
  const signingKey = createSigningKey();

  const state: OidcProviderState = {
    issuer: options.issuer?.replace(/\/+$/, ''),
    clients,
    user: { ...initialUser },
    deny: false,
    down: false,
    codes: new Map(),
    accessTokens: new Map(),
    authorizations: [],
    calls: [],
  };

  const issuerFor = (req: express.Request) => state.issuer ?? `${req.protocol}://${req.get('host') ?? ''}`;

  function sweepExpired(now: number): void {
    for (const [code, record] of state.codes) if (record.expiresAt <= now) state.codes.delete(code);
    for (const [token, record] of state.accessTokens)
      if (record.expiresAt <= now) state.accessTokens.delete(token);
  }

  const app = createFakeApp({
    calls: state.calls,
    onCallEnd: options.onCallEnd,
    jsonLimit: '100kb',
    urlencodedLimit: '100kb',
  });
  app.use(downPage(() => state.down, '<html><body>503 Service Temporarily Unavailable</body></html>'));

  app.get('/.well-known/openid-configuration', (req, res) => {
    const issuer = issuerFor(req);
    res.json({
      issuer,
      authorization_endpoint: `${issuer}${flavour.paths.authorize}`,
      token_endpoint: `${issuer}${flavour.paths.token}`,
      userinfo_endpoint: `${issuer}${flavour.paths.userinfo}`,
      jwks_uri: `${issuer}${flavour.paths.jwks}`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: flavour.tokenEndpointAuthMethods,
      scopes_supported: flavour.scopes,
      claims_supported: [
        'iss',
        'aud',
        'sub',
        'iat',
        'exp',
        'auth_time',
        'nonce',
        'email',
        'email_verified',
        'name',
      ],
      ...(flavour.issInAuthorizationResponse ? { authorization_response_iss_parameter_supported: true } : {}),
    });
  });

  app.get(flavour.paths.jwks, async (_req, res) => {
    res.json({ keys: [(await signingKey).publicJwk] });
  });

  app.get(flavour.paths.authorize, (req, res) => {
    const query = parseOr400(authorizeQuerySchema, req.query, res, invalidRequest);
    if (query === undefined) return;
    const client = state.clients.find((candidate) => candidate.clientId === query.client_id);
    if (client === undefined) {
      res.status(400).json(invalidRequest(`unknown client_id '${query.client_id}'`));
      return;
    }
    if (!client.redirectUris.includes(query.redirect_uri)) {
      // Never redirect to an unregistered URI (open redirector); tell the developer instead.
      res
        .status(400)
        .json(invalidRequest(`redirect_uri '${query.redirect_uri}' is not registered for this client`));
      return;
    }

    const issuer = issuerFor(req);
    // From here the redirect URI is trusted, so errors travel back to it (RFC 6749 §4.1.2.1).
    const redirectBack = (params: Record<string, string>) => {
      const location = new URL(query.redirect_uri);
      for (const [name, value] of Object.entries(params)) location.searchParams.set(name, value);
      if (query.state !== undefined) location.searchParams.set('state', query.state);
      if (flavour.issInAuthorizationResponse) location.searchParams.set('iss', issuer);
      res.status(302).location(location.href).json({ redirect: location.href });
    };
    const fail = (error: string, description: string) =>
      redirectBack({ error, error_description: description });

    if (query.response_type !== 'code')
      return fail('unsupported_response_type', "response_type must be 'code'");
    const scope = query.scope ?? '';
    if (!scope.split(' ').includes('openid')) return fail('invalid_scope', "scope must include 'openid'");
    if (!query.state) return fail('invalid_request', 'state is required');
    if (!query.nonce) return fail('invalid_request', 'nonce is required');
    if (query.code_challenge === undefined || !PKCE_VALUE.test(query.code_challenge)) {
      return fail('invalid_request', 'code_challenge is required (43..128 characters, base64url)');
    }
    if (query.code_challenge_method !== 'S256') {
      return fail('invalid_request', "code_challenge_method must be 'S256'");
    }

    const user = { ...state.user };
    state.authorizations.push({
      clientId: client.clientId,
      redirectUri: query.redirect_uri,
      state: query.state,
      nonce: query.nonce,
      scope,
      sub: user.sub,
      requestId: requestIdOf(req),
      at: new Date().toISOString(),
    });
    if (state.deny)
      return flavour.denyDescription === undefined
        ? redirectBack({ error: 'access_denied' })
        : fail('access_denied', flavour.denyDescription);

    const now = nowSeconds();
    sweepExpired(now);
    const code = randomToken();
    state.codes.set(code, {
      clientId: client.clientId,
      redirectUri: query.redirect_uri,
      codeChallenge: query.code_challenge,
      nonce: query.nonce,
      scope,
      user,
      authTime: now,
      expiresAt: now + codeTtlSeconds,
      redeemed: false,
    });
    redirectBack({ code });
  });

  app.post(flavour.paths.token, async (req, res) => {
    res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache');
    if (!req.is('application/x-www-form-urlencoded')) {
      res.status(400).json(invalidRequest('the body must be application/x-www-form-urlencoded'));
      return;
    }
    const body = parseOr400(tokenBodySchema, req.body ?? {}, res, () =>
      invalidRequest('the body must be application/x-www-form-urlencoded with single-valued parameters'),
    );
    if (body === undefined) return;

    const basic = parseBasicClientCredentials(req.get('authorization'));
    if (req.get('authorization') !== undefined && basic === undefined) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Basic realm="fake-oidc"')
        .json(oauthError('invalid_client')('malformed Basic credentials'));
      return;
    }
    if (basic !== undefined && body.client_secret !== undefined) {
      res.status(400).json(invalidRequest('use one client authentication method, not two'));
      return;
    }
    if (basic !== undefined && body.client_id !== undefined && body.client_id !== basic.id) {
      res.status(400).json(invalidRequest('client_id does not match the Basic credentials'));
      return;
    }
    const credentials = basic ?? { id: body.client_id, secret: body.client_secret };
    const client = state.clients.find((candidate) => candidate.clientId === credentials.id);
    if (
      client === undefined ||
      credentials.secret === undefined ||
      client.clientSecret !== credentials.secret
    ) {
      if (basic !== undefined) res.set('WWW-Authenticate', 'Basic realm="fake-oidc"');
      res.status(401).json(oauthError('invalid_client')('client authentication failed'));
      return;
    }

    if (body.grant_type !== 'authorization_code') {
      res.status(400).json(oauthError('unsupported_grant_type')("grant_type must be 'authorization_code'"));
      return;
    }
    if (body.code === undefined || body.redirect_uri === undefined || body.code_verifier === undefined) {
      res.status(400).json(invalidRequest('code, redirect_uri and code_verifier are required'));
      return;
    }
    if (!PKCE_VALUE.test(body.code_verifier)) {
      res.status(400).json(invalidRequest('code_verifier must be 43..128 characters of [A-Za-z0-9-._~]'));
      return;
    }

    const invalidGrant = (description: string) =>
      res.status(400).json(flavour.tokenError('invalid_grant', description));
    const now = nowSeconds();
    const record = state.codes.get(body.code);
    if (record === undefined || record.expiresAt <= now) return invalidGrant('unknown or expired code');
    if (record.redeemed) {
      // RFC 6749 §4.1.2: a replayed code should revoke what it already produced.
      if (record.accessToken !== undefined) state.accessTokens.delete(record.accessToken);
      return invalidGrant('code was already used');
    }
    // Single use, also when this attempt fails: a code is good for exactly one try.
    record.redeemed = true;
    if (record.clientId !== client.clientId) return invalidGrant('code was issued to another client');
    if (record.redirectUri !== body.redirect_uri)
      return invalidGrant('redirect_uri differs from the authorization request');
    if (sha256Base64Url(body.code_verifier) !== record.codeChallenge) {
      return invalidGrant('code_verifier does not match code_challenge');
    }

    const key = await signingKey;
    const accessToken = randomToken();
    const expiresAt = now + tokenTtlSeconds;
    record.accessToken = accessToken;
    state.accessTokens.set(accessToken, {
      clientId: client.clientId,
      scope: record.scope,
      user: record.user,
      expiresAt,
    });
    const idToken = await new SignJWT({
      ...flavour.idTokenClaims(record.user),
      nonce: record.nonce,
      auth_time: record.authTime,
      at_hash: sha256Base64Url(accessToken, 16),
    })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(issuerFor(req))
      .setAudience(client.clientId)
      .setSubject(record.user.sub)
      .setIssuedAt(now)
      .setExpirationTime(expiresAt)
      .sign(key.privateKey);
    res.json({
      access_token: accessToken,
      token_type: flavour.tokenType,
      expires_in: tokenTtlSeconds,
      scope: record.scope,
      id_token: idToken,
      ...flavour.tokenAnswerExtras(),
    });
  });

  app.get(flavour.paths.userinfo, (req, res) => {
    const match = /^Bearer (\S+)$/i.exec(req.get('authorization') ?? '');
    const token = match?.[1] === undefined ? undefined : state.accessTokens.get(match[1]);
    if (token === undefined || token.expiresAt <= nowSeconds()) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer error="invalid_token"')
        .json(oauthError('invalid_token')('missing, unknown or expired access token'));
      return;
    }
    res.set('Cache-Control', 'no-store').json({ sub: token.user.sub, ...flavour.userinfo(token.user) });
  });

  serveControlRoutes(app, {
    schema: controlSchema,
    errorBody: invalidRequest,
    view: () => ({ user: state.user, deny: state.deny, down: state.down }),
    apply(update) {
      if (update.user !== undefined) state.user = update.user;
      if (update.deny !== undefined) state.deny = update.deny;
      if (update.down !== undefined) state.down = update.down;
    },
    reset() {
      state.user = { ...initialUser };
      state.deny = false;
      state.down = false;
      state.codes.clear();
      state.accessTokens.clear();
      state.authorizations.length = 0;
    },
    calls: state.calls,
  });

  app.get('/__authorizations', (_req, res) => {
    res.json({ authorizations: state.authorizations });
  });

  // For a developer: the latest logins (approved or denied authorizations), newest first.
  app.get('/__inbox', (_req, res) => {
    res.json({
      logins: newestFirst(state.authorizations).map(({ at, sub, clientId, scope, requestId }) => ({
        at,
        sub,
        clientId,
        scope,
        requestId,
      })),
    });
  });

  app.use(notFoundJson(oauthError('not_found')));
  app.use(errorJson(invalidRequest));

  return {
    app,
    state,
    ready: signingKey.then(() => undefined),
    // Nothing here waits on timers or held sockets; kept so all fakes close the same way.
    dispose: () => undefined,
  };
}

/** What a flavoured fake (Kakao, Google) is started with: the generic options and its client's redirect URIs. */
export type FlavouredProviderOptions = Omit<OidcProviderOptions, 'flavour'> &
  ListenOptions & { redirectUris: string[] };

/**
 * Starts the OIDC fake as one real provider: its flavour, one client with that provider's local credentials
 * and the given redirect URIs, and its default user; `options` may replace the client list and the user.
 */
export function startFlavouredProvider(
  flavour: OidcFlavour,
  defaults: { clientId: string; clientSecret: string; user: OidcUser },
  options: FlavouredProviderOptions,
): Promise<StartedFake<OidcProviderState>> {
  const { clientId, clientSecret, user } = defaults;
  return startOidcProvider({
    clients: [{ clientId, clientSecret, redirectUris: options.redirectUris }],
    user,
    ...options,
    flavour,
  });
}

export async function startOidcProvider(
  options: OidcProviderOptions & ListenOptions = {},
): Promise<StartedFake<OidcProviderState>> {
  const { port, host, ...oidcOptions } = options;
  const { app, state, ready, dispose } = createOidcProviderApp(oidcOptions);
  await ready;
  const started = await listenFake(app, dispose, state, { port, host });
  state.issuer ??= started.url;
  return started;
}
