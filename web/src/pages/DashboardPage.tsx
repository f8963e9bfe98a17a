// The numbers a lead watches: refunds assessed per day by decision, fraud value stopped, top reasons.
// The figures and the chart code load in parallel; the totals show as soon as the figures arrive.
import { useState } from 'react';
import { api, type Dashboard } from '../api/index.ts';
import { ErrorBanner, Loading } from '../components/Feedback.tsx';
import { formatCount, formatUsd } from '../format.ts';
import { useAsync } from '../use-async.ts';

const RANGES = [7, 30, 90];
const loadCharts = () => import('../components/DashboardCharts.tsx');

function Totals({ totals }: { totals: Dashboard['totals'] }) {
  const share = totals.assessed > 0 ? (100 * totals.flagged) / totals.assessed : 0;
  return (
    <div className="kpis">
      <div className="kpi">
        <span className="kpi-label">Refunds assessed</span>
        <span className="kpi-value">{formatCount(totals.assessed)}</span>
      </div>
      <div className="kpi">
        <span className="kpi-label">Flagged</span>
        <span className="kpi-value">{formatCount(totals.flagged)}</span>
        <span className="kpi-sub">{share.toFixed(1)} % of assessed</span>
      </div>
      <div className="kpi">
        <span className="kpi-label">Fraud value stopped</span>
        <span className="kpi-value">{formatUsd(totals.fraudValueStoppedUsd)}</span>
      </div>
      <div className="kpi">
        <span className="kpi-label">Open cases</span>
        <span className="kpi-value">{formatCount(totals.openCases)}</span>
      </div>
    </div>
  );
}

export function DashboardPage() {
  const [days, setDays] = useState(30);
  const { data, error, loading, reload } = useAsync((signal) => api.dashboard(days, signal), [days]);
  const charts = useAsync(loadCharts, []);
  const Charts = charts.data?.Charts;
  return (
    <div>
      <div className="page-head">
        <h1>Dashboard</h1>
        <fieldset className="segmented" aria-label="Period">
          {RANGES.map((range) => (
            <button
              type="button"
              key={range}
              className={range === days ? 'on' : ''}
              onClick={() => setDays(range)}
            >
              {range} days
            </button>
          ))}
        </fieldset>
        {loading && data ? <span className="muted">refreshing…</span> : null}
      </div>
      <ErrorBanner message={error} onRetry={reload} />
      {data ? (
        <>
          <Totals totals={data.totals} />
          {Charts ? <Charts data={data} /> : <Loading label="Loading charts…" />}
          <ErrorBanner message={charts.error} onRetry={charts.reload} />
        </>
      ) : error ? null : (
        <Loading label="Loading dashboard…" />
      )}
    </div>
  );
}
