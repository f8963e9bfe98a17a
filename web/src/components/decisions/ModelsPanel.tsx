// Models learned from the retailer's outcomes, newest first: each one's status, its training
// labels and how it scored against the live scorer on the later period held out from its training.
// Admins train one now (promoted only if it beats the live scorer), promote or retire one.
import { useState } from 'react';
import {
  api,
  type DecisionModel,
  errorMessage,
  type ModelMetrics,
  type TrainResult,
} from '../../api/index.ts';
import { formatCount, formatTime, humanize } from '../../format.ts';
import { Badge } from '../Badge.tsx';
import { Empty, ErrorBanner, Loading } from '../Feedback.tsx';
import { Pager } from '../Pager.tsx';
import { decimal } from './figures.ts';

const PAGE = 10;

const STATUS_TONES: Record<string, string> = {
  promoted: 'green',
  candidate: 'blue',
  shadow: 'violet',
  rejected: 'grey',
  retired: 'dark',
};

export function ModelStatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS_TONES[status] ?? 'grey'}>{humanize(status)}</Badge>;
}

/** The candidate's figure against the live scorer's on the held-out period; the better one in bold. */
function Versus({
  model,
  live,
  pick,
  higherIsBetter,
}: {
  model: ModelMetrics;
  live: ModelMetrics;
  pick: (metrics: ModelMetrics) => number | null;
  higherIsBetter?: boolean;
}) {
  const mine = pick(model);
  const theirs = pick(live);
  const better =
    mine !== null && theirs !== null && mine !== theirs
      ? higherIsBetter
        ? mine > theirs
        : mine < theirs
      : undefined;
  return (
    <td className="num nowrap">
      <span className={better === true ? 'strong' : undefined}>{decimal(mine)}</span>{' '}
      <span className={better === false ? 'muted strong' : 'muted'}>vs {decimal(theirs)}</span>
    </td>
  );
}

function trainText(result: TrainResult): string {
  if (result.outcome === 'trained') {
    const { model } = result;
    return result.promoted
      ? `Trained ${model.version} and promoted it: it beats the live scorer on the held-out period.`
      : `Trained ${model.version}; not promoted: it does not beat the live scorer (${model.holdout.liveVersion}) on the held-out period.`;
  }
  return `No model trained: ${result.message}.`;
}

export function ModelsPanel(props: {
  models: DecisionModel[] | undefined;
  error: string | undefined;
  onRetry: () => void;
  canManage: boolean;
  onChanged: () => void;
}) {
  const [offset, setOffset] = useState(0);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [trained, setTrained] = useState<TrainResult>();
  const run = (label: string, work: () => Promise<unknown>) => {
    setBusy(label);
    setError(undefined);
    work()
      .then(props.onChanged)
      .catch((failure: unknown) => setError(errorMessage(failure)))
      .finally(() => setBusy(undefined));
  };
  const models = props.models;
  const page = models?.slice(offset, offset + PAGE) ?? [];
  return (
    <section className="panel" aria-label="Models">
      <div className="panel-head">
        <h2>Models</h2>
        <span className="muted">
          learned from labelled outcomes; figures on the period held out from training
        </span>
        <span className="grow" />
        {props.canManage ? (
          <button
            type="button"
            className="primary"
            disabled={busy !== undefined}
            onClick={() =>
              run('train', async () => {
                setTrained(undefined);
                setTrained(await api.decisions.train());
              })
            }
          >
            {busy === 'train' ? 'Training…' : 'Train a model now'}
          </button>
        ) : null}
      </div>
      {trained ? (
        <p className="train-result" role="status" data-testid="train-result">
          {trainText(trained)}
        </p>
      ) : null}
      <ErrorBanner message={error} />
      <ErrorBanner message={props.error} onRetry={props.onRetry} />
      {!models ? (
        props.error ? null : (
          <Loading label="Loading models…" />
        )
      ) : models.length === 0 ? (
        <Empty>No model trained yet: the measured evidence decides alone.</Empty>
      ) : (
        <>
          <div className="table-scroll">
            <table className="grid compact" aria-label="Model list">
              <thead>
                <tr>
                  <th>Version</th>
                  <th>Status</th>
                  <th>Trained</th>
                  <th className="num">Labels (fraud / honest)</th>
                  <th>Held out from</th>
                  <th className="num">Held-out refunds</th>
                  <th className="num" title="Lower is better">
                    Log loss
                  </th>
                  <th className="num" title="Lower is better">
                    Brier
                  </th>
                  <th className="num" title="Higher is better">
                    AUC
                  </th>
                  <th>Against</th>
                  {props.canManage ? <th /> : null}
                </tr>
              </thead>
              <tbody>
                {page.map((model) => (
                  <tr key={model.version} data-model={model.version} data-status={model.status}>
                    <td>
                      <code>{model.version}</code>
                      <div className="muted small">
                        pack {model.rulePackVersion} · {model.features.length} features
                      </div>
                    </td>
                    <td>
                      <ModelStatusBadge status={model.status} />
                      {model.promotedAt !== null ? (
                        <div className="muted small">promoted {formatTime(Date.parse(model.promotedAt))}</div>
                      ) : null}
                    </td>
                    <td className="nowrap">{formatTime(Date.parse(model.trainedAt))}</td>
                    <td className="num">
                      {formatCount(model.labels.fraud)} / {formatCount(model.labels.honest)}
                    </td>
                    <td className="nowrap">{formatTime(model.holdout.from)}</td>
                    <td className="num">
                      {formatCount(model.holdout.model.refunds)} ({formatCount(model.holdout.model.fraud)}{' '}
                      fraud)
                    </td>
                    <Versus model={model.holdout.model} live={model.holdout.live} pick={(m) => m.logLoss} />
                    <Versus model={model.holdout.model} live={model.holdout.live} pick={(m) => m.brier} />
                    <Versus
                      model={model.holdout.model}
                      live={model.holdout.live}
                      pick={(m) => m.auc}
                      higherIsBetter
                    />
                    <td>
                      <code>{model.holdout.liveVersion}</code>
                    </td>
                    {props.canManage ? (
                      <td className="nowrap">
                        {model.status !== 'promoted' ? (
                          <button
                            type="button"
                            disabled={busy !== undefined}
                            aria-label={`Promote ${model.version}`}
                            onClick={() =>
                              run(`promote ${model.version}`, () => api.decisions.promote(model.version))
                            }
                          >
                            Promote
                          </button>
                        ) : null}{' '}
                        {model.status !== 'retired' ? (
                          <button
                            type="button"
                            className="danger"
                            disabled={busy !== undefined}
                            aria-label={`Retire ${model.version}`}
                            onClick={() =>
                              run(`retire ${model.version}`, () => api.decisions.retire(model.version))
                            }
                          >
                            Retire
                          </button>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {models.length > PAGE ? (
            <Pager offset={offset} limit={PAGE} total={models.length} onChange={setOffset} />
          ) : null}
        </>
      )}
    </section>
  );
}
