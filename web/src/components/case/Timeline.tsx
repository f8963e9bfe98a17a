// The account's story in time order: orders, deliveries, logins, contacts (with their transcripts),
// refunds with the decision and its reasons, returns and agent actions.
import { useState } from 'react';
import type { Assessment, Timeline as TimelineData, TimelineItem } from '../../api/index.ts';
import { formatCount, formatTime, humanize } from '../../format.ts';
import { DecisionBadge } from '../Badge.tsx';
import { Empty } from '../Feedback.tsx';
import { contactMessages, type TimelineKind, timelineKind } from './timeline-kinds.ts';

const KINDS: { kind: TimelineKind; label: string }[] = [
  { kind: 'order', label: 'Orders' },
  { kind: 'delivery', label: 'Deliveries' },
  { kind: 'login', label: 'Logins' },
  { kind: 'contact', label: 'Contacts' },
  { kind: 'refund', label: 'Refunds' },
  { kind: 'return', label: 'Returns' },
  { kind: 'agent', label: 'Agent actions' },
  { kind: 'other', label: 'Other' },
];
const PAGE = 150;
// Shown elsewhere (items, transcript, assessment) or already in the summary (amounts).
const HIDDEN_FIELDS = new Set(['messages', 'assessment', 'items', 'shipTo', 'address', 'amountMinor']);

function DataFields({ data, accountId }: { data: Record<string, unknown>; accountId: string | undefined }) {
  const fields = Object.entries(data).filter(
    ([key, value]) =>
      !HIDDEN_FIELDS.has(key) &&
      value !== null &&
      typeof value !== 'object' &&
      !(key === 'accountId' && value === accountId),
  );
  if (fields.length === 0) return null;
  return (
    <dl className="data-fields">
      {fields.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function OrderItems({ data }: { data: Record<string, unknown> }) {
  if (!Array.isArray(data.items)) return null;
  return (
    <ul className="order-items">
      {data.items.map((entry, index) => {
        const item = (entry ?? {}) as Record<string, unknown>;
        const price = typeof item.priceMinor === 'number' ? (item.priceMinor / 100).toFixed(2) : '';
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: order lines have no id of their own
          <li key={index}>
            {String(item.title ?? item.sku ?? 'item')} {item.quantity ? `×${String(item.quantity)}` : ''}{' '}
            <span className="muted">
              {price} {String(data.currency ?? '')}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function AssessmentBlock({ assessment }: { assessment: Assessment }) {
  return (
    <div className="assessment">
      <div className="assessment-head">
        <DecisionBadge decision={assessment.decision} />
        <span className="muted">score {assessment.score.toFixed(2)}</span>
      </div>
      {assessment.reasons.length > 0 ? (
        <ul className="reasons">
          {assessment.reasons.map((reason) => (
            <li key={reason.code}>
              <span className="reason-code">{reason.code}</span>{' '}
              {reason.text !== reason.code ? reason.text : ''}
            </li>
          ))}
        </ul>
      ) : (
        <div className="muted">No risk reasons.</div>
      )}
    </div>
  );
}

function Transcript({ item }: { item: TimelineItem }) {
  const [open, setOpen] = useState(false);
  const messages = contactMessages(item);
  if (messages.length === 0) return null;
  return (
    <div className="transcript-wrap">
      <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide transcript' : `Show transcript (${messages.length} messages)`}
      </button>
      {open ? (
        <ol className="transcript">
          {messages.map((message, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: messages are an ordered list without ids
            <li key={index} className={`message from-${message.from}`}>
              <span className="speaker">{humanize(message.from)}</span>
              <span className="text">{message.text}</span>
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}

function Entry({ item, accountId }: { item: TimelineItem; accountId: string | undefined }) {
  return (
    <li className={`tl-item tl-${timelineKind(item)}`} data-kind={timelineKind(item)}>
      <time className="tl-time">{formatTime(item.at)}</time>
      <span className="tl-dot" aria-hidden="true" />
      <div className="tl-body">
        <div className="tl-head">
          <span className="tl-type">{humanize(item.type)}</span>
          <span className="tl-summary">{item.summary}</span>
          {item.assessment ? <DecisionBadge decision={item.assessment.decision} /> : null}
        </div>
        <OrderItems data={item.data} />
        <DataFields data={item.data} accountId={accountId} />
        {item.assessment ? <AssessmentBlock assessment={item.assessment} /> : null}
        <Transcript item={item} />
      </div>
    </li>
  );
}

export function Timeline({ timeline }: { timeline: TimelineData }) {
  const [hidden, setHidden] = useState<TimelineKind[]>([]);
  const [shown, setShown] = useState(PAGE);
  const counts = new Map<TimelineKind, number>();
  // Oldest first; RFC 3339 times from the server sort as text.
  const items = [...timeline.items].sort((left, right) =>
    left.at < right.at ? -1 : left.at > right.at ? 1 : 0,
  );
  for (const item of items) counts.set(timelineKind(item), (counts.get(timelineKind(item)) ?? 0) + 1);
  const visible = items.filter((item) => !hidden.includes(timelineKind(item)));

  return (
    <section className="panel timeline-panel">
      <div className="panel-head">
        <h2>Timeline</h2>
        <div className="kind-toggles">
          {KINDS.filter(({ kind }) => counts.has(kind)).map(({ kind, label }) => (
            <label key={kind} className={`kind-toggle tl-${kind}`}>
              <input
                type="checkbox"
                checked={!hidden.includes(kind)}
                onChange={() =>
                  setHidden(hidden.includes(kind) ? hidden.filter((k) => k !== kind) : [...hidden, kind])
                }
              />
              {label} <span className="muted">{formatCount(counts.get(kind) ?? 0)}</span>
            </label>
          ))}
        </div>
      </div>
      {visible.length === 0 ? (
        <Empty>No events to show.</Empty>
      ) : (
        <ol className="timeline">
          {visible.slice(0, shown).map((item) => (
            <Entry
              key={`${item.type}:${item.id}:${item.at}`}
              item={item}
              accountId={timeline.account?.accountId}
            />
          ))}
        </ol>
      )}
      {visible.length > shown ? (
        <button type="button" className="link-button" onClick={() => setShown(shown + PAGE)}>
          Show {Math.min(PAGE, visible.length - shown)} more of {visible.length - shown}
        </button>
      ) : null}
    </section>
  );
}
