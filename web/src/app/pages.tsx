/**
 * The console's pages, one chunk each (issue 14: a first visit loads the shell and the page it
 * opens, not all fifteen; ECharts travels only with the pages that draw charts). The route table
 * lives here once: App.tsx renders it, and `preloadPage` reads it at start-up to fetch the
 * opened page's chunk beside `/me` and the lookups instead of after them.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { matchPath } from 'react-router';

export interface Page {
  path: string;
  Component: LazyExoticComponent<ComponentType>;
  preload(): Promise<unknown>;
}

/** A lazily loaded page whose chunk can also be asked for ahead of its first render (same promise). */
function page<M>(path: string, load: () => Promise<M>, pick: (m: M) => ComponentType): Page {
  let loading: Promise<{ default: ComponentType }> | null = null;
  const preload = () => {
    loading ??= load().then((m) => ({ default: pick(m) }));
    // A failed load is not kept: the next render (or a reload) asks again.
    loading.catch(() => (loading = null));
    return loading;
  };
  return { path, Component: lazy(preload), preload };
}

export const PAGES: Page[] = [
  page(
    '/workbench',
    () => import('../modules/workbench/WorkbenchPage'),
    (m) => m.WorkbenchPage,
  ),
  page(
    '/intake',
    () => import('../modules/intake/IntakePage'),
    (m) => m.IntakePage,
  ),
  page(
    '/queues/:queue',
    () => import('../modules/queues/QueuePage'),
    (m) => m.QueuePage,
  ),
  page(
    '/duties',
    () => import('../modules/duties/MyDutiesPage'),
    (m) => m.MyDutiesPage,
  ),
  page(
    '/cases/:id',
    () => import('../modules/case/CasePage'),
    (m) => m.CasePage,
  ),
  page(
    '/followup',
    () => import('../modules/followup/FollowUpPage'),
    (m) => m.FollowUpPage,
  ),
  page(
    '/dashboard',
    () => import('../modules/dashboard/DashboardPage'),
    (m) => m.DashboardPage,
  ),
  page(
    '/reports',
    () => import('../modules/reports/ReportsPage'),
    (m) => m.ReportsPage,
  ),
  page(
    '/archive',
    () => import('../modules/archive/ArchivePage'),
    (m) => m.ArchivePage,
  ),
  page(
    '/systemic',
    () => import('../modules/systemic/SystemicPage'),
    (m) => m.SystemicPage,
  ),
  page(
    '/accountability',
    () => import('../modules/accountability/AccountabilityPage'),
    (m) => m.AccountabilityPage,
  ),
  page(
    '/knowledge/:id?',
    () => import('../modules/knowledge/KnowledgePage'),
    (m) => m.KnowledgePage,
  ),
  page(
    '/process',
    () => import('../modules/case/ProcessPage'),
    (m) => m.ProcessPage,
  ),
  page(
    '/admin',
    () => import('../modules/admin/AdminPage'),
    (m) => m.AdminPage,
  ),
];

/** The sign-in page (every path while signed out). */
export const LOGIN: Page = page(
  '/login',
  () => import('../modules/auth/LoginPage'),
  (m) => m.LoginPage,
);

/** The page every signed-in visit starts on (`/`, `/login` and unknown paths lead there). */
export const HOME = '/workbench';

/** Starts loading the chunk of the page at `pathname` (the home page for `/` and unknown paths). */
export function preloadPage(pathname: string): void {
  const p = PAGES.find((x) => matchPath(x.path, pathname)) ?? PAGES.find((x) => x.path === HOME);
  void p?.preload().catch(() => undefined); // the render reports a failure
}
