// The decision policy in force (who set it, when, why) and, for supervisors and admins, a form to
// change it: try it on history first (Simulate), then save it with a note. The server validates;
// its field errors show beside the fields.
import { type FormEvent, useMemo, useState } from 'react';
import {
  ApiError,
  api,
  type DecisionPolicy,
  errorMessage,
  type PolicySimulation,
  type PolicyView,
} from '../../api/index.ts';
import { formatTime } from '../../format.ts';
import { useSession } from '../../session.ts';
import { useAsync } from '../../use-async.ts';
import { ErrorBanner } from '../Feedback.tsx';
import { actorLabel } from './access.ts';
import { capacityText, decimal } from './figures.ts';

type CapacityMode = 'share' | 'perDay';

interface Draft {
  mode: CapacityMode;
  /** Percent of refunds. */
  sharePercent: string;
  perDay: string;
  denyPrecision: string;
  reviewFrom: string;
  returnFirstFrom: string;
  windowDays: string;
  minWindowRefunds: string;
  note: string;
}

const text = (value: number) => String(Number(value.toFixed(6)));

function draftOf(policy: DecisionPolicy): Draft {
  const { share, perDay } = policy.reviewCapacity;
  return {
    mode: perDay !== undefined ? 'perDay' : 'share',
    sharePercent: share !== undefined ? text(share * 100) : '10',
    perDay: perDay !== undefined ? text(perDay) : '',
    denyPrecision: text(policy.denyPrecision),
    reviewFrom: text(policy.reviewFrom),
    returnFirstFrom: text(policy.returnFirstFrom),
    windowDays: text(policy.windowDays),
    minWindowRefunds: text(policy.minWindowRefunds),
    note: '',
  };
}

/** An empty field is sent as null (NaN serialises so): the server names it rather than defaulting it. */
const numberOf = (value: string) => (value.trim() === '' ? Number.NaN : Number(value));

function policyOf(draft: Draft): DecisionPolicy {
  const share = numberOf(draft.sharePercent);
  return {
    reviewCapacity:
      draft.mode === 'share'
        ? { share: Number.isFinite(share) ? Number((share / 100).toPrecision(12)) : share }
        : { perDay: numberOf(draft.perDay) },
    denyPrecision: numberOf(draft.denyPrecision),
    reviewFrom: numberOf(draft.reviewFrom),
    returnFirstFrom: numberOf(draft.returnFirstFrom),
    windowDays: numberOf(draft.windowDays),
    minWindowRefunds: numberOf(draft.minWindowRefunds),
  };
}

type FieldErrors = Record<string, string[]>;

/** The API's `errors[].field` (`reviewCapacity.share`, `note`, possibly under `policy.`) → reasons. */
function fieldErrorsOf(error: unknown): { fields: FieldErrors; rest: string | undefined } {
  if (!(error instanceof ApiError)) return { fields: {}, rest: errorMessage(error) };
  const fields: FieldErrors = {};
  const unplaced: string[] = [];
  for (const { field, reason } of error.fieldErrors) {
    const key = field.replace(/^policy\./, '');
    if (key === '' || key === '(root)' || key === 'policy') unplaced.push(reason);
    else fields[key] = [...(fields[key] ?? []), reason];
  }
  if (error.fieldErrors.length === 0) return { fields, rest: error.userMessage };
  return {
    fields,
    rest: unplaced.length > 0 ? `${error.detail ?? error.title}: ${unplaced.join('; ')}` : undefined,
  };
}

function FieldError({ errors, names }: { errors: FieldErrors; names: string[] }) {
  const reasons = names.flatMap((name) => errors[name] ?? []);
  if (reasons.length === 0) return null;
  return (
    <span className="field-error" role="alert">
      {reasons.join('; ')}
    </span>
  );
}

