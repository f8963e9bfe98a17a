// A ring case's own page body: its figures, the graph and the activity chart (drawn by a lazily
// loaded module: sigma and Chart.js are large, the tables do not wait for them), its reasons,
// refunders' fingerprints and agents, the members' refunds with their decisions, and actions on
// all members at once (warn all; close all, which waits for a supervisor's approval).
import { lazy, Suspense, useState } from 'react';
import { type ActionBatch, api, type CaseDetail, errorMessage, type RingPageData } from '../../api/index.ts';
import { formatMoney, formatTime, formatUsd, humanize } from '../../format.ts';
import { canApprove, canWork, useSession } from '../../session.ts';
import { DecisionBadge } from '../Badge.tsx';
import { ErrorBanner, Loading } from '../Feedback.tsx';
import { KIND_COLOURS, kindLabel, type NodeView } from './ring-kinds.ts';

const RingGraphCanvas = lazy(() =>
  import('./RingCharts.tsx').then((module) => ({ default: module.RingGraphCanvas })),
);
const ActivityChart = lazy(() =>
  import('./RingCharts.tsx').then((module) => ({ default: module.ActivityChart })),
);

function BulkActions({
  caseId,
  batches,
  open,
  onChanged,
}: {
  caseId: string;
  batches: ActionBatch[];
  open: boolean;
  onChanged: () => void;
}) {
  const { user } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    work()
      .then(onChanged)
      .catch((failure: unknown) => setError(errorMessage(failure)))
      .finally(() => setBusy(false));
  };
  return (
    <section className="panel" aria-label="Actions on all members">
      <div className="panel-head">
        <h2>Actions on all members</h2>
      </div>
      {canWork(user) && open ? (
        <div className="action-buttons">
          <button
            type="button"
            disabled={busy}
            onClick={() => run(() => api.bulkAction(caseId, 'warn_customer'))}
          >
            Warn all clients
          </button>
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => run(() => api.bulkAction(caseId, 'close_account'))}
          >
            Propose closing all accounts
          </button>
        </div>
      ) : null}
      <p className="muted">
        Closing accounts bans the identities; a supervisor other than the proposer approves it.
      </p>
      <ErrorBanner message={error} />
      {batches.map((batch) => {
        const first = batch.actions[0];
        const pending = batch.counts.proposed ?? 0;
        const own = first?.proposedBy.id === user.id;
        return (
          <div key={batch.batchId} className="batch" data-batch-type={batch.type}>
            <div>
              <strong>{humanize(batch.type)}</strong> · {batch.actions.length} members ·{' '}
              {Object.entries(batch.counts)
                .map(([status, count]) => `${count} ${status}`)
                .join(', ')}
            </div>
            {first ? (
              <div className="muted">
                Proposed by {first.proposedBy.name} at {formatTime(first.proposedAt)}
                {first.decidedBy ? ` · decided by ${first.decidedBy.name}` : ''}
              </div>
            ) : null}
            {pending > 0 ? (
              canApprove(user) && !own ? (
                <div className="decide">
                  <button
                    type="button"
                    className="primary"
                    disabled={busy}
                    onClick={() => run(() => api.decideBatch(batch.batchId, true))}
                  >
                    Approve all
                  </button>
                  <button
                    type="button"
                    className="danger"
                    disabled={busy}
                    onClick={() => run(() => api.decideBatch(batch.batchId, false))}
                  >
                    Reject all
                  </button>
                </div>
              ) : (
                <div className="four-eyes waiting">
                  Awaiting approval by a supervisor other than {own ? 'you' : first?.proposedBy.name}.
                </div>
              )
            ) : null}
          </div>
        );
      })}
    </section>
  );
}

/** The ring page's data, loaded by the case page while this component's code loads. */
export interface RingData {
  data: RingPageData | undefined;
  error: string | undefined;
  reload: () => void;
}

