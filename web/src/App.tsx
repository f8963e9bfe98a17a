// The console: restores the session, then routes to a page. Signed-out visitors see the login page
// whatever the address, and land where they were going once signed in.
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { api, errorMessage, type Session, setUnauthorizedHandler } from './api/index.ts';
import { ErrorBanner, Loading } from './components/Feedback.tsx';
import { Layout } from './components/Layout.tsx';
import { AdminLanding } from './pages/admin/AdminFrame.tsx';
import { AuditPage } from './pages/admin/AuditPage.tsx';
import { type AdminPageId, adminPagesFor } from './pages/admin/admin-pages.ts';
import { KeysPage } from './pages/admin/KeysPage.tsx';
import { TemplatePage } from './pages/admin/TemplatePage.tsx';
import { UsersPage } from './pages/admin/UsersPage.tsx';
import { WebhooksPage } from './pages/admin/WebhooksPage.tsx';
import { CasePage } from './pages/CasePage.tsx';
import { DashboardPage } from './pages/DashboardPage.tsx';
import { DecisionsPage } from './pages/DecisionsPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { QueuePage } from './pages/QueuePage.tsx';
import { RefundsPage } from './pages/RefundsPage.tsx';
import { navigate, useLocation } from './router.tsx';
import { SessionContext, type SessionValue } from './session.ts';

const ADMIN_PAGE_VIEWS: Record<AdminPageId, () => ReactNode> = {
  users: UsersPage,
  keys: KeysPage,
  webhooks: WebhooksPage,
  template: TemplatePage,
  audit: AuditPage,
};

type SessionState =
  | { status: 'checking' }
  | { status: 'signed-out'; error?: string }
  | { status: 'signed-in'; session: Session };

function Page({ path, role }: { path: string; role: string }) {
  if (path === '/' || path === '/queue') return <QueuePage />;
  const adminMatch = /^\/admin(?:\/([a-z]+))?\/?$/.exec(path);
  if (adminMatch) {
    const allowed = adminPagesFor(role);
    if (adminMatch[1] === undefined && allowed[0]) return <AdminLanding to={allowed[0].path} />;
    const page = allowed.find((item) => item.id === adminMatch[1]);
    if (page) {
      const View = ADMIN_PAGE_VIEWS[page.id];
      return <View />;
    }
  }
  const caseMatch = /^\/cases\/([^/]+)\/?$/.exec(path);
  if (caseMatch?.[1]) return <CasePage caseId={decodeURIComponent(caseMatch[1])} />;
  if (path === '/refunds') return <RefundsPage />;
  if (path === '/dashboard') return <DashboardPage />;
  if (path === '/decisions' || path === '/decisions/') return <DecisionsPage />;
  return <NotFoundPage path={path} />;
}

export function App() {
  const [state, setState] = useState<SessionState>({ status: 'checking' });
  const { path } = useLocation();

  useEffect(() => {
    api
      .currentSession()
      .then((session) => setState(session ? { status: 'signed-in', session } : { status: 'signed-out' }))
      .catch((error: unknown) => setState({ status: 'signed-out', error: errorMessage(error) }));
    setUnauthorizedHandler(() =>
      setState({ status: 'signed-out', error: 'Your session has ended. Sign in again.' }),
    );
    return () => setUnauthorizedHandler(undefined);
  }, []);

  const logout = useCallback(() => {
    api
      .logout()
      .catch(() => undefined)
      .finally(() => {
        setState({ status: 'signed-out' });
        navigate('/login');
      });
  }, []);

  const onSignedIn = useCallback((session: Session) => {
    setState({ status: 'signed-in', session });
    const next = new URLSearchParams(window.location.search).get('next');
    if (window.location.pathname === '/login')
      navigate(next?.startsWith('/') ? next : '/', { replace: true });
  }, []);

  const value = useMemo<SessionValue | undefined>(
    () => (state.status === 'signed-in' ? { user: state.session.user, logout } : undefined),
    [state, logout],
  );

  if (state.status === 'checking') return <Loading label="Checking your session…" />;
  if (state.status === 'signed-out' || !value) {
    return (
      <>
        <ErrorBanner message={state.status === 'signed-out' ? state.error : undefined} />
        <LoginPage onSignedIn={onSignedIn} />
      </>
    );
  }
  return (
    <SessionContext.Provider value={value}>
      <Layout>
        <Page path={path === '/login' ? '/' : path} role={value.user.role} />
      </Layout>
    </SessionContext.Provider>
  );
}
