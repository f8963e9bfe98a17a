// The case's place in its life-cycle and the moves the state machine allows from here.
import { useState } from 'react';
import { api, type CaseDetail, errorMessage } from '../../api/index.ts';
import { humanize } from '../../format.ts';
import { canWork, useSession } from '../../session.ts';

const ORDER = ['open', 'investigating', 'actioned', 'dismissed', 'closed'];

export function StatusBar(props: {
  detail: CaseDetail;
  onChanged: () => void;
  onError: (message: string) => void;
}) {
  const { detail, onChanged, onError } = props;
  const { user } = useSession();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  const move = (to: string) => {
    setBusy(true);
    api
      .transition(detail.id, to, note.trim() || undefined)
      .then(() => {
        setNote('');
        onChanged();
      })
      .catch((error: unknown) => onError(errorMessage(error)))
      .finally(() => setBusy(false));
  };

  return (
    <section className="panel status-bar">
      <ol className="lifecycle" aria-label="Case status">
        {ORDER.map((status) => (
          <li key={status} className={status === detail.status ? 'current' : ''}>
            {humanize(status)}
          </li>
        ))}
      </ol>
      {canWork(user) && detail.allowedTransitions.length > 0 ? (
        <div className="transition-controls">
          <input
            className="grow"
            placeholder="Note for the status change (optional)"
            value={note}
            onChange={(event) => setNote(event.target.value)}
          />
          {detail.allowedTransitions.map((to) => (
            <button type="button" key={to} disabled={busy} onClick={() => move(to)}>
              {`Move to ${humanize(to)}`}
            </button>
          ))}
        </div>
      ) : null}
    </section>
  );
}
