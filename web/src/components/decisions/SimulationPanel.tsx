// What the policy would have done on history (POST /v1/decisions/policy/simulate): the policy in
// force and a proposed one side by side, the charts (loaded lazily: Chart.js is large, the tables
// do not wait for it) and the table of candidate thresholds.
import { lazy, Suspense } from 'react';
import type { PolicyRun, PolicySimulation, ThresholdRow } from '../../api/index.ts';
import { formatCount, formatDay, formatUsd } from '../../format.ts';
import { Badge } from '../Badge.tsx';
import { Empty, ErrorBanner, Loading } from '../Feedback.tsx';
import { decimal, effectiveThreshold, flaggedOf, nearestRow, percent, refundsOf } from './figures.ts';

const ThresholdChart = lazy(() =>
  import('./SimulationCharts.tsx').then((module) => ({ default: module.ThresholdChart })),
);
const DailyChart = lazy(() =>
  import('./SimulationCharts.tsx').then((module) => ({ default: module.DailyChart })),
);

function RunsTable({ current, proposed }: { current: PolicyRun; proposed: PolicyRun | undefined }) {
  const runs = proposed ? [current, proposed] : [current];
  const rows: { label: string; value: (run: PolicyRun) => string }[] = [
    { label: 'Approved', value: (run) => formatCount(run.decisions.approve) },
    { label: 'Return first', value: (run) => formatCount(run.decisions.return_first) },
    { label: 'Sent to review', value: (run) => formatCount(run.decisions.review) },
    { label: 'Denied', value: (run) => formatCount(run.decisions.deny) },
    { label: 'Sent to people (review or deny)', value: (run) => percent(flaggedOf(run), refundsOf(run)) },
    { label: 'Average review threshold', value: (run) => decimal(effectiveThreshold(run)) },
    {
      label: 'Fraud value stopped (labelled)',
      value: (run) =>
        `${formatUsd(run.fraudValueStoppedUsd)} · ${percent(run.fraudValueStoppedUsd, run.labelledFraudValueUsd)}`,
    },
    {
      label: 'Honest customers bothered (labelled)',
      value: (run) =>
        `${formatCount(run.honestBothered)} · ${percent(run.honestBothered, run.labelledHonest)}`,
    },
    { label: 'Honest refunds not approved (labelled)', value: (run) => formatCount(run.honestNotApproved) },
    { label: 'Expected fraud value stopped', value: (run) => formatUsd(run.expectedFraudValueUsd) },
    { label: 'Expected honest customers bothered', value: (run) => run.expectedHonestBothered.toFixed(1) },
  ];
  return (
    <table className="grid compact runs-table" aria-label="Policy runs">
      <thead>
        <tr>
          <th />
          <th className="num">Policy in force</th>
          {proposed ? <th className="num">Proposed</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.label}>
            <td>{row.label}</td>
            {runs.map((run, index) => (
              <td key={index === 0 ? 'current' : 'proposed'} className="num nowrap">
                {row.value(run)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ThresholdTable({
  rows,
  marked,
}: {
  rows: ThresholdRow[];
  marked: { current: number; proposed: number };
}) {
  return (
    <table className="grid compact" aria-label="Thresholds">
      <thead>
        <tr>
          <th>Policy</th>
          <th className="num">Threshold</th>
          <th className="num">Sent to people</th>
          <th className="num">Share</th>
          <th className="num">Per day</th>
          <th className="num">Fraud value stopped</th>
          <th className="num">Of labelled fraud value</th>
          <th className="num">Honest bothered</th>
          <th className="num">Of labelled honest</th>
          <th className="num">Expected fraud value</th>
          <th className="num">Expected honest bothered</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr
            key={row.threshold}
            data-threshold={row.threshold}
            className={index === marked.current || index === marked.proposed ? 'row-marked' : undefined}
          >
            <td className="nowrap">
              {index === marked.current ? (
                <Badge tone="dark" title="Nearest the average review threshold of the policy in force">
                  in force
                </Badge>
              ) : null}
              {index === marked.proposed ? (
                <Badge tone="violet" title="Nearest the average review threshold of the proposed policy">
                  proposed
                </Badge>
              ) : null}
            </td>
            <td className="num">{decimal(row.threshold, 2)}</td>
            <td className="num">{formatCount(row.flagged)}</td>
            <td className="num">{percent(row.flaggedShare)}</td>
            <td className="num">{row.flaggedPerDay.toFixed(1)}</td>
            <td className="num">{formatUsd(row.fraudValueStoppedUsd)}</td>
            <td className="num">{percent(row.fraudValueStoppedUsd, row.labelledFraudValueUsd)}</td>
            <td className="num">{formatCount(row.honestBothered)}</td>
            <td className="num">{percent(row.honestBothered, row.labelledHonest)}</td>
            <td className="num">{formatUsd(row.expectedFraudValueUsd)}</td>
            <td className="num">{row.expectedHonestBothered.toFixed(1)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SimulationPanel(props: {
  simulation: PolicySimulation | undefined;
  error: string | undefined;
  loading: boolean;
  onRetry: () => void;
  onClearProposal: (() => void) | undefined;
}) {
  const { simulation } = props;
  const proposed = simulation?.proposed;
  return (
    <section className="panel" aria-label="Policy simulation">
      <div className="panel-head">
        <h2>Policy simulation</h2>
        {simulation ? (
          <span className="muted" data-testid="simulation-summary">
            {formatCount(simulation.refunds)} refunds
            {simulation.from !== null && simulation.to !== null
              ? ` from ${formatDay(simulation.from)} to ${formatDay(simulation.to)}`
              : ''}
            , {formatCount(simulation.labelled)} with a known outcome
          </span>
        ) : null}
        <span className="grow" />
        {proposed ? <Badge tone="violet">Proposed policy beside the one in force</Badge> : null}
        {props.onClearProposal ? (
          <button type="button" className="link-button" onClick={props.onClearProposal}>
            Show the policy in force only
          </button>
        ) : null}
        {props.loading && simulation ? <span className="muted">refreshing…</span> : null}
      </div>
      <ErrorBanner message={props.error} onRetry={props.onRetry} />
      {!simulation ? (
        props.error ? null : (
          <Loading label="Running the policy on history…" />
        )
      ) : simulation.refunds === 0 ? (
        <Empty>No assessed refunds yet: there is no history to simulate on.</Empty>
      ) : (
        <>
          {simulation.labelled === 0 ? (
            <p className="muted">
              No refund in this period has a known outcome yet: fraud value stopped and honest customers
              bothered need labels, so only the share sent to people is drawn; the table shows the expected
              figures.
            </p>
          ) : null}
          <div className="charts">
            <section className="chart-panel">
              <h3>Per threshold: sent to people, fraud value stopped, honest customers bothered</h3>
              <Suspense fallback={<div className="chart-box" />}>
                <ThresholdChart simulation={simulation} />
              </Suspense>
            </section>
            <section className="chart-panel">
              <h3>
                {proposed ? 'Proposed policy' : 'Policy in force'}, per day: reviewed and denied against
                review capacity
              </h3>
              <Suspense fallback={<div className="chart-box" />}>
                <DailyChart
                  run={proposed ?? simulation.current}
                  compare={proposed ? simulation.current : undefined}
                />
              </Suspense>
            </section>
          </div>
          <div className="simulation-tables">
            <RunsTable current={simulation.current} proposed={proposed} />
            <div className="table-scroll">
              <ThresholdTable
                rows={simulation.thresholds}
                marked={{
                  current: nearestRow(simulation.thresholds, effectiveThreshold(simulation.current)),
                  proposed: proposed ? nearestRow(simulation.thresholds, effectiveThreshold(proposed)) : -1,
                }}
              />
            </div>
          </div>
        </>
      )}
    </section>
  );
}