export function RingView({
  detail,
  ring,
  onChanged,
}: {
  detail: CaseDetail;
  ring: RingData;
  onChanged: () => void;
}) {
  const [selected, setSelected] = useState<NodeView>();
  if (!ring.data)
    return ring.error ? (
      <ErrorBanner message={ring.error} onRetry={ring.reload} />
    ) : (
      <Loading label="Loading the ring…" />
    );
  const { data } = ring;
  const kinds = [...new Set(data.graph.nodes.map((node) => String(node.attributes?.kind ?? 'account')))];
  const open = !['closed', 'dismissed'].includes(detail.status);
  const changed = () => {
    ring.reload();
    onChanged();
  };
  return (
    <div className="ring-view">
      <div className="kpis">
        <div className="kpi">
          <span className="kpi-label">Ring value</span>
          <span className="kpi-value">{formatUsd(data.ring.valueUsd)}</span>
          <span className="kpi-sub">{data.ring.refundIds.length} refunds</span>
        </div>
        <div className="kpi">
          <span className="kpi-label">Members</span>
          <span className="kpi-value">{data.ring.accountIds.length}</span>
          <span className="kpi-sub">{data.ring.associatedAccountIds.length} associated</span>
        </div>
        <div className="kpi">
          <span className="kpi-label">Active</span>
          <span className="kpi-value kpi-small">{formatTime(data.ring.firstAt).slice(0, 10)}</span>
          <span className="kpi-sub">to {formatTime(data.ring.lastAt).slice(0, 10)}</span>
        </div>
        <div className="kpi">
          <span className="kpi-label">Score</span>
          <span className="kpi-value">{data.ring.score.toFixed(2)}</span>
          <span className="kpi-sub">{data.live ? 'as detected now' : 'as last detected'}</span>
        </div>
      </div>
      <div className="case-columns">
        <div className="case-main">
          <section className="panel">
            <div className="panel-head">
              <h2>Ring graph</h2>
              <span className="graph-legend">
                {kinds.map((kind) => (
                  <span key={kind} className="legend-item">
                    <span className="legend-dot" style={{ background: KIND_COLOURS[kind] ?? '#999' }} />
                    {kindLabel(kind)}
                  </span>
                ))}
              </span>
            </div>
            <div className="ring-graph-wrap">
              <Suspense fallback={<div className="ring-graph" />}>
                <RingGraphCanvas data={data.graph} onSelect={setSelected} />
              </Suspense>
              <div className="node-card" aria-live="polite">
                {selected ? (
                  <>
                    <div className="strong">{selected.label}</div>
                    <div className="muted">
                      {kindLabel(selected.kind)}
                      {selected.role ? ` · ${selected.role}` : ''}
                    </div>
                    {selected.refunds !== undefined ? (
                      <div>
                        {selected.refunds} refunds
                        {selected.valueUsd !== undefined ? `, ${formatUsd(selected.valueUsd)}` : ''}
                      </div>
                    ) : null}
                    <div>{selected.degree} links</div>
                    <div className="muted small">{selected.neighbours.slice(0, 12).join(', ')}</div>
                  </>
                ) : (
                  <span className="muted">Click a node to see it.</span>
                )}
              </div>
            </div>
          </section>
          <section className="panel">
            <div className="panel-head">
              <h2>Activity</h2>
            </div>
            {data.activity.length > 0 ? (
              <Suspense fallback={<div className="chart-box" />}>
                <ActivityChart activity={data.activity} />
              </Suspense>
            ) : (
              <span className="muted">No activity.</span>
            )}
          </section>
          <section className="panel table-panel">
            <div className="panel-head">
              <h2>Members' refunds</h2>
            </div>
            <table className="grid compact" aria-label="Members' refunds">
              <thead>
                <tr>
                  <th>Account</th>
                  <th>Refund</th>
                  <th>Requested</th>
                  <th className="num">Amount</th>
                  <th>Reason</th>
                  <th>Decision</th>
                  <th>Outcome</th>
                </tr>
              </thead>
              <tbody>
                {data.members.flatMap((member) =>
                  (member.refunds.length > 0 ? member.refunds : [undefined]).map((refund, index) => (
                    <tr
                      key={`${member.accountId}-${refund?.refundId ?? 'none'}`}
                      data-account={member.accountId}
                    >
                      {index === 0 ? (
                        <td rowSpan={Math.max(1, member.refunds.length)}>
                          <code>{member.accountId}</code>
                          {member.role === 'associate' ? <span className="muted"> (associated)</span> : null}
                          {member.closed ? (
                            <span className="badge badge-dark member-closed">closed</span>
                          ) : null}
                        </td>
                      ) : null}
                      <td>{refund ? <code>{refund.refundId}</code> : '—'}</td>
                      <td className="nowrap">{refund ? formatTime(refund.at) : ''}</td>
                      <td className="num">
                        {refund ? formatMoney(refund.amountMinor, refund.currency) : ''}
                      </td>
                      <td>{refund ? humanize(refund.reason) : ''}</td>
                      <td>{refund?.decision ? <DecisionBadge decision={refund.decision} /> : '—'}</td>
                      <td>{refund?.outcome ?? '—'}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </section>
        </div>
        <aside className="case-side">
          <BulkActions caseId={detail.id} batches={data.batches} open={open} onChanged={changed} />
          <section className="panel">
            <div className="panel-head">
              <h2>Why a ring</h2>
            </div>
            <ul className="reasons">
              {data.ring.reasons.map((reason) => (
                <li key={reason.code}>
                  <span className="reason-code">{reason.code}</span> {reason.text}
                </li>
              ))}
            </ul>
          </section>
          <section className="panel">
            <div className="panel-head">
              <h2>Refunders' fingerprints</h2>
            </div>
            {(['origins', 'ranges', 'scripts', 'returns'] as const).map((kind) =>
              data.ring.fingerprints[kind].length > 0 ? (
                <div key={kind} className="fingerprints">
                  <div className="muted">{kindLabel(kind)}</div>
                  {data.ring.fingerprints[kind].slice(0, 20).map((value) => (
                    <code key={value}>{value}</code>
                  ))}
                </div>
              ) : null,
            )}
            <div className="fingerprints">
              <div className="muted">Agents</div>
              {data.ring.agentIds.length > 0 ? (
                data.ring.agentIds.map((agent) => <code key={agent}>{agent}</code>)
              ) : (
                <span>—</span>
              )}
            </div>
          </section>
        </aside>
      </div>
    </div>
  );
}
