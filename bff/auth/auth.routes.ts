import { Router } from 'express';
import { AppError } from '../../shared/errors';
import type { BffContext } from '../context';
import { requireUser } from '../http/identity';
import { parseInput } from '../http/validate';
import {
  loginBody,
  oauthCallbackQuery,
  oauthProviderParams,
  oauthUnlinkParams,
  refreshBody,
  signupBody,
  smsSendBody,
  smsVerifyBody,
} from './auth.schemas';
import { authService } from './auth.service';
import { browserSessionRoutes } from './browser-session';
import {
  OAUTH_BINDING_COOKIE,
  oauthBindingCookie,
  oauthBindingCookieScope,
  oauthBindingsIn,
  oauthService,
} from './oauth.service';
import { LANDING_PAGE_HEADERS, loginFailedPage, signedInPage, wantsLandingPage } from './oauth-landing-page';
import { smsVerificationService } from './sms-verification.service';

export function authRoutes(ctx: BffContext): Router {
  const auth = authService(ctx);
  const sms = smsVerificationService(ctx);
  const oauth = oauthService(ctx, auth);
  const router = Router();

  router.post('/api/auth/signup', async (req, res) => {
    const user = await auth.signup(parseInput(signupBody, req.body, 'signup'));
    res.status(201).location('/api/users/me').json({ user: user.toPublic() });
  });

  router.post('/api/auth/login', async (req, res) => {
    res.json(await auth.login(parseInput(loginBody, req.body, 'login')));
  });

  router.post('/api/auth/refresh', async (req, res) => {
    res.json(await auth.refresh(parseInput(refreshBody, req.body, 'refresh').refreshToken));
  });

  router.post('/api/auth/logout', async (req, res) => {
    await auth.logout(parseInput(refreshBody, req.body, 'logout').refreshToken);
    res.status(204).end();
  });

  router.use(browserSessionRoutes(ctx, auth));

  router.post('/api/auth/sms/send', async (req, res) => {
    const { userId } = requireUser(req);
    const { phone } = parseInput(smsSendBody, req.body ?? {}, 'SMS request');
    res.status(202).json(await sms.sendCode(userId, phone));
  });

  router.get('/api/auth/sms/status', async (req, res) => {
    const { userId } = requireUser(req);
    res.json(await sms.sendStatus(userId));
  });

  router.post('/api/auth/sms/verify', async (req, res) => {
    const { userId } = requireUser(req);
    const { code } = parseInput(smsVerifyBody, req.body, 'SMS verification');
    res.json({ verified: true, ...(await sms.verifyCode(userId, code)) });
  });

  router.get('/api/auth/oauth/:provider/start', async (req, res) => {
    const { provider } = parseInput(oauthProviderParams, req.params, 'provider');
    const { authorizationUrl, browserBinding } = await oauth.start(provider);
    res.cookie(OAUTH_BINDING_COOKIE, browserBinding, oauthBindingCookie(ctx.config.PUBLIC_BASE_URL));
    res.redirect(302, authorizationUrl);
  });

  // JSON, not a redirect: the signed-in app calls this with its Bearer token, then sends the browser on.
  router.post('/api/auth/oauth/:provider/link', async (req, res) => {
    const { userId } = requireUser(req);
    const { provider } = parseInput(oauthProviderParams, req.params, 'provider');
    const { authorizationUrl, browserBinding } = await oauth.link(provider, userId);
    res.cookie(OAUTH_BINDING_COOKIE, browserBinding, oauthBindingCookie(ctx.config.PUBLIC_BASE_URL));
    res.json({ authorizationUrl });
  });

  router.get('/api/auth/oauth/:provider/callback', async (req, res) => {
    const { provider } = parseInput(oauthProviderParams, req.params, 'provider');
    const query = parseInput(oauthCallbackQuery, req.query, 'callback');
    const bindings = oauthBindingsIn(req.get('cookie'));
    // The state is spent whatever the outcome, and so is its cookie.
    res.clearCookie(OAUTH_BINDING_COOKIE, oauthBindingCookieScope(ctx.config.PUBLIC_BASE_URL));
    // A browser navigation gets a page (#20); API clients keep the JSON.
    const landingPage = wantsLandingPage(req, query.format);
    let result;
    try {
      result = await oauth.callback(provider, query, bindings);
    } catch (error) {
      if (!landingPage || !(error instanceof AppError) || error.status >= 500) throw error;
      res.status(error.status).set(LANDING_PAGE_HEADERS).send(loginFailedPage(error));
      return;
    }
    const { user, linked, ...tokens } = result;
    if (landingPage) {
      res.set(LANDING_PAGE_HEADERS).send(signedInPage(provider, user, tokens, linked !== undefined));
      return;
    }
    res.set('Cache-Control', 'no-store').json(linked === undefined ? tokens : { ...tokens, linked });
  });

  router.get('/api/auth/providers', (_req, res) => {
    res.json({ items: oauth.providers() });
  });

  router.get('/api/users/me/identities', async (req, res) => {
    const { userId } = requireUser(req);
    res.json({ items: await oauth.identities(userId) });
  });

  router.delete('/api/users/me/identities/:provider', async (req, res) => {
    const { userId } = requireUser(req);
    const { provider } = parseInput(oauthUnlinkParams, req.params, 'provider');
    await oauth.unlink(userId, provider);
    res.status(204).end();
  });

  router.get('/api/users/me', async (req, res) => {
    const { userId } = requireUser(req);
    res.json({ user: (await auth.me(userId)).toPublic() });
  });

  return router;
}
