// The retailer's say over its decisions, for the console and the CLI: its policy (review
// capacity, precision before denying), what a policy would have done on history, the models
// learned from its outcomes (train now, promote, retire), and a candidate tried in shadow. Every
// change is in the audit trail.

import type { Decision } from '../../core/decisions.ts';
import type { FieldProblem } from '../../core/events.ts';
import { type DecisionPolicy, decisionPolicySchema } from '../../core/evidence/evidence-pack.ts';
import {
  type HistoricalRefund,
  type PolicyRun,
  runPolicy,
  type ThresholdRow,
  thresholdTable,
} from '../../core/evidence/policy-simulation.ts';
import type { RefundModel } from '../../core/evidence/refund-model.ts';
import { nothingComesBack } from '../../core/refund-signals.ts';
import type { AuditLog } from '../audit.ts';
import type { RiskEngine } from '../engine.ts';
import type { Clock, PolicyRecord, ShadowRecord, Store, StoredModel } from '../ports.ts';
import { parseRulePack } from '../rule-pack-file.ts';
import type { ModelLearning, RetrainReport } from './model-learning.ts';
import { labelledRefunds } from './model-training.ts';

const SHADOW_META_KEY = 'shadow.candidate';

export interface PolicyView {
  /** The policy in force. */
  effective: DecisionPolicy;
  /** The pack's, in force until the retailer sets one. */
  packDefault: DecisionPolicy;
  history: PolicyRecord[];
}

export interface PolicySimulation {
  refunds: number;
  labelled: number;
  from: number | null;
  to: number | null;
  thresholds: ThresholdRow[];
  /** The policy in force, run on the history. */
  current: PolicyRun;
  /** A proposed policy, run on the same history. */
  proposed?: PolicyRun;
}

export interface ShadowReport {
  candidate: string | null;
  since: number | null;
  decisions: number;
  /** Live decision → shadow decision → count. */
  agreement: Record<string, Record<string, number>>;
  /** Refunds the candidate flags (review, deny) and the live decider does not, and the other way round. */
  onlyCandidateFlags: number;
  onlyLiveFlags: number;
  /** Among labelled refunds: what each one flags, fraud and honest. */
  labelled: {
    refunds: number;
    live: { fraud: number; honest: number };
    candidate: { fraud: number; honest: number };
  };
  /** The latest refunds the two decide differently. */
  differences: ShadowRecord[];
  /** Set when storing shadow decisions failed. */
  error: string | null;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

export interface DecisionSettingsOptions {
  engine: RiskEngine;
  store: Store;
  learning: ModelLearning;
  audit?: AuditLog | undefined;
  clock: Clock;
}

export class DecisionSettings {
  private readonly engine: RiskEngine;
  private readonly store: Store;
  private readonly clock: Clock;

  constructor(private readonly options: DecisionSettingsOptions) {
    this.engine = options.engine;
    this.store = options.store;
    this.clock = options.clock;
  }

  async policy(): Promise<PolicyView> {
    return {
      effective: this.engine.decider.policy,
      packDefault: this.engine.rules.pack.policy,
      history: await this.store.listPolicies(),
    };
  }

