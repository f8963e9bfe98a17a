// Administration (admin role): people and their roles, API keys (the secret shown once), webhooks
// and their delivery log, the warn-customer notice, and the audit log with its chain check.
import { type FormEvent, type ReactNode, useState } from 'react';
import {
  type AdminUser,
  type AuditCheck,
  type AuditEntry,
  api,
  errorMessage,
  KEY_ROLES,
  type KeyRole,
  ROLES,
  type Role,
  type Webhook,
} from '../api/index.ts';
import { Empty, ErrorBanner, Loading } from '../components/Feedback.tsx';
import { formatTime, humanize } from '../format.ts';
import { Link, replaceQuery, useLocation } from '../router.tsx';
import { useSession } from '../session.ts';
import { useAsync } from '../use-async.ts';

export const ADMIN_TABS = [
  { id: 'users', label: 'Users' },
  { id: 'keys', label: 'API keys' },
  { id: 'webhooks', label: 'Webhooks' },
  { id: 'template', label: 'Warning notice' },
  { id: 'audit', label: 'Audit log' },
] as const;
export type AdminTab = (typeof ADMIN_TABS)[number]['id'];

export function AdminPage({ tab }: { tab: AdminTab }) {
  return (
    <div>
      <div className="page-head">
        <h1>Administration</h1>
      </div>
      <nav className="segmented admin-tabs" aria-label="Administration">
        {ADMIN_TABS.map((item) => (
          <Link key={item.id} to={`/admin/${item.id}`} className={item.id === tab ? 'active' : ''}>
            {item.label}
          </Link>
        ))}
      </nav>
      {tab === 'users' ? <UsersTab /> : null}
      {tab === 'keys' ? <KeysTab /> : null}
      {tab === 'webhooks' ? <WebhooksTab /> : null}
      {tab === 'template' ? <TemplateTab /> : null}
      {tab === 'audit' ? <AuditTab /> : null}
    </div>
  );
}

