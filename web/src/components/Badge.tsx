// Small coloured labels for decisions, statuses, case types and action states.
import { humanize } from '../format.ts';

export function Badge({ tone, children, title }: { tone: string; children: string; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

const DECISION_TONES: Record<string, string> = {
  approve: 'green',
  allow: 'green',
  return_first: 'amber',
  review: 'orange',
  deny: 'red',
  block: 'red',
};

export function DecisionBadge({ decision }: { decision: string }) {
  return <Badge tone={DECISION_TONES[decision] ?? 'grey'}>{humanize(decision)}</Badge>;
}

const STATUS_TONES: Record<string, string> = {
  open: 'blue',
  investigating: 'violet',
  actioned: 'red',
  dismissed: 'grey',
  closed: 'dark',
};

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS_TONES[status] ?? 'grey'}>{humanize(status)}</Badge>;
}

export function TypeBadge({ type }: { type: string }) {
  return <Badge tone="outline">{humanize(type)}</Badge>;
}

const ACTION_TONES: Record<string, string> = {
  proposed: 'amber',
  approved: 'blue',
  executed: 'green',
  rejected: 'grey',
  failed: 'red',
};

export function ActionStatusBadge({ status }: { status: string }) {
  return <Badge tone={ACTION_TONES[status] ?? 'grey'}>{humanize(status)}</Badge>;
}