function PolicyFacts({ policy }: { policy: DecisionPolicy }) {
  return (
    <dl className="policy-facts" aria-label="Policy in force">
      <div>
        <dt>Review capacity</dt>
        <dd data-testid="policy-capacity">{capacityText(policy)}</dd>
      </div>
      <div>
        <dt>Deny precision</dt>
        <dd>{decimal(policy.denyPrecision, 2)}</dd>
      </div>
      <div>
        <dt>Review from</dt>
        <dd>{decimal(policy.reviewFrom, 2)}</dd>
      </div>
      <div>
        <dt>Return first from</dt>
        <dd>{decimal(policy.returnFirstFrom, 2)}</dd>
      </div>
      <div>
        <dt>Window</dt>
        <dd>
          {policy.windowDays} days, at least {policy.minWindowRefunds} refunds
        </dd>
      </div>
    </dl>
  );
}

function PolicyForm(props: {
  policy: DecisionPolicy;
  onSaved: (version: number) => void;
  onSimulated: (proposal: DecisionPolicy, simulation: PolicySimulation) => void;
}) {
  const [draft, setDraft] = useState(() => draftOf(props.policy));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<'save' | 'simulate'>();
  const set = (changes: Partial<Draft>) => setDraft((current) => ({ ...current, ...changes }));

  const run = async (kind: 'save' | 'simulate') => {
    setBusy(kind);
    setErrors({});
    setError(undefined);
    const proposal = policyOf(draft);
    try {
      if (kind === 'save') {
        const record = await api.decisions.setPolicy(proposal, draft.note.trim() || undefined);
        props.onSaved(record.version);
      } else {
        props.onSimulated(proposal, await api.decisions.simulate(proposal));
      }
    } catch (failure) {
      const { fields, rest } = fieldErrorsOf(failure);
      setErrors(fields);
      setError(rest);
    } finally {
      setBusy(undefined);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run('save');
  };

  const input = (name: keyof Draft, label: string, hint?: string) => (
    <label className="field">
      {label}
      <input
        type="number"
        step="any"
        value={draft[name]}
        aria-invalid={errors[name] ? true : undefined}
        onChange={(event) => set({ [name]: event.target.value })}
      />
      {hint ? <span className="hint">{hint}</span> : null}
      <FieldError errors={errors} names={[name]} />
    </label>
  );

  return (
    <form className="policy-form" onSubmit={submit} aria-label="Change the policy" noValidate>
      <div className="admin-form policy-form-fields">
        <label className="field">
          Capacity as
          <select value={draft.mode} onChange={(event) => set({ mode: event.target.value as CapacityMode })}>
            <option value="share">Share of refunds</option>
            <option value="perDay">Refunds per day</option>
          </select>
          <FieldError errors={errors} names={['reviewCapacity']} />
        </label>
        {draft.mode === 'share' ? (
          <label className="field">
            Review share (%)
            <input
              type="number"
              step="any"
              value={draft.sharePercent}
              aria-invalid={errors['reviewCapacity.share'] ? true : undefined}
              onChange={(event) => set({ sharePercent: event.target.value })}
            />
            <FieldError errors={errors} names={['reviewCapacity.share']} />
          </label>
        ) : (
          <label className="field">
            Reviews per day
            <input
              type="number"
              step="any"
              value={draft.perDay}
              aria-invalid={errors['reviewCapacity.perDay'] ? true : undefined}
              onChange={(event) => set({ perDay: event.target.value })}
            />
            <FieldError errors={errors} names={['reviewCapacity.perDay']} />
          </label>
        )}
        {input('denyPrecision', 'Deny precision', '0–1')}
        {input('reviewFrom', 'Review from', 'probability')}
        {input('returnFirstFrom', 'Return first from', 'probability')}
        {input('windowDays', 'Window (days)')}
        {input('minWindowRefunds', 'Min refunds in window')}
      </div>
      <div className="admin-form policy-form-actions">
        <label className="field grow">
          Note
          <input
            value={draft.note}
            maxLength={2000}
            placeholder="Why the change (kept in the audit log)"
            onChange={(event) => set({ note: event.target.value })}
          />
          <FieldError errors={errors} names={['note']} />
        </label>
        <button type="button" disabled={busy !== undefined} onClick={() => void run('simulate')}>
          {busy === 'simulate' ? 'Simulating…' : 'Simulate'}
        </button>
        <button type="submit" className="primary" disabled={busy !== undefined}>
          {busy === 'save' ? 'Saving…' : 'Save policy'}
        </button>
        <button
          type="button"
          className="link-button"
          disabled={busy !== undefined}
          onClick={() => setDraft(draftOf(props.policy))}
        >
          Reset
        </button>
      </div>
      <ErrorBanner message={error} />
    </form>
  );
}

export function PolicyPanel(props: {
  view: PolicyView;
  canEdit: boolean;
  onSaved: (version: number) => void;
  onSimulated: (proposal: DecisionPolicy, simulation: PolicySimulation) => void;
}) {
  const { user } = useSession();
  const { view } = props;
  const latest = view.history[0];
  // Changes name people by id; an admin may list people, so sees their names.
  const people = useAsync(
    (signal) => (user.role === 'admin' ? api.admin.users(signal) : Promise.resolve([])),
    [user.role],
  );
  const names = useMemo(
    () => new Map(people.data?.map((person) => [`user:${person.id}`, person.name])),
    [people.data],
  );
  const [saved, setSaved] = useState<number>();
  return (
    <section className="panel" aria-label="Decision policy">
      <div className="panel-head">
        <h2>Policy</h2>
        {latest ? <span className="muted">version {latest.version}</span> : null}
      </div>
      <PolicyFacts policy={view.effective} />
      {latest ? (
        <p className="policy-origin" data-testid="policy-origin">
          Set by <strong>{actorLabel(latest.createdBy, user, names)}</strong> at{' '}
          {formatTime(Date.parse(latest.createdAt))}
          {latest.note ? (
            <>
              {' '}
              — <q>{latest.note}</q>
            </>
          ) : null}
        </p>
      ) : (
        <p className="policy-origin muted" data-testid="policy-origin">
          The rule pack's default: not changed in the console yet.
        </p>
      )}
      {saved !== undefined ? (
        <p className="saved-note" role="status">
          Saved as version {saved}; decisions use it from the next refund on.
        </p>
      ) : null}
      {props.canEdit ? (
        <PolicyForm
          key={latest?.version ?? 0}
          policy={view.effective}
          onSaved={(version) => {
            setSaved(version);
            props.onSaved(version);
          }}
          onSimulated={(proposal, simulation) => {
            setSaved(undefined);
            props.onSimulated(proposal, simulation);
          }}
        />
      ) : (
        <p className="muted">Supervisors and admins change the policy.</p>
      )}
      {view.history.length > 0 ? (
        <details className="policy-history">
          <summary>Changes ({view.history.length})</summary>
          <table className="grid compact" aria-label="Policy changes">
            <thead>
              <tr>
                <th className="num">Version</th>
                <th>Set</th>
                <th>By</th>
                <th>Capacity</th>
                <th className="num">Deny precision</th>
                <th className="num">Review from</th>
                <th className="num">Return first from</th>
                <th className="num">Window</th>
                <th>Note</th>
              </tr>
            </thead>
            <tbody>
              {view.history.map((record) => (
                <tr key={record.version}>
                  <td className="num">{record.version}</td>
                  <td className="nowrap">{formatTime(Date.parse(record.createdAt))}</td>
                  <td>{actorLabel(record.createdBy, user, names)}</td>
                  <td>{capacityText(record.policy)}</td>
                  <td className="num">{decimal(record.policy.denyPrecision, 2)}</td>
                  <td className="num">{decimal(record.policy.reviewFrom, 2)}</td>
                  <td className="num">{decimal(record.policy.returnFirstFrom, 2)}</td>
                  <td className="num">{record.policy.windowDays} d</td>
                  <td>{record.note || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">
            The rule pack's default: {capacityText(view.packDefault)}, deny precision{' '}
            {decimal(view.packDefault.denyPrecision, 2)}, review from{' '}
            {decimal(view.packDefault.reviewFrom, 2)}, return first from{' '}
            {decimal(view.packDefault.returnFirstFrom, 2)}, {view.packDefault.windowDays} days.
          </p>
        </details>
      ) : null}
    </section>
  );
}
