// The dashboard's charts (Chart.js, the console's biggest dependency), loaded only when the
// dashboard is opened.
import './chart-setup.ts';
import { Bar, Line } from 'react-chartjs-2';
import type { Dashboard } from '../api/index.ts';
import { formatUsd, humanize } from '../format.ts';

const DECISION_COLOURS = {
  approve: '#4c9f70',
  return_first: '#e0b040',
  review: '#e07b39',
  deny: '#c8443c',
} as const;

export function Charts({ data }: { data: Dashboard }) {
  const labels = data.perDay.map((day) => day.day.slice(5, 10));
  const decisions = (Object.keys(DECISION_COLOURS) as (keyof typeof DECISION_COLOURS)[]).map((decision) => ({
    label: humanize(decision),
    data: data.perDay.map((day) => day[decision]),
    backgroundColor: DECISION_COLOURS[decision],
    stack: 'decisions',
  }));
  let running = 0;
  const cumulative = data.perDay.map((day) => {
    running += day.stoppedUsd;
    return running;
  });
  const reasons = data.topReasons.slice(0, 12);
  const money = (value: string | number) => formatUsd(Number(value));
  return (
    <div className="charts">
      <section className="panel chart-panel wide">
        <h2>Refunds assessed per day, by decision</h2>
        <div className="chart-box">
          <Bar
            data={{ labels, datasets: decisions }}
            options={{
              maintainAspectRatio: false,
              animation: false,
              scales: {
                x: { stacked: true, grid: { display: false } },
                y: { stacked: true, beginAtZero: true },
              },
              plugins: { legend: { position: 'bottom' } },
            }}
          />
        </div>
      </section>
      <section className="panel chart-panel">
        <h2>Fraud value stopped</h2>
        <div className="chart-box">
          <Line
            data={{
              labels,
              datasets: [
                {
                  label: 'Per day',
                  data: data.perDay.map((day) => day.stoppedUsd),
                  borderColor: '#2f6fb5',
                  backgroundColor: 'rgba(47,111,181,0.15)',
                  fill: true,
                  pointRadius: 0,
                  tension: 0.2,
                  cubicInterpolationMode: 'monotone',
                  yAxisID: 'y',
                },
                {
                  label: 'Cumulative',
                  data: cumulative,
                  borderColor: '#1f2d3d',
                  borderDash: [4, 3],
                  pointRadius: 0,
                  yAxisID: 'y1',
                },
              ],
            }}
            options={{
              maintainAspectRatio: false,
              animation: false,
              interaction: { mode: 'index', intersect: false },
              scales: {
                x: { grid: { display: false } },
                y: { beginAtZero: true, ticks: { callback: money } },
                y1: {
                  beginAtZero: true,
                  position: 'right',
                  grid: { display: false },
                  ticks: { callback: money },
                },
              },
              plugins: { legend: { position: 'bottom' } },
            }}
          />
        </div>
      </section>
      <section className="panel chart-panel">
        <h2>Top reasons</h2>
        <div className="chart-box">
          <Bar
            data={{
              labels: reasons.map((reason) => reason.code),
              datasets: [
                {
                  label: 'Assessments',
                  data: reasons.map((reason) => reason.count),
                  backgroundColor: '#5b7fa6',
                },
              ],
            }}
            options={{
              indexAxis: 'y',
              maintainAspectRatio: false,
              animation: false,
              scales: { x: { beginAtZero: true }, y: { grid: { display: false } } },
              plugins: { legend: { display: false } },
            }}
          />
        </div>
      </section>
    </div>
  );
}
