// The policy simulation's charts (Chart.js, loaded only with the Decisions page): per candidate
// threshold, the share of refunds sent to people, the fraud value stopped and the honest customers
// bothered, with the policy in force (and a proposed one) marked where it worked on average; and a
// policy's reviewed and denied refunds per day against its review capacity.
import '../chart-setup.ts';
import { BarController, Chart as ChartJS, LineController, type TooltipItem } from 'chart.js';
import { Chart, Line } from 'react-chartjs-2';
import type { PolicyRun, PolicySimulation } from '../../api/index.ts';
import { formatDay } from '../../format.ts';
import { effectiveThreshold, rowTradeOff, runTradeOff, type TradeOff } from './figures.ts';

// The mixed per-day chart names its controllers itself: the typed components register only their own.
// Lines get a stack of their own each, or the stacked axis would pile them on one another.
ChartJS.register(BarController, LineController);

const SERIES = [
  { key: 'flaggedShare', label: 'Sent to people (review or deny)', colour: '#e07b39' },
  { key: 'fraudStoppedShare', label: 'Fraud value stopped (of labelled)', colour: '#2f6fb5' },
  { key: 'honestBotheredShare', label: 'Honest customers bothered (of labelled)', colour: '#8e5bb5' },
] as const satisfies readonly { key: keyof TradeOff; label: string; colour: string }[];

const toPercent = (share: number | undefined) => (share === undefined ? null : 100 * share);

/** A policy's three figures at its average review threshold, as one dataset of marked points. */
function policyPoints(run: PolicyRun, label: string, pointStyle: 'rectRot' | 'triangle') {
  const at = effectiveThreshold(run);
  const figures = runTradeOff(run);
  return {
    label,
    data: SERIES.map((series) => ({ x: at ?? Number.NaN, y: toPercent(figures[series.key]) ?? Number.NaN })),
    showLine: false,
    pointStyle,
    pointRadius: 8,
    pointHoverRadius: 10,
    pointBackgroundColor: SERIES.map((series) => series.colour),
    pointBorderColor: '#1f2d3d',
    pointBorderWidth: 2,
    borderColor: '#1f2d3d',
    backgroundColor: '#1f2d3d',
  };
}

export function ThresholdChart({ simulation }: { simulation: PolicySimulation }) {
  const lines = SERIES.map((series) => ({
    label: series.label,
    data: simulation.thresholds.map((row) => ({
      x: row.threshold,
      y: toPercent(rowTradeOff(row)[series.key]) ?? Number.NaN,
    })),
    borderColor: series.colour,
    backgroundColor: series.colour,
    pointRadius: 3,
    tension: 0.15,
    spanGaps: false,
  }));
  const marks = [policyPoints(simulation.current, 'Policy in force', 'rectRot')];
  if (simulation.proposed) marks.push(policyPoints(simulation.proposed, 'Proposed policy', 'triangle'));
  const label = (item: TooltipItem<'line'>) => {
    const value = `${item.parsed.y?.toFixed(1)} %`;
    if (item.datasetIndex < SERIES.length) return `${item.dataset.label}: ${value}`;
    return `${item.dataset.label} · ${SERIES[item.dataIndex]?.label ?? ''}: ${value}`;
  };
  return (
    <div className="chart-box" data-testid="threshold-chart">
      <Line
        data={{ datasets: [...lines, ...marks] }}
        options={{
          maintainAspectRatio: false,
          animation: false,
          interaction: { mode: 'nearest', intersect: false },
          scales: {
            x: {
              type: 'linear',
              min: 0,
              max: 1,
              title: { display: true, text: 'Threshold (probability of fraud)' },
              ticks: { stepSize: 0.1 },
            },
            y: { min: 0, max: 100, ticks: { callback: (value) => `${value} %` } },
          },
          plugins: {
            legend: { position: 'bottom', labels: { usePointStyle: true, boxHeight: 8 } },
            tooltip: {
              callbacks: {
                title: (items) => `Threshold ${Number(items[0]?.parsed.x ?? 0).toFixed(2)}`,
                label,
              },
            },
          },
        }}
      />
    </div>
  );
}

export function DailyChart({ run, compare }: { run: PolicyRun; compare: PolicyRun | undefined }) {
  const labels = run.days.map((day) => formatDay(day.day).slice(5));
  const reviewedInForce = new Map(compare?.days.map((day) => [day.day, day.reviewed]) ?? []);
  return (
    <div className="chart-box" data-testid="daily-chart">
      <Chart
        type="bar"
        data={{
          labels,
          datasets: [
            {
              type: 'bar' as const,
              label: 'Reviewed',
              data: run.days.map((day) => day.reviewed),
              backgroundColor: '#e07b39',
              stack: 'people',
            },
            {
              type: 'bar' as const,
              label: 'Denied',
              data: run.days.map((day) => day.denied),
              backgroundColor: '#c8443c',
              stack: 'people',
            },
            {
              type: 'line' as const,
              label: 'Review capacity',
              data: run.days.map((day) => day.capacity),
              borderColor: '#1f2d3d',
              backgroundColor: '#1f2d3d',
              borderDash: [5, 3],
              stepped: 'middle' as const,
              pointRadius: 0,
              stack: 'capacity',
            },
            ...(compare
              ? [
                  {
                    type: 'line' as const,
                    label: 'Reviewed under the policy in force',
                    data: run.days.map((day) => reviewedInForce.get(day.day) ?? 0),
                    borderColor: '#8a96a3',
                    backgroundColor: '#8a96a3',
                    pointRadius: 0,
                    tension: 0.2,
                    stack: 'in-force',
                  },
                ]
              : []),
          ],
        }}
        options={{
          maintainAspectRatio: false,
          animation: false,
          interaction: { mode: 'index', intersect: false },
          scales: {
            x: { stacked: true, grid: { display: false } },
            y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
          },
          plugins: { legend: { position: 'bottom' } },
        }}
      />
    </div>
  );
}
