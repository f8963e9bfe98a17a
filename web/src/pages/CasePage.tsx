// One case with all its evidence: header, life-cycle, timeline, reasons, actions, linked accounts,
// notes and outcome. The case and its timeline load in parallel.
import { useState } from 'react';
import { api } from '../api/index.ts';
import { ActionsPanel } from '../components/case/ActionsPanel.tsx';
import { CaseHeader } from '../components/case/CaseHeader.tsx';
import { HistoryPanel, LinkedAccounts, ReasonsPanel } from '../components/case/Evidence.tsx';
import { NotesPanel, OutcomePanel } from '../components/case/NotesPanel.tsx';
import { RingView } from '../components/case/RingView.tsx';
import { StatusBar } from '../components/case/StatusBar.tsx';
import { Timeline } from '../components/case/Timeline.tsx';
import { ErrorBanner, Loading } from '../components/Feedback.tsx';
import { Link } from '../router.tsx';
import { useAsync } from '../use-async.ts';

export function CasePage({ caseId }: { caseId: string }) {
  const detail = useAsync((signal) => api.case(caseId, signal), [caseId]);
  const timeline = useAsync((signal) => api.timeline(caseId, signal), [caseId]);
  // A ring case's ring loads alongside the ring page's code.
  const isRing = detail.data?.type === 'ring';
  const ring = useAsync(
    (signal) => (isRing ? api.ring(caseId, signal) : Promise.resolve(undefined)),
    [caseId, isRing, detail.data?.updatedAt],
  );
  const [actionError, setActionError] = useState<string>();

  const changed = () => {
    setActionError(undefined);
    detail.reload();
    timeline.reload();
  };

  if (!detail.data) {
    return (
      <div className="case-page">
        <Link to="/" className="back-link">
          ‹ Queue
        </Link>
        {detail.error ? (
          <ErrorBanner message={detail.error} onRetry={detail.reload} />
        ) : (
          <Loading label="Loading case…" />
        )}
      </div>
    );
  }
  const props = { detail: detail.data, onChanged: changed, onError: setActionError };
  if (detail.data.type === 'ring') {
    return (
      <div className="case-page">
        <Link to="/" className="back-link">
          ‹ Queue
        </Link>
        <CaseHeader {...props} account={undefined} />
        <ErrorBanner message={actionError} />
        <StatusBar {...props} />
        <RingView detail={detail.data} ring={ring} onChanged={changed} />
        <div className="case-columns">
          <div className="case-main">
            <NotesPanel {...props} />
          </div>
          <aside className="case-side">
            <OutcomePanel {...props} />
            <HistoryPanel detail={detail.data} />
          </aside>
        </div>
      </div>
    );
  }
  return (
    <div className="case-page">
      <Link to="/" className="back-link">
        ‹ Queue
      </Link>
      <CaseHeader {...props} account={timeline.data?.account} />
      <ErrorBanner message={actionError} />
      <StatusBar {...props} />
      <div className="case-columns">
        <div className="case-main">
          <ErrorBanner message={timeline.error} onRetry={timeline.reload} />
          {timeline.data ? (
            <Timeline timeline={timeline.data} />
          ) : timeline.error ? null : (
            <Loading label="Loading timeline…" />
          )}
        </div>
        <aside className="case-side">
          <ReasonsPanel detail={detail.data} timeline={timeline.data} />
          <ActionsPanel {...props} timeline={timeline.data} />
          <LinkedAccounts timeline={timeline.data} />
          <OutcomePanel {...props} />
          <NotesPanel {...props} />
          <HistoryPanel detail={detail.data} />
        </aside>
      </div>
    </div>
  );
}
