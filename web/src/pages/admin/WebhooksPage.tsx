// Administration: webhook endpoints (the signing secret shown once) and their delivery log.
import { type FormEvent, useState } from 'react';
import { api, type Webhook } from '../../api/index.ts';
import { Empty, ErrorBanner } from '../../components/Feedback.tsx';
import { formatTime } from '../../format.ts';
import { useAsync } from '../../use-async.ts';
import { AdminFrame, Panel, SecretOnce, useChange } from './AdminFrame.tsx';

export function WebhooksPage() {
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
    <AdminFrame page="webhooks">
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
                <td className="nowrap">{formatTime(Date.parse(hook.createdAt))}</td>
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
                <td className="nowrap">{formatTime(Date.parse(delivery.createdAt))}</td>
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
                  {delivery.lastAttemptAt !== null ? formatTime(Date.parse(delivery.lastAttemptAt)) : '—'}
                </td>
                <td>
                  {delivery.lastError ||
                    (delivery.lastStatusCode !== null ? `HTTP ${delivery.lastStatusCode}` : '—')}
                </td>
                <td className="nowrap">
                  {delivery.nextAttemptAt !== null ? formatTime(Date.parse(delivery.nextAttemptAt)) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {deliveries.data?.length === 0 ? <Empty>No deliveries yet.</Empty> : null}
      </Panel>
    </AdminFrame>
  );
}
