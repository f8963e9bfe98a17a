// The retailer's say over its decisions: the policy in force (supervisors and admins change it,
// after trying it on history), what it and every candidate threshold would have done on history,
// the models learned from outcomes (admins train, promote, retire) and a candidate in shadow.
import { useState } from 'react';
import { api, type PolicySimulation } from '../api/index.ts';
import { canManageModels, canManagePolicy } from '../components/decisions/access.ts';
import { ModelsPanel } from '../components/decisions/ModelsPanel.tsx';
import { PolicyPanel } from '../components/decisions/PolicyPanel.tsx';
import { ShadowPanel } from '../components/decisions/ShadowPanel.tsx';
import { SimulationPanel } from '../components/decisions/SimulationPanel.tsx';
import { ErrorBanner, Loading } from '../components/Feedback.tsx';
import { useSession } from '../session.ts';
import { useAsync } from '../use-async.ts';

export function DecisionsPage() {
  const { user } = useSession();
  const policy = useAsync((signal) => api.decisions.policy(signal), []);
  const policyVersion = policy.data?.history[0]?.version ?? 0;
  // The policy in force on history; rerun when it changes.
  const simulation = useAsync((signal) => api.decisions.simulate(undefined, signal), [policyVersion]);
  /** A policy tried from the form, run beside the one in force. */
  const [proposal, setProposal] = useState<PolicySimulation>();
  const models = useAsync((signal) => api.decisions.models(signal), []);
  const shadow = useAsync((signal) => api.decisions.shadow(signal), []);

  return (
    <div className="decisions-page">
      <div className="page-head">
        <h1>Decisions</h1>
        <span className="muted">
          the decision policy, what it would have done on history, models and shadow mode
        </span>
      </div>
      <ErrorBanner message={policy.error} onRetry={policy.reload} />
      {policy.data ? (
        <PolicyPanel
          view={policy.data}
          canEdit={canManagePolicy(user)}
          onSaved={() => {
            setProposal(undefined);
            policy.reload();
          }}
          onSimulated={(_proposed, result) => setProposal(result)}
        />
      ) : policy.error ? null : (
        <Loading label="Loading the policy…" />
      )}
      <SimulationPanel
        simulation={proposal ?? simulation.data}
        error={proposal ? undefined : simulation.error}
        loading={simulation.loading}
        onRetry={simulation.reload}
        onClearProposal={proposal ? () => setProposal(undefined) : undefined}
      />
      <ModelsPanel
        models={models.data}
        error={models.error}
        onRetry={models.reload}
        canManage={canManageModels(user)}
        onChanged={() => {
          models.reload();
          shadow.reload();
        }}
      />
      <ShadowPanel
        report={shadow.data}
        error={shadow.error}
        loading={shadow.loading}
        onReload={shadow.reload}
        models={models.data}
        canManage={canManageModels(user)}
      />
    </div>
  );
}
