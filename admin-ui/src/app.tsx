import { Suspense } from 'react';
import { Redirect, Route, Router, Switch, useLocation, useSearch } from 'wouter';
import { useSession } from './api/use-session';
import { Layout } from './components/layout';
import { APP_BASE } from './config';
import { I18nProvider, useI18n } from './i18n/i18n';
import LoginPage from './pages/login';
import NotFoundPage from './pages/not-found';
import { pageRoutes } from './routes';

function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {t('common.loading')}
    </p>
  );
}

/** Signed-in admins see the pages; anyone else goes to the login page, which comes back here after. */
function SignedInPages() {
  const { status } = useSession();
  const [location] = useLocation();
  const search = useSearch();
  const { t } = useI18n();
  if (status === 'unknown') {
    return (
      <p className="loading" role="status">
        <span className="spinner" aria-hidden="true" /> {t('login.restoring')}
      </p>
    );
  }
  if (status === 'signed-out') {
    const next = `${APP_BASE}${location}${search ? `?${search}` : ''}`;
    return <Redirect to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return (
    <Layout>
      <Suspense fallback={<Loading />}>
        <Switch>
          {pageRoutes.map((route) => (
            <Route key={route.path} path={route.path} component={route.component} />
          ))}
          <Route component={NotFoundPage} />
        </Switch>
      </Suspense>
    </Layout>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Router base={APP_BASE}>
        <Switch>
          <Route path="/login" component={LoginPage} />
          <Route>
            <SignedInPages />
          </Route>
        </Switch>
      </Router>
    </I18nProvider>
  );
}
