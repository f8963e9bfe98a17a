// Who or what the case is about, what is at stake, its status and who works it.
import { useState } from 'react';
import { api, type CaseDetail, errorMessage, type TimelineAccount } from '../../api/index.ts';
import { formatAge, formatTime, formatUsd, humanize } from '../../format.ts';
import { canWork, useSession } from '../../session.ts';
import { Badge, StatusBadge, TypeBadge } from '../Badge.tsx';

export function CaseHeader(props: {
  detail: CaseDetail;
  account: TimelineAccount | undefined;
  onChanged: () => void;
  onError: (message: string) => void;
}) {
  const { detail, account, onChanged, onError } = props;
  const { user } = useSession();
  const [busy, setBusy] = useState(false);
  const mine = detail.assignee?.id === user.id;

  const assign = (userId: string | null) => {
    setBusy(true);
    api
      .assign(detail.id, userId)
      .then(onChanged)
      .catch((error: unknown) => onError(errorMessage(error)))
      .finally(() => setBusy(false));
  };

  return (
    <section className="panel case-header">
      <div className="case-header-main">
        <div className="case-title-row">
          <h1>{detail.title}</h1>
          <TypeBadge type={detail.type} />
          <StatusBadge status={detail.status} />
          {detail.outcome ? (
            <Badge tone={detail.outcome.label === 'legit' ? 'green' : 'red'} title="Outcome label">
              {`Outcome: ${humanize(detail.outcome.label)}`}
            </Badge>
          ) : null}
          {account?.closed ? <Badge tone="dark">Account closed</Badge> : null}
        </div>
        <div className="subject-line">
          <span>
            {humanize(detail.subjectType)} <code>{detail.subjectId}</code>
          </span>
          {account ? (
            <span>
              {account.name} · {account.email}
              {account.createdAt ? ` · customer since ${formatTime(account.createdAt).slice(0, 10)}` : ''}
            </span>
          ) : null}
          <span className="muted">Case {detail.id}</span>
        </div>
      </div>
      <dl className="case-facts">
        <div>
          <dt>At risk</dt>
          <dd className="money">{formatUsd(detail.priorityUsd)}</dd>
        </div>
        <div>
          <dt>Refunds</dt>
          <dd>{detail.refundCount}</dd>
        </div>
        <div>
          <dt>Marketplace</dt>
          <dd>{detail.marketplace ?? account?.marketplace ?? '—'}</dd>
        </div>
        <div>
          <dt>Opened</dt>
          <dd title={formatTime(detail.openedAt)}>{formatAge(detail.openedAt)} ago</dd>
        </div>
        <div>
          <dt>Assignee</dt>
          <dd>
            {detail.assignee?.name ?? <span className="muted">Unassigned</span>}
            {canWork(user) ? (
              <button
                type="button"
                className="link-button"
                disabled={busy}
                onClick={() => assign(mine ? null : user.id)}
              >
                {mine ? 'Unassign' : 'Assign to me'}
              </button>
            ) : null}
          </dd>
        </div>
      </dl>
    </section>
  );
}
