// Administration: people, their roles and support-agent ids; disabling and re-enabling them; a
// second admin confirming a user made in the console (until then they count as their maker).
import { type FormEvent, useState } from 'react';
import { type AdminUser, api, ROLES, type Role } from '../../api/index.ts';
import { ErrorBanner, Loading } from '../../components/Feedback.tsx';
import { formatTime, humanize } from '../../format.ts';
import { useSession } from '../../session.ts';
import { useAsync } from '../../use-async.ts';
import { AdminFrame, Panel, useChange } from './AdminFrame.tsx';

export function UsersPage() {
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
    <AdminFrame page="users">
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
                <td className="nowrap">{formatTime(Date.parse(user.createdAt))}</td>
                <td>
                  {user.disabled ? (
                    <span className="badge badge-grey">disabled</span>
                  ) : (
                    <span className="badge badge-green">active</span>
                  )}{' '}
                  {user.confirmed || user.id === me.id ? null : user.createdBy === `user:${me.id}` ? (
                    <span
                      className="badge badge-grey"
                      title="Counts as you for four-eyes until another admin confirms them"
                    >
                      awaiting another admin
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="link-button"
                      disabled={change.busy}
                      title="Four-eyes: confirm this user as a person of their own"
                      onClick={() => void change.run(() => api.admin.confirmUser(user.id))}
                    >
                      Confirm
                    </button>
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
    </AdminFrame>
  );
}
