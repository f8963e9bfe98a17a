// Administration: API keys for systems, the secret shown once, when each was last used, revoking.
import { type FormEvent, useState } from 'react';
import { api, KEY_ROLES, type KeyRole } from '../../api/index.ts';
import { Empty, ErrorBanner, Loading } from '../../components/Feedback.tsx';
import { formatTime } from '../../format.ts';
import { useAsync } from '../../use-async.ts';
import { AdminFrame, Panel, SecretOnce, useChange } from './AdminFrame.tsx';

export function KeysPage() {
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
    <AdminFrame page="keys">
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
                <td className="nowrap">{formatTime(Date.parse(key.createdAt))}</td>
                <td className="nowrap">
                  {key.lastUsedAt !== null ? formatTime(Date.parse(key.lastUsedAt)) : 'never'}
                </td>
                <td>
                  {key.revokedAt !== null ? (
                    <span className="badge badge-grey" title={formatTime(Date.parse(key.revokedAt))}>
                      revoked
                    </span>
                  ) : (
                    <span className="badge badge-green">active</span>
                  )}
                </td>
                <td>
                  {key.revokedAt === null ? (
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
    </AdminFrame>
  );
}
