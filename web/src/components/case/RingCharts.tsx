// The ring page's drawings: the graph (sigma.js over graphology, laid out with ForceAtlas2,
// coloured by node kind; click a node to see it) and the activity over time (Chart.js). Loaded only
// when a ring case is opened (sigma and Chart.js are large), while its figures and tables show.
import '../chart-setup.ts';
import Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Chart } from 'react-chartjs-2';
import Sigma from 'sigma';
import type { RingPageData } from '../../api/index.ts';
import { KIND_COLOURS, type NodeView } from './ring-kinds.ts';

function drawGraph(
  graph: Graph,
  element: HTMLElement,
  onSelect: (node: NodeView | undefined) => void,
): Sigma {
  const renderer = new Sigma(graph, element, {
    // Sizes in screen pixels, whatever the layout's scale.
    settings: {
      renderLabels: true,
      labelRenderedSizeThreshold: 6,
      itemSizesReference: 'screen',
      zoomToSizeRatioFunction: () => 1,
    },
  });
  renderer.on('clickNode', ({ node }) => {
    const attributes = graph.getNodeAttributes(node);
    onSelect({
      key: node,
      kind: String(attributes.kind),
      label: String(attributes.label),
      ...(typeof attributes.role === 'string' ? { role: attributes.role } : {}),
      ...(typeof attributes.refunds === 'number' ? { refunds: attributes.refunds } : {}),
      ...(typeof attributes.valueUsd === 'number' ? { valueUsd: attributes.valueUsd } : {}),
      degree: graph.degree(node),
      neighbours: graph
        .neighbors(node)
        .map((neighbour) => String(graph.getNodeAttribute(neighbour, 'label'))),
    });
  });
  renderer.on('clickStage', () => onSelect(undefined));
  return renderer;
}

export function RingGraphCanvas({
  data,
  onSelect,
}: {
  data: RingPageData['graph'];
  onSelect: (node: NodeView | undefined) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const graph = useMemo(() => {
    const built = new Graph({ type: 'undirected', multi: false });
    const count = data.nodes.length || 1;
    data.nodes.forEach((node, index) => {
      const { attributes } = node;
      const kind = attributes?.kind ?? 'account';
      const member = attributes?.role === 'member';
      const angle = (2 * Math.PI * index) / count;
      built.mergeNode(node.key, {
        ...attributes,
        label: attributes?.label ?? node.key,
        kind,
        x: Math.cos(angle) * 10,
        y: Math.sin(angle) * 10,
        size: kind === 'account' ? (member ? 6 : 4) : 8,
        color: KIND_COLOURS[kind] ?? '#999',
      });
    });
    for (const edge of data.edges) {
      if (
        built.hasNode(edge.source) &&
        built.hasNode(edge.target) &&
        !built.hasEdge(edge.source, edge.target)
      )
        built.addEdge(edge.source, edge.target, { size: 1, color: '#c9d3dd' });
    }
    if (built.order > 1)
      forceAtlas2.assign(built, {
        iterations: 150,
        settings: { ...forceAtlas2.inferSettings(built), gravity: 1 },
      });
    return built;
  }, [data]);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let renderer: Sigma | undefined;
    let timer: number | undefined;
    // Once the page's data is painted (the next frame, then a task after it): starting WebGL
    // takes a while on machines without a GPU, and the figures and tables need not wait for it.
    const frame = window.requestAnimationFrame(() => {
      timer = window.setTimeout(() => {
        renderer = drawGraph(graph, element, onSelect);
      }, 0);
    });
    return () => {
      window.cancelAnimationFrame(frame);
      if (timer !== undefined) window.clearTimeout(timer);
      renderer?.kill();
    };
  }, [graph, onSelect]);

  return <div ref={container} className="ring-graph" data-testid="ring-graph" />;
}

export function ActivityChart({ activity }: { activity: RingPageData['activity'] }) {
  const labels = activity.map((day) => day.day.slice(5));
  // Drawn after the first paint, like the graph: the tables show first.
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const frame = window.requestAnimationFrame(() => setReady(true));
    return () => window.cancelAnimationFrame(frame);
  }, []);
  if (!ready) return <div className="chart-box" />;
  return (
    <div className="chart-box">
      <Chart
        type="bar"
        data={{
          labels,
          datasets: [
            {
              type: 'bar' as const,
              label: 'Refunds',
              data: activity.map((day) => day.refunds),
              backgroundColor: '#e07b39',
              yAxisID: 'count',
            },
            {
              type: 'bar' as const,
              label: 'Support contacts',
              data: activity.map((day) => day.contacts),
              backgroundColor: '#8e5bb5',
              yAxisID: 'count',
            },
            {
              type: 'line' as const,
              label: 'Refunded USD',
              data: activity.map((day) => day.refundUsd),
              borderColor: '#c8443c',
              backgroundColor: '#c8443c',
              yAxisID: 'usd',
            },
          ],
        }}
        options={{
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          scales: {
            count: { type: 'linear', position: 'left', beginAtZero: true, ticks: { precision: 0 } },
            usd: { type: 'linear', position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } },
          },
        }}
      />
    </div>
  );
}
