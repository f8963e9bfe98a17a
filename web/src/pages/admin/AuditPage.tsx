// Administration: the audit log, filtered by actor, action and subject, paged, and its hash chain
// verified (a broken row is named and can be shown).
import { type FormEvent, useState } from 'react';
import { type AuditCheck, type AuditEntry, api, errorMessage } from '../../api/index.ts';
import { Empty, ErrorBanner, Loading } from '../../components/Feedback.tsx';
import { formatTime } from '../../format.ts';
import { replaceQuery, useLocation } from '../../router.tsx';
import { useAsync } from '../../use-async.ts';
import { AdminFrame, Panel } from './AdminFrame.tsx';

const AUDIT_PAGE = 50;

export function AuditPage() {
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
    <AdminFrame page="audit">
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
              Chain broken at row #{check.brokenSeq} ({check.kind}): {check.problem}.{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => write({ before: check.brokenSeq + 1 })}
              >
                Show it
              </button>
            </div>
          )
        ) : null}
        {check && !('error' in check) && check.warnings.length > 0 ? (
          <ul className="chain-warnings">
            {check.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
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
                <td className="nowrap">{formatTime(Date.parse(row.at))}</td>
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
    </AdminFrame>
  );
}
