// A candidate in shadow: it decides every refund beside the live decider and changes nothing a
// customer sees. Its agreement with the live decisions (a live × candidate matrix), what each one
// flags among refunds whose outcome is known, and the latest refunds they decide differently.
// Admins start one (a stored model) and stop it.
import { useState } from 'react';
import { api, DECISIONS, type DecisionModel, errorMessage, type ShadowReport } from '../../api/index.ts';
import { formatCount, formatTime, formatUsd, humanize } from '../../format.ts';
import { Link } from '../../router.tsx';
import { DecisionBadge } from '../Badge.tsx';
import { Empty, ErrorBanner, Loading } from '../Feedback.tsx';
import { percent } from './figures.ts';

/** The decisions in the matrix: the four known ones first, then any other the server names. */
function decisionsOf(report: ShadowReport): string[] {
  const seen = new Set<string>(DECISIONS);
  for (const [live, row] of Object.entries(report.agreement)) {
    seen.add(live);
    for (const decided of Object.keys(row)) seen.add(decided);
  }
  return [...seen];
}

function agreed(report: ShadowReport): number {
  let same = 0;
  for (const [live, row] of Object.entries(report.agreement)) same += row[live] ?? 0;
  return same;
}

function AgreementMatrix({ report }: { report: ShadowReport }) {
  const decisions = decisionsOf(report);
  return (
    <table className="grid compact agreement" aria-label="Live against candidate">
      <thead>
        <tr>
          <th>Live ↓ · candidate →</th>
          {decisions.map((decision) => (
            <th key={decision} className="num">
              {humanize(decision)}
            </th>
          ))}
          <th className="num">Total</th>
        </tr>
      </thead>
      <tbody>
        {decisions.map((live) => {
          const row = report.agreement[live] ?? {};
          const total = Object.values(row).reduce((sum, count) => sum + count, 0);
          return (
            <tr key={live} data-live={live}>
              <th scope="row">{humanize(live)}</th>
              {decisions.map((decided) => (
                <td key={decided} className={decided === live ? 'num same' : 'num'}>
                  {row[decided] ? formatCount(row[decided]) : '·'}
                </td>
              ))}
              <td className="num strong">{formatCount(total)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Report({ report }: { report: ShadowReport }) {
  const same = agreed(report);
  const { labelled } = report;
  return (
    <>
      <div className="kpis">
        <div className="kpi">
          <span className="kpi-label">Refunds decided by both</span>
          <span className="kpi-value" data-testid="shadow-decisions">
            {formatCount(report.decisions)}
          </span>
        </div>
        <div className="kpi">
          <span className="kpi-label">Agreement</span>
          <span className="kpi-value">{percent(same, report.decisions)}</span>
          <span className="kpi-sub">{formatCount(report.decisions - same)} decided differently</span>
        </div>
        <div className="kpi">
          <span className="kpi-label">Flagged by the candidate only</span>
          <span className="kpi-value">{formatCount(report.onlyCandidateFlags)}</span>
          <span className="kpi-sub">review or deny, where live did not</span>
        </div>
        <div className="kpi">
          <span className="kpi-label">Flagged by live only</span>
          <span className="kpi-value">{formatCount(report.onlyLiveFlags)}</span>
        </div>
      </div>
      {report.decisions === 0 ? (
        <Empty>No refund decided since the candidate started.</Empty>
      ) : (
        <div className="shadow-tables">
          <AgreementMatrix report={report} />
          <table className="grid compact" aria-label="Labelled outcomes">
            <thead>
              <tr>
                <th>Among {formatCount(labelled.refunds)} refunds with a known outcome</th>
                <th className="num">Fraud flagged</th>
                <th className="num">Honest flagged</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Live</th>
                <td className="num">{formatCount(labelled.live.fraud)}</td>
                <td className="num">{formatCount(labelled.live.honest)}</td>
              </tr>
              <tr>
                <th scope="row">Candidate</th>
                <td className="num">{formatCount(labelled.candidate.fraud)}</td>
                <td className="num">{formatCount(labelled.candidate.honest)}</td>
              </tr>
            </tbody>
          </table>
        </div>
      )}
      {report.differences.length > 0 ? (
        <>
          <h3>Latest refunds decided differently</h3>
          <div className="table-scroll">
            <table className="grid compact" aria-label="Differences">
              <thead>
                <tr>
                  <th>Refund</th>
                  <th>Decided</th>
                  <th className="num">Amount</th>
                  <th>Live</th>
                  <th>Candidate</th>
                  <th>Candidate's reasons</th>
                </tr>
              </thead>
              <tbody>
                {report.differences.map((record) => (
                  <tr key={`${record.subjectId}-${record.at}`}>
                    <td>
                      <Link to={`/refunds?q=${encodeURIComponent(record.subjectId)}`}>
                        <code>{record.subjectId}</code>
                      </Link>
                    </td>
                    <td className="nowrap">{formatTime(Date.parse(record.at))}</td>
                    <td className="num">
                      {record.amountUsdMinor !== null ? formatUsd(record.amountUsdMinor / 100) : '—'}
                    </td>
                    <td className="nowrap">
                      <DecisionBadge decision={record.liveDecision} /> {record.liveScore.toFixed(2)}
                    </td>
                    <td className="nowrap">
                      <DecisionBadge decision={record.decision} /> {record.score.toFixed(2)}
                    </td>
                    <td className="reasons-cell">
                      {record.reasons.map((reason) => reason.text).join('; ') || '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}

export function ShadowPanel(props: {
  report: ShadowReport | undefined;
  error: string | undefined;
  loading: boolean;
  onReload: () => void;
  models: DecisionModel[] | undefined;
  canManage: boolean;
}) {
  const { report } = props;
  const [chosen, setChosen] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const models = props.models ?? [];
  const version = chosen || models[0]?.version || '';
  const run = (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    work()
      .then(props.onReload)
      .catch((failure: unknown) => setError(errorMessage(failure)))
      .finally(() => setBusy(false));
  };
  return (
    <section className="panel" aria-label="Shadow">
      <div className="panel-head">
        <h2>Shadow</h2>
        <span className="muted">
          a candidate decides beside the live decider; customers see only the live decisions
        </span>
        <span className="grow" />
        <button type="button" className="link-button" onClick={props.onReload} disabled={props.loading}>
          Refresh
        </button>
      </div>
      {report ? (
        <p className="shadow-status" data-testid="shadow-status">
          {report.candidate ? (
            <>
              Running: <code>{report.candidate}</code>
              {report.since !== null ? ` since ${formatTime(Date.parse(report.since))}` : ''}
            </>
          ) : (
            'No candidate in shadow.'
          )}
        </p>
      ) : null}
      {props.canManage && report ? (
        report.candidate ? (
          <div className="admin-form">
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => run(() => api.decisions.stopShadow())}
            >
              Stop shadow
            </button>
          </div>
        ) : models.length > 0 ? (
          <div className="admin-form">
            <label className="field">
              Model to try
              <select value={version} onChange={(event) => setChosen(event.target.value)}>
                {models.map((model) => (
                  <option key={model.version} value={model.version}>
                    {model.version} ({model.status})
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="primary"
              disabled={busy || version === ''}
              onClick={() => run(() => api.decisions.startShadow(version))}
            >
              Start shadow
            </button>
          </div>
        ) : (
          <p className="muted">Train a model to try one in shadow.</p>
        )
      ) : null}
      <ErrorBanner message={error} />
      <ErrorBanner message={props.error} onRetry={props.onReload} />
      {report?.error ? <ErrorBanner message={`Storing shadow decisions failed: ${report.error}`} /> : null}
      {!report ? (
        props.error ? null : (
          <Loading label="Loading the shadow report…" />
        )
      ) : report.candidate ? (
        <Report report={report} />
      ) : null}
    </section>
  );
}