  /** Validates and sets a policy (audited); the engine decides with it from the next refund on. */
  async setPolicy(actor: string, input: unknown, note?: string): Promise<Result<PolicyRecord>> {
    const parsed = decisionPolicySchema.safeParse(input);
    if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error.issues) };
    const previous = this.engine.decider.policy;
    const record = { policy: parsed.data, createdAt: this.clock(), createdBy: actor, note: note ?? null };
    const version = await this.store.savePolicy(record);
    this.engine.decideWithPolicy(parsed.data);
    await this.options.audit?.record(actor, 'policy.changed', `policy:${version}`, {
      policy: parsed.data,
      previous,
      ...(note ? { note } : {}),
    });
    return { ok: true, value: { ...record, version } };
  }

  /** History as the policy simulation reads it: every assessed refund, its outcome where known. */
  history(from?: number, to?: number): HistoricalRefund[] {
    const state = this.engine.riskState;
    const outcomes = new Map<string, boolean>();
    for (const entry of labelledRefunds(state, state.lastEventAt + 1, this.engine.rules.pack.model))
      outcomes.set(entry.refund.refundId, entry.fraud);
    const history: HistoricalRefund[] = [];
    for (const refund of state.refunds.values()) {
      const assessed = refund.assessed;
      if (!assessed) continue;
      if ((from !== undefined && refund.at < from) || (to !== undefined && refund.at >= to)) continue;
      history.push({
        at: refund.at,
        score: assessed.probability,
        amountUsd: refund.amountUsdMinor / 100,
        floor: assessed.forced as Decision | undefined,
        fraud: outcomes.get(refund.refundId),
        nothingComesBack: nothingComesBack(refund),
      });
    }
    return history;
  }

  /** What the policy in force, and a proposed one, would have done on the history between `from` and `to`. */
  simulate(proposal?: unknown, from?: number, to?: number): Result<PolicySimulation> {
    let proposed: DecisionPolicy | undefined;
    if (proposal !== undefined) {
      const parsed = decisionPolicySchema.safeParse(proposal);
      if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error.issues) };
      proposed = parsed.data;
    }
    const history = this.history(from, to);
    let first: number | null = null;
    let last: number | null = null;
    for (const refund of history) {
      if (first === null || refund.at < first) first = refund.at;
      if (last === null || refund.at > last) last = refund.at;
    }
    return {
      ok: true,
      value: {
        refunds: history.length,
        labelled: history.filter((refund) => refund.fraud !== undefined).length,
        from: first,
        to: last,
        thresholds: thresholdTable(history),
        current: runPolicy(history, this.engine.decider.policy),
        ...(proposed ? { proposed: runPolicy(history, proposed) } : {}),
      },
    };
  }

  models(): Promise<StoredModel[]> {
    return this.store.listModels();
  }

  /** Trains a candidate on every label so far and promotes it if it beats the live scorer (audited). */
  async train(actor: string): Promise<RetrainReport> {
    const report = await this.options.learning.retrain(this.engine, this.engine.riskState.lastEventAt + 1);
    await this.options.audit?.record(
      actor,
      'model.trained',
      `model:${report.result.kind === 'trained' ? report.result.model.version : 'none'}`,
      {
        outcome: report.result.kind,
        promoted: report.promoted,
        ...(report.result.kind === 'trained'
          ? { holdout: report.result.model.holdout, labels: report.result.model.labels }
          : { message: report.result.message }),
      },
    );
    return report;
  }

  /** Puts a stored model in force (audited). */
  async promote(actor: string, version: string): Promise<Result<StoredModel>> {
    const stored = (await this.store.listModels()).find((entry) => entry.model.version === version);
    if (!stored) return { ok: false, problems: [{ field: 'version', reason: `no model ${version}` }] };
    try {
      this.engine.decideWithModel(stored.model);
    } catch (error) {
      return { ok: false, problems: [{ field: 'version', reason: (error as Error).message }] };
    }
    await this.store.setModelStatus(version, 'promoted', this.clock());
    await this.options.audit?.record(actor, 'model.promoted', `model:${version}`, {});
    return { ok: true, value: { ...stored, status: 'promoted', promotedAt: this.clock() } };
  }

  /** Takes the promoted model out of force: the measured evidence decides alone again (audited). */
  async retire(actor: string, version: string): Promise<Result<StoredModel>> {
    const stored = (await this.store.listModels()).find((entry) => entry.model.version === version);
    if (!stored) return { ok: false, problems: [{ field: 'version', reason: `no model ${version}` }] };
    if (this.engine.model?.version === version) this.engine.decideWithModel(undefined);
    await this.store.setModelStatus(version, 'retired', this.clock());
    await this.options.audit?.record(actor, 'model.retired', `model:${version}`, {});
    return { ok: true, value: { ...stored, status: 'retired' } };
  }

  /**
   * Starts a candidate in shadow: a rule pack (YAML text) and/or a stored model. Remembered in the
   * store, so that a restarted server goes on with it (audited).
   */
  async startShadow(
    actor: string,
    candidate: { packText?: string | undefined; modelVersion?: string | undefined },
  ): Promise<Result<{ candidate: string }>> {
    if (!candidate.packText && !candidate.modelVersion)
      return {
        ok: false,
        problems: [{ field: '(root)', reason: 'give a rule pack, a model version, or both' }],
      };
    let started: string;
    try {
      started = await this.shadowFrom(candidate);
    } catch (error) {
      return {
        ok: false,
        problems: [{ field: candidate.packText ? 'pack' : 'modelVersion', reason: (error as Error).message }],
      };
    }
    await this.store.setMeta(
      SHADOW_META_KEY,
      JSON.stringify({ ...candidate, name: started, since: this.clock() }),
    );
    await this.options.audit?.record(actor, 'shadow.started', `shadow:${started}`, {
      modelVersion: candidate.modelVersion ?? null,
      pack: candidate.packText ? 'given' : 'live',
    });
    return { ok: true, value: { candidate: started } };
  }

  async stopShadow(actor: string): Promise<void> {
    const name = this.engine.shadow?.name;
    this.engine.stopShadow();
    await this.store.setMeta(SHADOW_META_KEY, '');
    await this.options.audit?.record(actor, 'shadow.stopped', `shadow:${name ?? 'none'}`, {});
  }

  /**
   * Brings the engine in line with the store: the latest policy, the promoted model and the shadow
   * candidate, as another process (the CLI, another server) may have set them.
   */
  async sync(): Promise<void> {
    const [latest] = await this.store.listPolicies();
    const policy = latest?.policy ?? this.engine.rules.pack.policy;
    if (JSON.stringify(policy) !== JSON.stringify(this.engine.decider.policy))
      this.engine.decideWithPolicy(policy);
    const promoted = (await this.store.listModels()).find((entry) => entry.status === 'promoted');
    if (promoted?.model.version !== this.engine.model?.version) {
      try {
        this.engine.decideWithModel(promoted?.model);
      } catch {
        // A model for another pack's evidence cannot decide here; the live one stays.
      }
    }
    const saved = await this.store.getMeta(SHADOW_META_KEY);
    const wanted = saved ? (JSON.parse(saved) as { name: string }).name : undefined;
    if (wanted !== this.engine.shadow?.name) {
      if (wanted === undefined) this.engine.stopShadow();
      else await this.resumeShadow();
    }
  }

  /** Goes on with the candidate a previous run of the server was trying, if any. */
  async resumeShadow(): Promise<string | undefined> {
    const saved = await this.store.getMeta(SHADOW_META_KEY);
    if (!saved) return undefined;
    try {
      return await this.shadowFrom(JSON.parse(saved));
    } catch {
      return undefined;
    }
  }

  async shadowReport(limit = 50): Promise<ShadowReport> {
    const saved = await this.store.getMeta(SHADOW_META_KEY);
    const meta = saved ? (JSON.parse(saved) as { name: string; since: number }) : undefined;
    const candidate = this.engine.shadow?.name ?? meta?.name ?? null;
    const report: ShadowReport = {
      candidate,
      since: meta?.since ?? null,
      decisions: 0,
      agreement: {},
      onlyCandidateFlags: 0,
      onlyLiveFlags: 0,
      labelled: { refunds: 0, live: { fraud: 0, honest: 0 }, candidate: { fraud: 0, honest: 0 } },
      differences: [],
      error: this.engine.shadowError ? String(this.engine.shadowError) : null,
    };
    if (candidate === null) return report;
    await this.engine.flushShadow();
    const records = await this.store.listShadowRecords(candidate);
    const state = this.engine.riskState;
    const outcomes = new Map<string, boolean>();
    for (const entry of labelledRefunds(state, state.lastEventAt + 1, this.engine.rules.pack.model))
      outcomes.set(entry.refund.refundId, entry.fraud);
    for (const record of records) {
      report.decisions += 1;
      const row = report.agreement[record.liveDecision] ?? {};
      report.agreement[record.liveDecision] = row;
      row[record.decision] = (row[record.decision] ?? 0) + 1;
      const liveFlags = flags(record.liveDecision);
      const candidateFlags = flags(record.decision);
      if (candidateFlags && !liveFlags) report.onlyCandidateFlags += 1;
      if (liveFlags && !candidateFlags) report.onlyLiveFlags += 1;
      if (record.decision !== record.liveDecision && report.differences.length < limit)
        report.differences.push(record);
      const fraud = outcomes.get(record.subjectId);
      if (fraud === undefined) continue;
      report.labelled.refunds += 1;
      const kind = fraud ? 'fraud' : 'honest';
      if (liveFlags) report.labelled.live[kind] += 1;
      if (candidateFlags) report.labelled.candidate[kind] += 1;
    }
    return report;
  }

  private async shadowFrom(candidate: {
    packText?: string | undefined;
    modelVersion?: string | undefined;
  }): Promise<string> {
    const rules = candidate.packText
      ? parseRulePack(candidate.packText, 'candidate rule pack')
      : this.engine.rules;
    let model: RefundModel | undefined;
    if (candidate.modelVersion) {
      model = (await this.store.listModels()).find(
        (entry) => entry.model.version === candidate.modelVersion,
      )?.model;
      if (!model) throw new Error(`no model ${candidate.modelVersion}`);
    }
    const name = [
      candidate.packText ? `pack:${rules.pack.version}` : undefined,
      candidate.modelVersion ? `model:${candidate.modelVersion}` : undefined,
    ]
      .filter(Boolean)
      .join('+');
    return this.engine.startShadow({ name, rules, model }).name;
  }
}

function flags(decision: string): boolean {
  return decision === 'review' || decision === 'deny';
}

function problemsOf(issues: readonly { path: PropertyKey[]; message: string }[]): FieldProblem[] {
  return issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(root)',
    reason: issue.message,
  }));
}