/** Runs a change, shows its error, and reloads the list after it. */
function useChange(reload: () => void) {
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

function SecretOnce({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
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

function Panel({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
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

// ---- users ----

function UsersTab() {
  const { user: me } = useSession();
  const users = useAsync((signal) => api.admin.users(signal), []);
  const change = useChange(users.reload);
  const [draft, setDraft] = useState({
    email: '',
    name: '',
    role: 'investigator' as Role,
    password: '',
    agentId: '',
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await change.run(() =>
      api.admin.createUser({
        email: draft.email.trim(),
        name: draft.name.trim(),
        role: draft.role,
        password: draft.password,
        ...(draft.agentId.trim() ? { agentId: draft.agentId.trim() } : {}),
      }),
    );
    if (created) setDraft({ email: '', name: '', role: 'investigator', password: '', agentId: '' });
  };
  return (
    <>
      <Panel title="New user">
        <form className="admin-form" onSubmit={submit} aria-label="New user">
          <label className="field">
            E-mail
            <input
              required
              type="email"
              value={draft.email}
              onChange={(e) => setDraft({ ...draft, email: e.target.value })}
            />
          </label>
          <label className="field">
            Name
            <input
              required
              value={draft.name}
              onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            />
          </label>
          <label className="field">
            Role
            <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {humanize(role)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Initial password
            <input
              required
              type="password"
              minLength={10}
              autoComplete="new-password"
              value={draft.password}
              onChange={(e) => setDraft({ ...draft, password: e.target.value })}
            />
          </label>
          <label className="field">
            Support agent id (optional)
            <input value={draft.agentId} onChange={(e) => setDraft({ ...draft, agentId: e.target.value })} />
          </label>
          <button type="submit" className="primary" disabled={change.busy}>
            Create user
          </button>
        </form>
        <ErrorBanner message={change.error} />
      </Panel>
      <ErrorBanner message={users.error} onRetry={users.reload} />
      <section className="panel table-panel">
        <table className="grid" aria-label="Users">
          <thead>
            <tr>
              <th>Name</th>
              <th>E-mail</th>
              <th>Role</th>
              <th>Agent</th>
              <th>Created</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.data?.map((user: AdminUser) => (
              <tr key={user.id} data-email={user.email}>
                <td className="strong">{user.name}</td>
                <td>{user.email}</td>
                <td>
                  <select
                    aria-label={`Role of ${user.email}`}
                    value={user.role}
                    disabled={change.busy || user.id === me.id}
                    onChange={(e) =>
                      void change.run(() => api.admin.updateUser(user.id, { role: e.target.value as Role }))
                    }
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {humanize(role)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{user.agentId ? <code>{user.agentId}</code> : '—'}</td>
                <td className="nowrap">{formatTime(user.createdAt)}</td>
                <td>
                  {user.disabled ? (
                    <span className="badge badge-grey">disabled</span>
                  ) : (
                    <span className="badge badge-green">active</span>
                  )}
                </td>
                <td>
                  {user.id === me.id ? (
                    <span className="muted">you</span>
                  ) : (
                    <button
                      type="button"
                      className="link-button"
                      disabled={change.busy}
                      onClick={() =>
                        void change.run(() => api.admin.updateUser(user.id, { disabled: !user.disabled }))
                      }
                    >
                      {user.disabled ? 'Enable' : 'Disable'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!users.data && users.loading ? <Loading label="Loading users…" /> : null}
      </section>
    </>
  );
}

// ---- API keys ----

function KeysTab() {
  const keys = useAsync((signal) => api.admin.keys(signal), []);
  const change = useChange(keys.reload);
  const [name, setName] = useState('');
  const [role, setRole] = useState<KeyRole>('ingest');
  const [secret, setSecret] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await change.run(() => api.admin.createKey({ name: name.trim(), role }));
    if (created) {
      setSecret(created.secret);
      setName('');
    }
  };
  return (
    <>
      <Panel title="New API key">
        <form className="admin-form" onSubmit={submit} aria-label="New API key">
          <label className="field">
            Key name
            <input
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="support desk"
            />
          </label>
          <label className="field">
            Key role
            <select value={role} onChange={(e) => setRole(e.target.value as KeyRole)}>
              {KEY_ROLES.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary" disabled={change.busy}>
            Create key
          </button>
        </form>
        {secret ? (
          <SecretOnce label="The new key:" secret={secret} onDone={() => setSecret(undefined)} />
        ) : null}
        <ErrorBanner message={change.error} />
      </Panel>
      <ErrorBanner message={keys.error} onRetry={keys.reload} />
      <section className="panel table-panel">
        <table className="grid" aria-label="API keys">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.data?.map((key) => (
              <tr key={key.id} data-key-name={key.name}>
                <td className="strong">{key.name}</td>
                <td>{key.role}</td>
                <td className="nowrap">{formatTime(key.createdAt)}</td>
                <td className="nowrap">
                  {key.lastUsedAt !== undefined ? formatTime(key.lastUsedAt) : 'never'}
                </td>
                <td>
                  {key.revokedAt !== undefined ? (
                    <span className="badge badge-grey" title={formatTime(key.revokedAt)}>
                      revoked
                    </span>
                  ) : (
                    <span className="badge badge-green">active</span>
                  )}
                </td>
                <td>
                  {key.revokedAt === undefined ? (
                    <button
                      type="button"
                      className="link-button"
                      disabled={change.busy}
                      aria-label={`Revoke ${key.name}`}
                      onClick={() => void change.run(() => api.admin.revokeKey(key.id))}
                    >
                      Revoke
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!keys.data && keys.loading ? <Loading label="Loading keys…" /> : null}
        {keys.data?.length === 0 ? <Empty>No API keys.</Empty> : null}
      </section>
    </>
  );
}

// ---- webhooks ----

function WebhooksTab() {
  const hooks = useAsync((signal) => api.admin.webhooks(signal), []);
  const deliveries = useAsync((signal) => api.admin.deliveries(signal), []);
  const reload = () => {
    hooks.reload();
    deliveries.reload();
  };
  const change = useChange(reload);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string>();
  const byId = new Map((hooks.data ?? []).map((hook: Webhook) => [hook.id, hook]));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await change.run(() => api.admin.createWebhook(url.trim()));
    if (created) {
      setSecret(created.secret);
      setUrl('');
    }
  };
  return (
    <>
      <Panel title="Endpoints">
        <form className="admin-form" onSubmit={submit} aria-label="New webhook">
          <label className="field grow">
            Endpoint URL
            <input
              required
              type="url"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="https://…"
            />
          </label>
          <button type="submit" className="primary" disabled={change.busy}>
            Add endpoint
          </button>
        </form>
        {secret ? (
          <SecretOnce label="Signing secret:" secret={secret} onDone={() => setSecret(undefined)} />
        ) : null}
        <ErrorBanner message={change.error ?? hooks.error} />
        <table className="grid" aria-label="Webhooks">
          <thead>
            <tr>
              <th>URL</th>
              <th>Events</th>
              <th>Created</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {hooks.data?.map((hook) => (
              <tr key={hook.id}>
                <td>
                  <code>{hook.url}</code>
                </td>
                <td>{hook.events.join(', ')}</td>
                <td className="nowrap">{formatTime(hook.createdAt)}</td>
                <td>
                  {hook.active ? (
                    <span className="badge badge-green">active</span>
                  ) : (
                    <span className="badge badge-grey">disabled</span>
                  )}
                </td>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    disabled={change.busy}
                    onClick={() => void change.run(() => api.admin.setWebhookActive(hook.id, !hook.active))}
                  >
                    {hook.active ? 'Disable' : 'Enable'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {hooks.data?.length === 0 ? <Empty>No endpoints registered.</Empty> : null}
      </Panel>
      <Panel
        title="Delivery log"
        aside={
          <button type="button" className="link-button" onClick={deliveries.reload}>
            Refresh
          </button>
        }
      >
        <ErrorBanner message={deliveries.error} onRetry={deliveries.reload} />
        <table className="grid" aria-label="Deliveries">
          <thead>
            <tr>
              <th>Created</th>
              <th>Endpoint</th>
              <th>Event</th>
              <th>Action</th>
              <th>Status</th>
              <th className="num">Attempts</th>
              <th>Last attempt</th>
              <th>Answer</th>
              <th>Next retry</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data?.map((delivery) => (
              <tr key={delivery.id}>
                <td className="nowrap">{formatTime(delivery.createdAt)}</td>
                <td>
                  <code>{byId.get(delivery.webhookId)?.url ?? delivery.webhookId}</code>
                </td>
                <td>{delivery.eventType}</td>
                <td>{delivery.actionId ? <code>{delivery.actionId.slice(0, 8)}</code> : '—'}</td>
                <td>
                  <span
                    className={`badge ${delivery.status === 'delivered' ? 'badge-green' : delivery.status === 'failed' ? 'badge-red' : 'badge-amber'}`}
                  >
                    {delivery.status}
                  </span>
                </td>
                <td className="num">{delivery.attempts}</td>
                <td className="nowrap">
                  {delivery.lastAttemptAt !== undefined ? formatTime(delivery.lastAttemptAt) : '—'}
                </td>
                <td>
                  {delivery.lastError ??
                    (delivery.lastStatusCode !== undefined ? `HTTP ${delivery.lastStatusCode}` : '—')}
                </td>
                <td className="nowrap">
                  {delivery.nextAttemptAt !== undefined ? formatTime(delivery.nextAttemptAt) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {deliveries.data?.length === 0 ? <Empty>No deliveries yet.</Empty> : null}
      </Panel>
    </>
  );
}

// ---- the warn-customer notice ----

function TemplateTab() {
  const template = useAsync((signal) => api.admin.template(signal), []);
  const [draft, setDraft] = useState<string>();
  const [saved, setSaved] = useState(false);
  const change = useChange(template.reload);
  const body = draft ?? template.data ?? '';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const result = await change.run(() => api.admin.setTemplate(body));
    if (result !== undefined) {
      setDraft(undefined);
      setSaved(true);
    }
  };
  return (
    <Panel title="Warn-customer notice">
      <p className="muted">
        Sent by the <strong>warn customer</strong> action. Placeholders: <code>{'{{name}}'}</code>,{' '}
        <code>{'{{accountId}}'}</code>, <code>{'{{email}}'}</code>, <code>{'{{marketplace}}'}</code>.
      </p>
      <ErrorBanner message={template.error ?? change.error} />
      <form onSubmit={submit} aria-label="Warn-customer notice">
        <label className="field">
          Notice text
          <textarea
            className="template-text"
            rows={12}
            value={body}
            onChange={(e) => {
              setSaved(false);
              setDraft(e.target.value);
            }}
          />
        </label>
        <div className="inline-form">
          <button type="submit" className="primary" disabled={change.busy || draft === undefined}>
            Save notice
          </button>
          {saved ? <span role="status">Saved.</span> : null}
        </div>
      </form>
    </Panel>
  );
}

// ---- audit log ----

const AUDIT_PAGE = 50;

function AuditTab() {
  const { search } = useLocation();
  const actor = search.get('actor') ?? '';
  const action = search.get('action') ?? '';
  const subject = search.get('subject') ?? '';
  const before = Number(search.get('before') ?? 0) || undefined;
  const [draft, setDraft] = useState({ actor, action, subject });
  const [check, setCheck] = useState<AuditCheck | { error: string }>();
  const [checking, setChecking] = useState(false);
  const rows = useAsync(
    (signal) =>
      api.admin.audit(
        {
          ...(actor ? { actor } : {}),
          ...(action ? { action } : {}),
          ...(subject ? { subject } : {}),
          ...(before ? { before } : {}),
          limit: AUDIT_PAGE,
        },
        signal,
      ),
    [search.toString()],
  );
  const write = (next: { actor?: string; action?: string; subject?: string; before?: number }) =>
    replaceQuery({
      actor: next.actor || undefined,
      action: next.action || undefined,
      subject: next.subject || undefined,
      before: next.before ? String(next.before) : undefined,
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    write({ actor: draft.actor.trim(), action: draft.action.trim(), subject: draft.subject.trim() });
  };
  const verify = async () => {
    setChecking(true);
    try {
      setCheck(await api.admin.verifyAudit());
    } catch (failure) {
      setCheck({ error: errorMessage(failure) });
    } finally {
      setChecking(false);
    }
  };
  const last: AuditEntry | undefined = rows.data?.at(-1);
  return (
    <>
      <Panel
        title="Audit log"
        aside={
          <button type="button" className="primary" onClick={() => void verify()} disabled={checking}>
            {checking ? 'Verifying…' : 'Verify chain'}
          </button>
        }
      >
        {check ? (
          'error' in check ? (
            <ErrorBanner message={check.error} />
          ) : check.ok ? (
            <div className="chain-result chain-ok" role="status">
              Chain intact: {check.rows.toLocaleString('en-US')} rows verified.
            </div>
          ) : (
            <div className="chain-result chain-broken" role="status">
              Chain broken at row #{check.brokenSeq}: {check.problem}.{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => write({ before: (check.brokenSeq ?? 0) + 1 })}
              >
                Show it
              </button>
            </div>
          )
        ) : null}
        <form className="search-row" onSubmit={submit} aria-label="Filter the audit log">
          <label className="field">
            Actor
            <input
              value={draft.actor}
              placeholder="user:… or key:…"
              onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
            />
          </label>
          <label className="field">
            Action
            <input
              value={draft.action}
              placeholder="case.view or case."
              onChange={(e) => setDraft({ ...draft, action: e.target.value })}
            />
          </label>
          <label className="field">
            Subject
            <input
              value={draft.subject}
              placeholder="case:…"
              onChange={(e) => setDraft({ ...draft, subject: e.target.value })}
            />
          </label>
          <button type="submit" className="primary">
            Filter
          </button>
        </form>
      </Panel>
      <ErrorBanner message={rows.error} onRetry={rows.reload} />
      <section className="panel table-panel">
        <table className="grid" aria-label="Audit rows">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>When</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Subject</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {rows.data?.map((row) => (
              <tr
                key={row.seq}
                className={check && 'brokenSeq' in check && check.brokenSeq === row.seq ? 'row-broken' : ''}
              >
                <td className="num">{row.seq}</td>
                <td className="nowrap">{formatTime(row.at)}</td>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => write({ actor: row.actor, action, subject })}
                  >
                    {row.actor}
                  </button>
                </td>
                <td>
                  <code>{row.action}</code>
                </td>
                <td>
                  <code>{row.subject}</code>
                </td>
                <td className="audit-detail">{JSON.stringify(row.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!rows.data && rows.loading ? <Loading label="Loading the audit log…" /> : null}
        {rows.data?.length === 0 ? <Empty>No audit rows match.</Empty> : null}
        <div className="pager">
          {before ? (
            <button type="button" className="link-button" onClick={() => write({ actor, action, subject })}>
              Newest
            </button>
          ) : null}
          {last && rows.data?.length === AUDIT_PAGE ? (
            <button
              type="button"
              className="link-button"
              onClick={() => write({ actor, action, subject, before: last.seq })}
            >
              Older
            </button>
          ) : null}
        </div>
      </section>
    </>
  );
}
