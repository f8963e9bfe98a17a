// Shared by the ring page and its (lazily loaded) drawings: node kinds' colours, a clicked node.

/** Colours by node kind (the link graph's kinds). */
export const KIND_COLOURS: Record<string, string> = {
  account: '#2f6fb5',
  device: '#c8443c',
  caller: '#e07b39',
  range: '#8e5bb5',
  ip: '#b39ddb',
  card: '#4c9f70',
  address: '#7a8b99',
  agent: '#d4a017',
  tracking: '#00897b',
  'tracking-prefix': '#26a69a',
  drop: '#6d4c41',
  script: '#ad1457',
};

/** What people call each kind; the rest read well as they are. */
const KIND_LABELS: Record<string, string> = {
  caller: 'Caller id',
  range: 'IP range',
  ip: 'IP address',
  'tracking-prefix': 'Tracking prefix',
  drop: 'Return drop',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1);
}

export interface NodeView {
  key: string;
  kind: string;
  label: string;
  role?: string;
  refunds?: number;
  valueUsd?: number;
  degree: number;
  neighbours: string[];
}
