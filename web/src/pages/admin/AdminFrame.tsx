// What every administration page shares: the heading and its tabs, panels, the secret shown once,
// and running a change that reloads the list after it.
import { type ReactNode, useEffect, useState } from 'react';
import { errorMessage } from '../../api/index.ts';
import { Link, navigate } from '../../router.tsx';
import { useSession } from '../../session.ts';
import { type AdminPageId, adminPagesFor } from './admin-pages.ts';

export function AdminFrame({ page, children }: { page: AdminPageId; children: ReactNode }) {
  const { user } = useSession();
  return (
    <div>
      <div className="page-head">
        <h1>Administration</h1>
      </div>
      <nav className="segmented admin-tabs" aria-label="Administration">
        {adminPagesFor(user.role).map((item) => (
          <Link key={item.id} to={item.path} className={item.id === page ? 'active' : ''}>
            {item.label}
          </Link>
        ))}
      </nav>
      {children}
    </div>
  );
}

/** /admin: the first administration page this person may open. */
export function AdminLanding({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

/** Runs a change, shows its error, and reloads the list after it. */
export function useChange(reload: () => void) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await work();
      reload();
      return result;
    } catch (failure) {
      setError(errorMessage(failure));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

export function SecretOnce({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  return (
    <div className="secret-once" role="status">
      <strong>{label}</strong> Copy it now: it is not shown again.
      <code className="secret" data-testid="secret">
        {secret}
      </code>
      <button type="button" className="link-button" onClick={onDone}>
        Done
      </button>
    </div>
  );
}

export function Panel({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <section className="panel">
      <div className="panel-head">
        <h2>{title}</h2>
        {aside}
      </div>
      {children}
    </section>
  );
}
