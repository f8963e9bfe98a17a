// The frame around every signed-in page: navigation and the signed-in person.
import type { ReactNode } from 'react';
import { humanize } from '../format.ts';
import { adminPagesFor } from '../pages/admin/admin-pages.ts';
import { Link, useLocation } from '../router.tsx';
import { useSession } from '../session.ts';
import { canReadDecisions } from './decisions/access.ts';

const NAV = [
  { to: '/', label: 'Queue', active: (path: string) => path === '/' || path.startsWith('/cases') },
  { to: '/refunds', label: 'Refunds', active: (path: string) => path.startsWith('/refunds') },
  { to: '/dashboard', label: 'Dashboard', active: (path: string) => path.startsWith('/dashboard') },
];

const DECISIONS_NAV = [
  { to: '/decisions', label: 'Decisions', active: (path: string) => isDecisionsPath(path) },
];

function isDecisionsPath(path: string): boolean {
  return path === '/decisions' || path === '/decisions/';
}

/** Admin opens the first administration page the person may use. */
function adminNav(role: string) {
  const first = adminPagesFor(role)[0];
  return first
    ? [{ to: first.path, label: 'Admin', active: (path: string) => path.startsWith('/admin') }]
    : [];
}

export function Layout({ children }: { children: ReactNode }) {
  const { user, logout } = useSession();
  const { path } = useLocation();
  return (
    <div className="app">
      <header className="topbar">
        <Link to="/" className="brand">
          refund<strong>guard</strong>
        </Link>
        <nav>
          {[...NAV, ...(canReadDecisions(user) ? DECISIONS_NAV : []), ...adminNav(user.role)].map((item) => (
            <Link key={item.to} to={item.to} className={item.active(path) ? 'nav-link active' : 'nav-link'}>
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="whoami">
          <span className="user-name">{user.name}</span>
          <span className="role-chip">{humanize(user.role)}</span>
          <button type="button" className="link-button" onClick={logout}>
            Sign out
          </button>
        </div>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
