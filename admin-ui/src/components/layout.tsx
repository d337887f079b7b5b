import { useState, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { signOut } from '../api/session';
import { useSession } from '../api/use-session';
import { useI18n, type Language } from '../i18n/i18n';
import { navItems } from '../routes';
import { BusyButton } from './busy-button';
import { ErrorMessage } from './error-message';
import { openQueueDashboard } from './queue-dashboard';

/** Header (nav, language, the admin's email, sign out) around every signed-in page. */
export function Layout({ children }: { children: ReactNode }) {
  const { t, language, setLanguage } = useI18n();
  const { user } = useSession();
  const [location, navigate] = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [busy, setBusy] = useState<'queues' | 'signout' | null>(null);
  const [error, setError] = useState<unknown>();

  const isActive = (path: string) => (path === '/' ? location === '/' : location.startsWith(path));

  async function onQueues() {
    setBusy('queues');
    setError(undefined);
    try {
      const result = await openQueueDashboard();
      if (!result.opened) navigate('/queues');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  }

  async function onSignOut() {
    setBusy('signout');
    await signOut();
    setBusy(null);
    navigate('/login', { replace: true });
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="header">
        <div className="header-row">
          <Link href="/" className="brand">
            {t('app.title')}
          </Link>
          <button
            type="button"
            className="button button-secondary menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => setMenuOpen((open) => !open)}
          >
            {t('nav.menu')}
          </button>
          <nav id="main-nav" className={`nav${menuOpen ? ' nav-open' : ''}`} aria-label={t('nav.menu')}>
            <ul>
              {navItems.map((item) => (
                <li key={item.path}>
                  <Link
                    href={item.path}
                    className={isActive(item.path) ? 'nav-link active' : 'nav-link'}
                    aria-current={isActive(item.path) ? 'page' : undefined}
                    onClick={() => setMenuOpen(false)}
                  >
                    {t(item.label)}
                  </Link>
                </li>
              ))}
              <li>
                <BusyButton
                  variant="secondary"
                  className="nav-button"
                  busy={busy === 'queues'}
                  onClick={onQueues}
                >
                  {t('nav.queues')} ↗
                </BusyButton>
              </li>
            </ul>
          </nav>
          <div className="header-tools">
            <label className="language">
              <span className="visually-hidden">{t('nav.language')}</span>
              <select
                value={language}
                onChange={(event) => setLanguage(event.target.value as Language)}
                data-testid="language"
              >
                <option value="ko">한국어</option>
                <option value="en">English</option>
              </select>
            </label>
            <span className="who" data-testid="admin-email">
              {user?.email}
            </span>
            <BusyButton variant="secondary" busy={busy === 'signout'} onClick={onSignOut}>
              {t('nav.signOut')}
            </BusyButton>
          </div>
        </div>
        {error !== undefined && <ErrorMessage error={error} />}
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
