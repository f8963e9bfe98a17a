// Why the case exists: the reasons behind its decisions and the evidence it links to.
import type { CaseDetail, Timeline } from '../../api/index.ts';
import { formatTime, humanize } from '../../format.ts';
import { DecisionBadge } from '../Badge.tsx';

export function ReasonsPanel({ detail, timeline }: { detail: CaseDetail; timeline: Timeline | undefined }) {
  const assessed = (timeline?.items ?? []).filter(
    (item) => item.assessment && item.assessment.decision !== 'approve',
  );
  return (
    <section className="panel reasons-panel">
      <h2>Why this case</h2>
      {detail.topReasons.length > 0 ? (
        <div className="top-reasons">
          {detail.topReasons.map((reason) => (
            <span key={reason} className="reason-code">
              {reason}
            </span>
          ))}
        </div>
      ) : null}
      {assessed.length > 0 ? (
        <ul className="decision-list">
          {assessed.slice(0, 8).map((item) => (
            <li key={`${item.type}:${item.id}`}>
              <div className="decision-line">
                {item.assessment ? <DecisionBadge decision={item.assessment.decision} /> : null}
                <span>{item.summary || item.id}</span>
                <span className="muted">{formatTime(item.at)}</span>
              </div>
              <ul className="reasons">
                {item.assessment?.reasons.map((reason) => (
                  <li key={reason.code}>{reason.text}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : null}
      {detail.evidence.length > 0 ? (
        <>
          <h3>Evidence</h3>
          <ul className="evidence-list">
            {detail.evidence.map((entry) => (
              <li key={`${entry.kind}:${entry.refId}`}>
                <span className="evidence-kind">{humanize(entry.kind)}</span> {entry.summary}{' '}
                <span className="muted">{formatTime(entry.at)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

export function LinkedAccounts({ timeline }: { timeline: Timeline | undefined }) {
  const linked = timeline?.linkedAccounts ?? [];
  return (
    <section className="panel">
      <h2>Linked accounts {linked.length > 0 ? <span className="muted">{linked.length}</span> : null}</h2>
      {linked.length === 0 ? (
        <div className="muted">No other account shares a device, card, address or contact detail.</div>
      ) : (
        <table className="grid compact">
          <tbody>
            {linked.map((account) => (
              <tr key={account.accountId}>
                <td>
                  <code>{account.accountId}</code>
                  {account.closed ? <span className="badge badge-dark">closed</span> : null}
                </td>
                <td className="muted">{account.via.map(humanize).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function HistoryPanel({ detail }: { detail: CaseDetail }) {
  if (detail.history.length === 0) return null;
  return (
    <section className="panel">
      <h2>History</h2>
      <ol className="history">
        {detail.history.map((step, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: history steps are append-only and ordered
          <li key={index}>
            <span className="muted">{formatTime(step.at)}</span> {step.by.name}:{' '}
            {humanize(step.from || 'new')} → <strong>{humanize(step.to)}</strong>
            {step.note ? <div className="sub">“{step.note}”</div> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
