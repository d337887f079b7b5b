/**
 * The console's pages, in one table: the router and the header's nav both read it. A page is one file under
 * pages/ with a default export; each is loaded when first visited (React.lazy), so the sign-in page stays small.
 * To add a page: a file in pages/, a row here, its labels in i18n/ko.ts and en.ts.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { MessageKey } from './i18n/ko';

export interface PageRoute {
  /** Relative to the app's base (/admin): '/users/:id' is /admin/users/:id. */
  path: string;
  component: LazyExoticComponent<ComponentType>;
  /** Shown in the header's nav when set. */
  nav?: MessageKey;
}

export const pageRoutes: PageRoute[] = [
  { path: '/', component: lazy(() => import('./pages/dashboard')), nav: 'nav.dashboard' },
  { path: '/products', component: lazy(() => import('./pages/products/product-list')), nav: 'nav.products' },
  { path: '/products/new', component: lazy(() => import('./pages/products/product-edit')) },
  { path: '/products/:id', component: lazy(() => import('./pages/products/product-edit')) },
  { path: '/orders', component: lazy(() => import('./pages/orders/order-list')), nav: 'nav.orders' },
  { path: '/orders/:id', component: lazy(() => import('./pages/orders/order-detail')) },
  { path: '/users', component: lazy(() => import('./pages/users')), nav: 'nav.users' },
  { path: '/users/:id', component: lazy(() => import('./pages/user-detail')) },
  { path: '/queues', component: lazy(() => import('./pages/queues')) },
];

export const navItems = pageRoutes.flatMap((route) =>
  route.nav ? [{ path: route.path, label: route.nav }] : [],
);
