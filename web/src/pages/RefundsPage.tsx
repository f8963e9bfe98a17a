// Refund search: by refund, order or account id, decision and dates; paged on the server.
import { type FormEvent, useEffect, useState } from 'react';
import { api, DECISIONS } from '../api/index.ts';
import { DecisionBadge } from '../components/Badge.tsx';
import { Chips } from '../components/Chips.tsx';
import { Empty, ErrorBanner } from '../components/Feedback.tsx';
import { Pager } from '../components/Pager.tsx';
import { formatMoney, formatTime, formatUsd } from '../format.ts';
import { Link, replaceQuery, useLocation } from '../router.tsx';
import { useAsync } from '../use-async.ts';

const PAGE_SIZE = 50;

export function RefundsPage() {
  const { search } = useLocation();
  const q = search.get('q') ?? '';
  const decision = (search.get('decision') ?? '').split(',').filter(Boolean);
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? '';
  const offset = Number(search.get('offset') ?? 0) || 0;
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);

  const { data, error, loading, reload } = useAsync(
    (signal) =>
      api.refunds(
        {
          q: q || undefined,
          decision,
          from: from ? `${from}T00:00:00Z` : undefined,
          to: to ? `${to}T23:59:59Z` : undefined,
          limit: PAGE_SIZE,
          offset,
        },
        signal,
      ),
    [search.toString()],
  );

  const write = (change: {
    q?: string;
    decision?: string[];
    from?: string;
    to?: string;
    offset?: number;
  }) => {
    const next = { q, decision, from, to, offset: 0, ...change };
    replaceQuery({
      q: next.q || undefined,
      decision: next.decision.join(',') || undefined,
      from: next.from || undefined,
      to: next.to || undefined,
      offset: next.offset ? String(next.offset) : undefined,
    });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    write({ q: draft.trim() });
  };

  return (
    <div>
      <div className="page-head">
        <h1>Refunds</h1>
        <span className="muted">{loading && data ? 'searching…' : ''}</span>
      </div>
      <section className="panel filters">
        <form className="search-row" onSubmit={submit} aria-label="Search refunds">
          <input
            className="grow"
            type="search"
            placeholder="Refund, order or account id"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
          />
          <label className="field">
            From
            <input type="date" value={from} onChange={(event) => write({ from: event.target.value })} />
          </label>
          <label className="field">
            To
            <input type="date" value={to} onChange={(event) => write({ to: event.target.value })} />
          </label>
          <button type="submit" className="primary">
            Search
          </button>
        </form>
        <Chips
          label="Decision"
          options={DECISIONS}
          selected={decision}
          onChange={(value) => write({ decision: value })}
        />
      </section>
      <ErrorBanner message={error} onRetry={reload} />
      <section className="panel table-panel">
        <table className="grid">
          <thead>
            <tr>
              <th>Requested</th>
              <th>Refund</th>
              <th>Order</th>
              <th>Account</th>
              <th className="num">Amount</th>
              <th>Decision</th>
              <th className="num">Score</th>
              <th>Reasons</th>
              <th>Case</th>
            </tr>
          </thead>
          <tbody>
            {data?.items.map((row) => (
              <tr key={row.refundId}>
                <td className="nowrap">{formatTime(row.at)}</td>
                <td>
                  <code>{row.refundId}</code>
                </td>
                <td>
                  <code>{row.orderId}</code>
                </td>
                <td>
                  <button type="button" className="link-button" onClick={() => write({ q: row.accountId })}>
                    {row.accountId}
                  </button>
                </td>
                <td
                  className="num"
                  title={
                    row.currency !== null && row.currency !== 'USD' && row.usd !== null
                      ? formatUsd(row.usd, true)
                      : undefined
                  }
                >
                  {row.amountMinor === null ? '—' : formatMoney(row.amountMinor, row.currency ?? 'USD')}
                </td>
                <td>
                  <DecisionBadge decision={row.decision} />
                </td>
                <td className="num">{row.score.toFixed(2)}</td>
                <td className="reasons-cell">
                  {row.reasons.slice(0, 3).map((reason) => (
                    <span key={reason.code} className="reason-code" title={reason.text}>
                      {reason.code}
                    </span>
                  ))}
                </td>
                <td>
                  {row.caseId ? <Link to={`/cases/${encodeURIComponent(row.caseId)}`}>Open</Link> : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!data && loading ? <div className="loading">Loading refunds…</div> : null}
        {data && data.items.length === 0 ? <Empty>No refunds match.</Empty> : null}
        {data ? (
          <Pager
            offset={offset}
            limit={PAGE_SIZE}
            total={data.total}
            onChange={(next) => write({ offset: next })}
          />
        ) : null}
      </section>
    </div>
  );
}
