// The work queue: cases by money at risk, filtered on the server and paged 50 at a time. The filters
// live in the address so a refresh or a shared link shows the same queue.
import { useEffect, useState } from 'react';
import { api, CASE_STATUSES, CASE_TYPES, type CaseSummary } from '../api/index.ts';
import { StatusBadge, TypeBadge } from '../components/Badge.tsx';
import { Chips } from '../components/Chips.tsx';
import { Empty, ErrorBanner } from '../components/Feedback.tsx';
import { Pager } from '../components/Pager.tsx';
import { formatAge, formatCount, formatUsd, humanize } from '../format.ts';
import { Link, navigate, replaceQuery, useLocation } from '../router.tsx';
import { useAsync } from '../use-async.ts';

const PAGE_SIZE = 50;
const DEFAULT_STATUS = ['open', 'investigating'];
const AGES = [
  { value: '', label: 'Any age' },
  { value: '1', label: 'Last 24 h' },
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
];

interface QueueFilters {
  status: string[];
  type: string[];
  marketplace: string;
  minUsd: string;
  maxAgeDays: string;
  assignee: string;
  offset: number;
}

function list(value: string | null, fallback: string[]): string[] {
  if (value === null) return fallback;
  return value === '' ? [] : value.split(',');
}

function readFilters(search: URLSearchParams): QueueFilters {
  return {
    status: list(search.get('status'), DEFAULT_STATUS),
    type: list(search.get('type'), []),
    marketplace: search.get('marketplace') ?? '',
    minUsd: search.get('minUsd') ?? '',
    maxAgeDays: search.get('maxAgeDays') ?? '',
    assignee: search.get('assignee') ?? '',
    offset: Number(search.get('offset') ?? 0) || 0,
  };
}

function writeFilters(filters: QueueFilters): void {
  replaceQuery({
    status: filters.status.join(','),
    type: filters.type.join(',') || undefined,
    marketplace: filters.marketplace || undefined,
    minUsd: filters.minUsd || undefined,
    maxAgeDays: filters.maxAgeDays || undefined,
    assignee: filters.assignee || undefined,
    offset: filters.offset ? String(filters.offset) : undefined,
  });
}

/** A text filter applied a moment after the last keystroke. */
function DebouncedInput(props: {
  label: string;
  value: string;
  onCommit: (value: string) => void;
  type?: string;
  placeholder?: string;
}) {
  const { value, onCommit } = props;
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  useEffect(() => {
    if (draft === value) return;
    const timer = window.setTimeout(() => onCommit(draft), 350);
    return () => window.clearTimeout(timer);
  }, [draft, value, onCommit]);
  return (
    <label className="field">
      {props.label}
      <input
        type={props.type ?? 'text'}
        value={draft}
        placeholder={props.placeholder}
        onChange={(event) => setDraft(event.target.value)}
      />
    </label>
  );
}

function CaseRow({ item }: { item: CaseSummary }) {
  const href = `/cases/${encodeURIComponent(item.id)}`;
  return (
    <tr className="clickable" onClick={() => navigate(href)}>
      <td className="num strong">{formatUsd(item.priorityUsd)}</td>
      <td>
        <Link to={href} className="case-title">
          {item.title}
        </Link>
        {item.title.includes(item.subjectId) ? null : (
          <div className="sub">
            {humanize(item.subjectType)} {item.subjectId}
          </div>
        )}
      </td>
      <td>
        <TypeBadge type={item.type} />
      </td>
      <td>
        <StatusBadge status={item.status} />
      </td>
      <td className="reasons-cell">
        {item.topReasons.slice(0, 2).map((reason) => (
          <span key={reason} className="reason-code">
            {reason}
          </span>
        ))}
        {item.topReasons.length > 2 ? (
          <span className="muted" title={item.topReasons.slice(2).join(', ')}>
            +{item.topReasons.length - 2}
          </span>
        ) : null}
      </td>
      <td className="num">{item.refundCount}</td>
      <td>{item.marketplace ?? '—'}</td>
      <td>{item.assignee?.name ?? <span className="muted">—</span>}</td>
      <td className="num" title={item.openedAt}>
        {formatAge(item.openedAt)}
      </td>
    </tr>
  );
}

export function QueuePage() {
  const { search } = useLocation();
  const filters = readFilters(search);
  const key = search.toString();
  const { data, error, loading, reload } = useAsync(
    (signal) =>
      api.cases(
        {
          status: filters.status,
          type: filters.type,
          marketplace: filters.marketplace || undefined,
          minUsd: filters.minUsd ? Number(filters.minUsd) : undefined,
          maxAgeDays: filters.maxAgeDays ? Number(filters.maxAgeDays) : undefined,
          assignee: filters.assignee || undefined,
          limit: PAGE_SIZE,
          offset: filters.offset,
        },
        signal,
      ),
    [key],
  );

  const update = (change: Partial<QueueFilters>) => writeFilters({ ...filters, offset: 0, ...change });

  return (
    <div className="queue-page">
      <div className="page-head">
        <h1>Work queue</h1>
        <span className="muted">
          {data ? `${formatCount(data.total)} cases` : ''} · sorted by money at risk
          {loading && data ? ' · refreshing…' : ''}
        </span>
      </div>
      <section className="filters panel">
        <Chips
          label="Status"
          options={CASE_STATUSES}
          selected={filters.status}
          counts={data?.counts.status}
          onChange={(status) => update({ status })}
        />
        <Chips
          label="Type"
          options={CASE_TYPES}
          selected={filters.type}
          counts={data?.counts.type}
          onChange={(type) => update({ type })}
        />
        <div className="filter-fields">
          <DebouncedInput
            label="Marketplace"
            value={filters.marketplace}
            placeholder="e.g. US"
            onCommit={(marketplace) => update({ marketplace: marketplace.trim().toUpperCase() })}
          />
          <DebouncedInput
            label="Min. at risk (USD)"
            type="number"
            value={filters.minUsd}
            placeholder="0"
            onCommit={(minUsd) => update({ minUsd })}
          />
          <label className="field">
            Opened
            <select
              value={filters.maxAgeDays}
              onChange={(event) => update({ maxAgeDays: event.target.value })}
            >
              {AGES.map((age) => (
                <option key={age.value} value={age.value}>
                  {age.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Assignee
            <select value={filters.assignee} onChange={(event) => update({ assignee: event.target.value })}>
              <option value="">Anyone</option>
              <option value="me">Me</option>
              <option value="none">Unassigned</option>
            </select>
          </label>
        </div>
      </section>
      <ErrorBanner message={error} onRetry={reload} />
      <section className="panel table-panel">
        <table className="grid queue-table">
          <thead>
            <tr>
              <th className="num">At risk</th>
              <th>Case</th>
              <th>Type</th>
              <th>Status</th>
              <th>Top reasons</th>
              <th className="num">Refunds</th>
              <th>Mkt</th>
              <th>Assignee</th>
              <th className="num">Age</th>
            </tr>
          </thead>
          <tbody>
            {data?.items.map((item) => (
              <CaseRow key={item.id} item={item} />
            ))}
          </tbody>
        </table>
        {!data && loading ? <div className="loading">Loading cases…</div> : null}
        {data && data.items.length === 0 ? <Empty>No cases match these filters.</Empty> : null}
        {data ? (
          <Pager
            offset={filters.offset}
            limit={PAGE_SIZE}
            total={data.total}
            onChange={(offset) => writeFilters({ ...filters, offset })}
          />
        ) : null}
      </section>
    </div>
  );
}
