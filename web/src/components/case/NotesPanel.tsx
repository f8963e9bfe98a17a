// Investigators' notes on the case, newest last, and the outcome label that feeds back as label.set.
import { type FormEvent, useState } from 'react';
import { api, type CaseDetail, errorMessage, OUTCOME_LABELS, type OutcomeLabel } from '../../api/index.ts';
import { formatTime, humanize } from '../../format.ts';
import { canWork, useSession } from '../../session.ts';

export function NotesPanel(props: {
  detail: CaseDetail;
  onChanged: () => void;
  onError: (m: string) => void;
}) {
  const { detail, onChanged, onError } = props;
  const { user } = useSession();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    api
      .addNote(detail.id, text.trim())
      .then(() => {
        setText('');
        onChanged();
      })
      .catch((error: unknown) => onError(errorMessage(error)))
      .finally(() => setBusy(false));
  };
  return (
    <section className="panel">
      <h2>Notes</h2>
      {detail.notes.length === 0 ? <div className="muted">No notes yet.</div> : null}
      <ul className="notes">
        {detail.notes.map((note) => (
          <li key={note.id}>
            <div className="sub">
              {note.by.name} · {formatTime(note.at)}
            </div>
            <div className="note-text">{note.text}</div>
          </li>
        ))}
      </ul>
      {canWork(user) ? (
        <form onSubmit={submit} className="note-form" aria-label="Add a note">
          <textarea
            placeholder="Add a note…"
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
          <button type="submit" disabled={busy || !text.trim()}>
            Add note
          </button>
        </form>
      ) : null}
    </section>
  );
}

export function OutcomePanel(props: {
  detail: CaseDetail;
  onChanged: () => void;
  onError: (m: string) => void;
}) {
  const { detail, onChanged, onError } = props;
  const { user } = useSession();
  const [label, setLabel] = useState<OutcomeLabel>('fraud');
  const [busy, setBusy] = useState(false);
  const save = () => {
    setBusy(true);
    api
      .setOutcome(detail.id, label)
      .then(onChanged)
      .catch((error: unknown) => onError(errorMessage(error)))
      .finally(() => setBusy(false));
  };
  return (
    <section className="panel">
      <h2>Outcome</h2>
      {detail.outcome ? (
        <div>
          <strong>{humanize(detail.outcome.label)}</strong>{' '}
          <span className="muted">
            by {detail.outcome.by.name}, {formatTime(detail.outcome.at)}
          </span>
          {detail.outcome.note ? <div className="sub">“{detail.outcome.note}”</div> : null}
        </div>
      ) : (
        <div className="muted">Not labelled yet.</div>
      )}
      {canWork(user) ? (
        <div className="inline-form">
          <select value={label} onChange={(event) => setLabel(event.target.value as OutcomeLabel)}>
            {OUTCOME_LABELS.map((option) => (
              <option key={option} value={option}>
                {humanize(option)}
              </option>
            ))}
          </select>
          <button type="button" disabled={busy} onClick={save}>
            {detail.outcome ? 'Change label' : 'Set label'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
