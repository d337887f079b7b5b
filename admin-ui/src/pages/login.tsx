import { useState, type FormEvent } from 'react';
import { Redirect, useLocation, useSearch } from 'wouter';
import { openDashboardSession } from '../api/client';
import { NotAdminError, signIn } from '../api/session';
import { useSession } from '../api/use-session';
import { BusyButton } from '../components/busy-button';
import { ErrorMessage } from '../components/error-message';
import { APP_BASE, QUEUE_DASHBOARD_PATH } from '../config';
import { useI18n, type Language } from '../i18n/i18n';

/** `next` only when it is a same-origin path under /admin/ (never another site, never //host). */
export function safeNext(next: string | null): string | undefined {
  if (!next || !next.startsWith(`${APP_BASE}/`) || next.startsWith('//') || next.includes('\\'))
    return undefined;
  try {
    const url = new URL(next, window.location.origin);
    if (url.origin !== window.location.origin || !url.pathname.startsWith(`${APP_BASE}/`)) return undefined;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return undefined;
  }
}

export default function LoginPage() {
  const { t, language, setLanguage } = useI18n();
  const session = useSession();
  const search = useSearch();
  const [, navigate] = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notAdmin, setNotAdmin] = useState(false);
  const next = safeNext(new URLSearchParams(search).get('next'));

  /** After signing in: the queue dashboard is another app (a full page load), the rest is routed here. */
  async function goNext() {
    if (next?.startsWith(QUEUE_DASHBOARD_PATH.slice(0, -1))) {
      await openDashboardSession();
      window.location.assign(next);
      return;
    }
    navigate(next ? next.slice(APP_BASE.length) : '/', { replace: true });
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setNotAdmin(false);
    try {
      await signIn(email, password);
      await goNext();
    } catch (caught) {
      if (caught instanceof NotAdminError) setNotAdmin(true);
      else setError(caught);
    } finally {
      setBusy(false);
    }
  }

  if (session.status === 'signed-in' && !busy && !next?.startsWith(QUEUE_DASHBOARD_PATH.slice(0, -1))) {
    return <Redirect to={next ? next.slice(APP_BASE.length) : '/'} replace />;
  }

  return (
    <main className="login" id="main">
      <form className="login-card" onSubmit={onSubmit} aria-labelledby="login-title">
        <div className="login-head">
          <h1 id="login-title">{t('login.title')}</h1>
          <select
            aria-label={t('nav.language')}
            value={language}
            onChange={(event) => setLanguage(event.target.value as Language)}
            data-testid="language"
          >
            <option value="ko">한국어</option>
            <option value="en">English</option>
          </select>
        </div>
        {(notAdmin || session.reason === 'not-admin') && (
          <p className="error error-sentence" role="alert" data-testid="not-admin">
            {t('login.notAdmin')}
          </p>
        )}
        {session.reason === 'signed-out' && !notAdmin && !error && (
          <p className="notice" role="status">
            {t('login.signedOut')}
          </p>
        )}
        <ErrorMessage error={error} />
        <label className="field">
          <span>{t('login.email')}</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            maxLength={254}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('login.password')}</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            maxLength={256}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        <BusyButton type="submit" busy={busy}>
          {t('login.submit')}
        </BusyButton>
      </form>
    </main>
  );
}
