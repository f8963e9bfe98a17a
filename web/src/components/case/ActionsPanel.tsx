// Enforcement: the actions this case allows, a propose form, and every action taken so far with
// its four-eyes state. Closures and reversals wait for a supervisor who is not the proposer.
import { type FormEvent, useState } from 'react';
import {
  type Action,
  type ActionType,
  api,
  type CaseDetail,
  errorMessage,
  ACTION_RULES,
  FOUR_EYES_ACTIONS,
  type Timeline,
} from '../../api/index.ts';
import { formatTime, humanize } from '../../format.ts';
import { canApprove, canWork, useSession } from '../../session.ts';
import { ActionStatusBadge } from '../Badge.tsx';
import { timelineKind } from './timeline-kinds.ts';

/** What executing produced, as text: its plain fields as `key: value`. */
function resultText(result: Record<string, unknown>): string | undefined {
  const parts = Object.entries(result)
    .filter(([, entry]) => entry !== null && typeof entry !== 'object')
    .map(([key, entry]) => `${key}: ${String(entry)}`);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

function FourEyes({
  action,
  onChanged,
  onError,
}: {
  action: Action;
  onChanged: () => void;
  onError: (m: string) => void;
}) {
  const { user } = useSession();
  const [busy, setBusy] = useState(false);
  const decide = (approve: boolean) => {
    setBusy(true);
    (approve ? api.approveAction(action.id) : api.rejectAction(action.id))
      .then(onChanged)
      .catch((error: unknown) => onError(errorMessage(error)))
      .finally(() => setBusy(false));
  };
  if (!FOUR_EYES_ACTIONS.includes(action.type)) return null;
  if (action.status !== 'proposed') {
    return action.decidedBy ? (
      <div className="four-eyes done">
        Four eyes: proposed by {action.proposedBy.name},{' '}
        {action.status === 'rejected' ? 'rejected' : 'approved'} by {action.decidedBy.name}
        {action.decidedAt ? ` at ${formatTime(action.decidedAt)}` : ''}
      </div>
    ) : null;
  }
  const own = action.proposedBy.id === user.id;
  return (
    <div className="four-eyes waiting">
      <span>Awaiting approval by a supervisor other than {own ? 'you' : action.proposedBy.name}.</span>
      {canApprove(user) && !own ? (
        <span className="decide">
          <button type="button" className="primary" disabled={busy} onClick={() => decide(true)}>
            Approve
          </button>
          <button type="button" className="danger" disabled={busy} onClick={() => decide(false)}>
            Reject
          </button>
        </span>
      ) : null}
    </div>
  );
}

function ActionRow(props: { action: Action; onChanged: () => void; onError: (m: string) => void }) {
  const { action } = props;
  const target = [action.target.accountId, action.target.refundId].filter(Boolean).join(' · ');
  const result = action.result === undefined ? undefined : resultText(action.result);
  return (
    <li className="action-row" data-action-type={action.type} data-action-status={action.status}>
      <div className="action-line">
        <strong>{humanize(action.type)}</strong>
        <ActionStatusBadge status={action.status} />
        <span className="muted">{target}</span>
      </div>
      <div className="sub">
        Proposed by {action.proposedBy.name} at {formatTime(action.proposedAt)}
        {action.note ? ` — “${action.note}”` : ''}
      </div>
      <FourEyes {...props} />
      {result ? (
        <div className={action.status === 'failed' ? 'action-result failed' : 'action-result'}>{result}</div>
      ) : null}
      {action.deliveries.length > 0 ? (
        <div className="sub">
          Webhooks:{' '}
          {action.deliveries
            .map((d) => `${d.webhookId} ${d.status} (${d.attempts} attempt${d.attempts === 1 ? '' : 's'})`)
            .join(', ')}
        </div>
      ) : null}
      {action.type === 'export_evidence' && action.status === 'executed' ? (
        <a className="link-button" href={api.evidenceZipUrl(action.id)} download>
          Download evidence package (.zip)
        </a>
      ) : null}
    </li>
  );
}

function ProposeForm(props: {
  detail: CaseDetail;
  timeline: Timeline | undefined;
  onChanged: () => void;
  onError: (m: string) => void;
}) {
  const { detail, timeline, onChanged, onError } = props;
  const [type, setType] = useState<ActionType | ''>('');
  const [refundId, setRefundId] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const accountId =
    timeline?.account?.accountId ?? (detail.subjectType === 'account' ? detail.subjectId : undefined);
  const refunds = (timeline?.items ?? []).filter(
    (item) => timelineKind(item) === 'refund' && item.type === 'refund.requested',
  );
  const needsRefund = type !== '' && ACTION_RULES[type].target === 'refund';
  const fourEyes = type !== '' && FOUR_EYES_ACTIONS.includes(type);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (type === '') return;
    setBusy(true);
    api
      .proposeAction(detail.id, {
        type,
        ...(accountId ? { accountId } : {}),
        ...(needsRefund && refundId ? { refundId } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      })
      .then(() => {
        setType('');
        setNote('');
        onChanged();
      })
      .catch((error: unknown) => onError(errorMessage(error)))
      .finally(() => setBusy(false));
  };

  return (
    <form className="propose-form" onSubmit={submit} aria-label="Take an action">
      <div className="action-buttons">
        {detail.availableActions.map((available) => (
          <button
            type="button"
            key={available}
            className={type === available ? 'chip on' : 'chip'}
            aria-pressed={type === available}
            onClick={() => setType(type === available ? '' : available)}
          >
            {humanize(available)}
          </button>
        ))}
      </div>
      {type !== '' ? (
        <div className="propose-details">
          <div className="sub">
            {fourEyes
              ? 'Needs a second person: a supervisor other than you approves before it runs.'
              : 'Runs at once and is delivered to the retailer by webhook.'}
            {accountId ? ` Account ${accountId}.` : ''}
          </div>
          {needsRefund ? (
            <select required value={refundId} onChange={(event) => setRefundId(event.target.value)}>
              <option value="">Choose the refund…</option>
              {refunds.map((refund) => (
                <option key={refund.id} value={String(refund.data.refundId ?? refund.id)}>
                  {String(refund.data.refundId ?? refund.id)} — {refund.summary}
                </option>
              ))}
            </select>
          ) : null}
          <textarea
            placeholder="Why (kept with the action)"
            value={note}
            onChange={(event) => setNote(event.target.value)}
          />
          <button type="submit" className="primary" disabled={busy}>
            {fourEyes ? `Propose ${humanize(type).toLowerCase()}` : humanize(type)}
          </button>
        </div>
      ) : null}
    </form>
  );
}

export function ActionsPanel(props: {
  detail: CaseDetail;
  timeline: Timeline | undefined;
  onChanged: () => void;
  onError: (message: string) => void;
}) {
  const { detail, onChanged, onError } = props;
  const { user } = useSession();
  return (
    <section className="panel actions-panel">
      <h2>Actions</h2>
      {canWork(user) && detail.availableActions.length > 0 ? <ProposeForm {...props} /> : null}
      {detail.actions.length === 0 ? (
        <div className="muted">No actions yet.</div>
      ) : (
        <ul className="action-list">
          {detail.actions.map((action) => (
            <ActionRow key={action.id} action={action} onChanged={onChanged} onError={onError} />
          ))}
        </ul>
      )}
    </section>
  );
}
