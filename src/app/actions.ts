// Enforcement actions on a case: proposed, approved by a second person when the action needs it
// (four-eyes), executed once, recorded, and sent to the retailer's systems by webhook. The same case,
// type and target always name the same action (idempotent).
import { createHash, randomUUID } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { ACTION_RULES, type ActionType, actionKey, checkApproval } from '../core/cases/actions.ts';
import { DEFAULT_WARN_CUSTOMER_TEMPLATE, renderTemplate } from '../core/cases/templates.ts';
import type { AuditLog } from './audit.ts';
import type { CaseService } from './cases.ts';
import { conflict, forbidden, invalid, notFound } from './console-errors.ts';
import type {
  ActionRecord,
  ActionStore,
  CaseRecord,
  DeliveryRecord,
  OutboxStore,
  PeopleStore,
} from './console-ports.ts';
import type { RiskEngine } from './engine.ts';
import { actorId, type Principal } from './people.ts';
import { Persons } from './persons.ts';
import type { Clock, Store } from './ports.ts';
import type { WebhookDispatcher } from './webhooks.ts';

export const WARN_CUSTOMER_TEMPLATE = 'warn_customer';

export interface ActionServiceDependencies {
  engine: RiskEngine;
  store: Store;
  /** Actions and templates; the deliveries an action made; the user who proposed it (an agent?). */
  consoleStore: ActionStore & OutboxStore & PeopleStore;
  cases: CaseService;
  audit: AuditLog;
  webhooks: WebhookDispatcher;
  clock: Clock;
}

/** Actions taken on every member of a ring at once. */
export const BULK_ACTION_TYPES = ['warn_customer', 'close_account'] as const satisfies readonly ActionType[];
export type BulkActionType = (typeof BULK_ACTION_TYPES)[number];

export interface ActionBatch {
  batchId: string;
  caseId: string;
  type: ActionType;
  actions: ActionRecord[];
}

/** The same case and type always name the same batch (proposing again adds new members only). */
export function batchIdOf(caseId: string, type: ActionType): string {
  return `batch-${createHash('sha256').update(`${caseId}|${type}`).digest('hex').slice(0, 24)}`;
}

export interface ProposeInput {
  type: ActionType;
  accountId?: string;
  refundId?: string;
  note?: string;
}

export class ActionService {
  readonly #deps: ActionServiceDependencies;
  readonly #clock: Clock;
  readonly #persons: Persons;

  constructor(dependencies: ActionServiceDependencies) {
    this.#deps = dependencies;
    this.#clock = dependencies.clock;
    this.#persons = new Persons(dependencies.consoleStore);
  }

  /** Whether the proposal is the decider's own: the same person, whichever key or user they use. */
  async #ownProposal(principal: Principal, proposedBy: string): Promise<boolean> {
    const [decider, proposer] = await Promise.all([
      this.#persons.of(principal),
      this.#persons.ofActor(proposedBy),
    ]);
    return decider.actors.some((actor) => proposer.actors.includes(actor));
  }

  /** Proposes (four-eyes types) or executes at once; the same case + type + target returns the existing action. */
  async propose(
    principal: Principal,
    caseId: string,
    input: ProposeInput,
  ): Promise<{ action: ActionRecord; created: boolean }> {
    const record = await this.#deps.cases.visibleCase(principal, caseId);
    const target = await this.#target(record, input);
    const rule = ACTION_RULES[input.type];
    const { action, created } = await this.#proposeOnce(
      principal,
      caseId,
      input.type,
      target,
      input.note,
      null,
    );
    if (!created || rule.needsApproval) return { action, created };
    return { action: await this.#execute(action, actorId(principal)), created };
  }

  /**
   * One action per member of a ring case, grouped in a batch: each idempotent (case + type + member)
   * and audited; `close_account` ones wait for a supervisor (four-eyes), `warn_customer` ones run at once.
   */
  async proposeBatch(
    principal: Principal,
    caseId: string,
    input: { type: BulkActionType; note?: string },
  ): Promise<{ batch: ActionBatch; created: number }> {
    const record = await this.#deps.cases.visibleCase(principal, caseId);
    if (record.type !== 'ring') throw invalid('type', 'actions on all members are for ring cases');
    const members = await this.#deps.cases.ringMembers(caseId);
    if (members.length === 0) throw conflict('This ring case names no members yet.');
    const batchId = batchIdOf(caseId, input.type);
    const rule = ACTION_RULES[input.type];
    let created = 0;
    for (const accountId of members) {
      const inserted = await this.#proposeOnce(
        principal,
        caseId,
        input.type,
        { accountId },
        input.note,
        batchId,
      );
      if (!inserted.created) continue;
      created += 1;
      if (!rule.needsApproval) await this.#execute(inserted.action, actorId(principal));
    }
    return { batch: await this.#batch(batchId), created };
  }

  /**
   * Records a proposal once (the same case + type + target finds the existing one) and audits a
   * new one; four-eyes types start `proposed`, the others `approved`, ready to execute.
   */
  async #proposeOnce(
    principal: Principal,
    caseId: string,
    type: ActionType,
    target: { accountId?: string | undefined; refundId?: string | undefined },
    note: string | undefined,
    batchId: string | null,
  ): Promise<{ action: ActionRecord; created: boolean }> {
    const proposed = await this.#deps.consoleStore.insertActionOnce({
      id: randomUUID(),
      caseId,
      type,
      key: actionKey(caseId, type, target),
      accountId: target.accountId ?? null,
      refundId: target.refundId ?? null,
      status: ACTION_RULES[type].needsApproval ? 'proposed' : 'approved',
      proposedBy: actorId(principal),
      proposedAt: this.#clock(),
      decidedBy: null,
      decidedAt: null,
      note: note ?? null,
      result: null,
      batchId,
    });
    if (proposed.created) {
      const { action } = proposed;
      await this.#deps.audit.record(actorId(principal), 'action.propose', `action:${action.id}`, {
        caseId,
        type,
        accountId: action.accountId,
        ...(batchId ? { batchId } : { refundId: action.refundId }),
      });
    }
    return proposed;
  }

  async getBatch(principal: Principal, batchId: string): Promise<ActionBatch> {
    const batch = await this.#batch(batchId);
    await this.#deps.cases.visibleCase(principal, batch.caseId);
    return batch;
  }

  /** Approves (and executes) or rejects every member's pending action of a batch: never one's own proposal. */
  async decideBatch(
    principal: Principal,
    batchId: string,
    decision: 'approve' | 'reject',
    note?: string,
  ): Promise<ActionBatch> {
    const batch = await this.getBatch(principal, batchId);
    const pending = batch.actions.filter((action) => action.status === 'proposed');
    for (const proposedBy of new Set(pending.map((action) => action.proposedBy)))
      if (await this.#ownProposal(principal, proposedBy))
        throw forbidden('No one approves or rejects their own proposal.');
    // A member someone else decided meanwhile stays as they decided it.
    for (const action of pending) await this.#decideOnce(principal, action.id, decision, note);
    return this.#batch(batchId);
  }

  async #batch(batchId: string): Promise<ActionBatch> {
    const actions = await this.#deps.consoleStore.listBatch(batchId);
    const first = actions[0];
    if (first === undefined) throw notFound(`No batch ${batchId}.`);
    return { batchId, caseId: first.caseId, type: first.type, actions };
  }

  async approve(principal: Principal, actionId: string, note?: string): Promise<ActionRecord> {
    return this.#decide(principal, actionId, 'approve', note);
  }

  async reject(principal: Principal, actionId: string, note?: string): Promise<ActionRecord> {
    return this.#decide(principal, actionId, 'reject', note);
  }

  async get(principal: Principal, actionId: string): Promise<ActionRecord> {
    const action = await this.#deps.consoleStore.getAction(actionId);
    if (action === undefined) throw notFound(`No action ${actionId}.`);
    await this.#deps.cases.visibleCase(principal, action.caseId);
    return action;
  }

  list(caseId: string): Promise<ActionRecord[]> {
    return this.#deps.consoleStore.listActions(caseId);
  }

  deliveries(actionId: string): Promise<DeliveryRecord[]> {
    return this.#deps.consoleStore.listDeliveries({ actionId, limit: 100 });
  }

  async template(): Promise<string> {
    return (
      (await this.#deps.consoleStore.getTemplate(WARN_CUSTOMER_TEMPLATE)) ?? DEFAULT_WARN_CUSTOMER_TEMPLATE
    );
  }

  async setTemplate(principal: Principal, body: string): Promise<void> {
    if (body.trim() === '') throw invalid('body', 'must not be empty');
    await this.#deps.consoleStore.setTemplate(WARN_CUSTOMER_TEMPLATE, body, this.#clock());
    await this.#deps.audit.record(
      actorId(principal),
      'template.update',
      `template:${WARN_CUSTOMER_TEMPLATE}`,
      {
        length: body.length,
      },
    );
  }

  /** The evidence package of an export_evidence action: report.html, events.jsonl, assessments.jsonl. */
  async evidenceZip(principal: Principal, actionId: string): Promise<Uint8Array> {
    const action = await this.get(principal, actionId);
    if (action.type !== 'export_evidence') throw invalid('(root)', 'This action is not an evidence export.');
    const record = await this.#deps.cases.visibleCase(principal, action.caseId);
    const accountId = record.subjectType === 'account' ? record.subjectId : action.accountId;
    // A ring's package holds every member's events and decisions.
    const accountIds =
      record.type === 'ring' ? await this.#deps.cases.ringMembers(record.id) : accountId ? [accountId] : [];
    const events = (await Promise.all(accountIds.map((id) => this.#deps.store.eventsForAccount(id)))).flat();
    const assessments = (
      await Promise.all(accountIds.map((id) => this.#deps.store.listAssessments({ accountId: id })))
    ).flat();
    const evidence = await this.#deps.cases.evidence(record.id);
    const timeline = accountId ? await this.#deps.cases.accountTimeline(accountId) : undefined;
    await this.#deps.audit.record(actorId(principal), 'evidence.download', `action:${actionId}`, {
      caseId: record.id,
      events: events.length,
    });
    const jsonl = (rows: unknown[]) =>
      rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length ? '\n' : '');
    return zipSync({
      'report.html': strToU8(reportHtml(record, evidence, timeline, this.#clock())),
      'events.jsonl': strToU8(
        jsonl(
          events.map((event) => ({ id: event.id, type: event.type, time: event.time, data: event.data })),
        ),
      ),
      'assessments.jsonl': strToU8(jsonl(assessments)),
    });
  }

  async #decide(
    principal: Principal,
    actionId: string,
    decision: 'approve' | 'reject',
    note?: string,
  ): Promise<ActionRecord> {
    const decided = await this.#decideOnce(principal, actionId, decision, note);
    if (decided.lost)
      throw conflict(
        `Someone else decided this action at the same moment; it is now ${decided.action.status}.`,
      );
    return decided.action;
  }

  /**
   * Decides a proposed action by one compare-and-set (proposed → approved | rejected): of two
   * people deciding at the same moment exactly one wins and only the winner executes. `lost` says
   * another decision got there first, after this call had read the action as still proposed.
   */
  async #decideOnce(
    principal: Principal,
    actionId: string,
    decision: 'approve' | 'reject',
    note?: string,
  ): Promise<{ action: ActionRecord; lost: boolean }> {
    const action = await this.get(principal, actionId);
    const deciderId = actorId(principal);
    const [decider, proposer] = await Promise.all([
      this.#persons.of(principal),
      this.#persons.ofActor(action.proposedBy),
    ]);
    const check = checkApproval(action.type, action.status, proposer.actors, decider.actors);
    if (!check.ok) {
      if (check.reason === 'own_proposal') throw forbidden('No one approves or rejects their own proposal.');
      if (check.reason === 'no_approval_needed') throw conflict(`A ${action.type} action needs no approval.`);
      // The decider repeating their decision gets the action as it is (idempotent: a double click);
      // anyone else, or the opposite decision, conflicts: one decision per action.
      const already = decision === 'approve' ? ['approved', 'executed', 'failed'] : ['rejected'];
      if (already.includes(action.status)) {
        if (action.decidedBy === deciderId) return { action, lost: false };
        throw conflict(
          `Someone else already ${decision === 'approve' ? 'approved' : 'rejected'} this action; it is ${action.status}.`,
        );
      }
      throw conflict(
        `The action is ${action.status}; it can no longer be ${decision === 'approve' ? 'approved' : 'rejected'}.`,
      );
    }
    const decided: ActionRecord = {
      ...action,
      status: decision === 'approve' ? 'approved' : 'rejected',
      decidedBy: deciderId,
      decidedAt: this.#clock(),
      note: note ?? action.note,
    };
    if (!(await this.#deps.consoleStore.updateActionFrom('proposed', decided))) {
      const now = (await this.#deps.consoleStore.getAction(actionId)) ?? action;
      // The same person's double click that lost to itself is still the one decision.
      const same = now.decidedBy === deciderId && (now.status !== 'rejected') === (decision === 'approve');
      return { action: now, lost: !same };
    }
    await this.#deps.audit.record(deciderId, `action.${decision}`, `action:${action.id}`, {
      caseId: action.caseId,
      type: action.type,
      note,
    });
    return {
      action: decision === 'approve' ? await this.#execute(decided, actorId(principal)) : decided,
      lost: false,
    };
  }

  async #target(record: CaseRecord, input: ProposeInput): Promise<{ accountId?: string; refundId?: string }> {
    const rule = ACTION_RULES[input.type];
    const caseAccount = record.subjectType === 'account' ? record.subjectId : undefined;
    if (rule.target === 'case') return caseAccount ? { accountId: caseAccount } : {};
    if (record.type === 'ring') {
      // A ring case acts on its members, one at a time or all at once (proposeBatch).
      const members = await this.#deps.cases.ringMembers(record.id);
      const accountId =
        input.accountId ?? this.#deps.engine.riskState.refunds.get(input.refundId ?? '')?.accountId;
      if (accountId === undefined || !members.includes(accountId))
        throw invalid(
          input.refundId !== undefined ? 'refundId' : 'accountId',
          'must be (a refund of) a member of this ring',
        );
      if (rule.target === 'account') return { accountId };
      if (input.refundId === undefined) throw invalid('refundId', `a ${input.type} action names the refund`);
      return { accountId, refundId: input.refundId };
    }
    if (rule.target === 'account') {
      const accountId = input.accountId ?? caseAccount;
      if (accountId === undefined)
        throw invalid('accountId', 'this case has no account subject; name the account');
      if (accountId !== caseAccount) {
        const linked = caseAccount ? this.#deps.cases.linkedAccounts(caseAccount) : [];
        if (!linked.some((link) => link.accountId === accountId))
          throw invalid('accountId', 'must be the case account or one linked to it');
      }
      return { accountId };
    }
    if (input.refundId === undefined) throw invalid('refundId', `a ${input.type} action names the refund`);
    const refund = this.#deps.engine.riskState.refunds.get(input.refundId);
    const evidence = await this.#deps.cases.evidence(record.id);
    const inCase = evidence.some((item) => item.refId === input.refundId);
    if (!inCase && (refund === undefined || refund.accountId !== caseAccount))
      throw invalid('refundId', 'must be a refund of this case');
    return { accountId: refund?.accountId ?? caseAccount, refundId: input.refundId };
  }

  /**
   * Runs the actions a crash left approved but not run. Running one writes events, which cannot
   * share the decision's transaction, so a process that died between the two left it `approved`.
   * Their events have ids of their own (`action-ID-…`), so one that did get in before the crash is
   * not applied twice; the audit row says the recovery ran it. Returns how many were run.
   */
  async resumeApproved(): Promise<number> {
    const stranded = await this.#deps.consoleStore.listActionsWithStatus('approved');
    for (const action of stranded) await this.#execute(action, 'system:recovery');
    return stranded.length;
  }

  async #execute(action: ActionRecord, actor: string): Promise<ActionRecord> {
    let result: Record<string, unknown>;
    let status: ActionRecord['status'] = 'executed';
    try {
      result = await this.#perform(action);
    } catch (error) {
      status = 'failed';
      result = { error: error instanceof Error ? error.message : String(error) };
    }
    const executed: ActionRecord = { ...action, status, result };
    // Only the call that moved it to approved gets here; the guard keeps a second execution out anyway.
    if (!(await this.#deps.consoleStore.updateActionFrom('approved', executed)))
      return (await this.#deps.consoleStore.getAction(action.id)) ?? executed;
    await this.#deps.audit.record(
      actor,
      status === 'executed' ? 'action.execute' : 'action.fail',
      `action:${action.id}`,
      {
        caseId: action.caseId,
        type: action.type,
        accountId: action.accountId,
        refundId: action.refundId,
      },
    );
    if (status === 'executed') {
      await this.#deps.webhooks.dispatch('action.executed', action.id, {
        action: {
          id: action.id,
          caseId: action.caseId,
          type: action.type,
          target: {
            ...(action.accountId ? { accountId: action.accountId } : {}),
            ...(action.refundId ? { refundId: action.refundId } : {}),
          },
          proposedBy: action.proposedBy,
          decidedBy: action.decidedBy,
          note: action.note,
        },
        result,
      });
    }
    return executed;
  }

  async #perform(action: ActionRecord): Promise<Record<string, unknown>> {
    const now = this.#clock();
    switch (action.type) {
      case 'close_account': {
        const agentId = action.proposedBy.startsWith('user:')
          ? ((await this.#deps.consoleStore.getUser(action.proposedBy.slice(5)))?.agentId ?? undefined)
          : undefined;
        const eventId = `action-${action.id}-account-closed`;
        const ingest = await this.#deps.engine.ingest([
          {
            id: eventId,
            type: 'account.closed',
            time: new Date(now).toISOString(),
            data: { accountId: action.accountId, reason: 'fraud', ...(agentId ? { agentId } : {}) },
          },
        ]);
        if (ingest.rejected.length > 0)
          throw new Error(`account.closed was rejected: ${JSON.stringify(ingest.rejected)}`);
        return { eventId };
      }
      case 'warn_customer': {
        const account = this.#deps.engine.riskState.accounts.get(action.accountId ?? '');
        const timeline = await this.#deps.cases.accountTimeline(action.accountId ?? '');
        const notice = renderTemplate(await this.template(), {
          name: timeline.account?.name ?? 'customer',
          accountId: action.accountId ?? '',
          email: account?.email,
          marketplace: account?.marketplace ?? '',
        });
        return { notice, to: account?.email ?? null };
      }
      case 'export_evidence':
        return { download: `/v1/actions/${action.id}/evidence.zip` };
      case 'require_return':
      case 'deny_refund':
      case 'reverse_refund':
        // The retailer's systems carry these out on receiving the webhook.
        return { refundId: action.refundId };
    }
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function reportHtml(
  record: CaseRecord,
  evidence: { kind: string; refId: string; summary: string; at: number }[],
  timeline: Awaited<ReturnType<CaseService['accountTimeline']>> | undefined,
  now: number,
): string {
  const row = (cells: string[]) => `<tr>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`;
  const iso = (at: number) => new Date(at).toISOString();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evidence: ${escapeHtml(record.title)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}</style></head>
<body>
<h1>${escapeHtml(record.title)}</h1>
<p>Case ${escapeHtml(record.id)} · ${escapeHtml(record.type)} · subject ${escapeHtml(`${record.subjectType} ${record.subjectId}`)} ·
status ${escapeHtml(record.status)} · money at risk ${(record.priorityUsdMinor / 100).toFixed(2)} USD · opened ${iso(record.openedAt)} ·
report generated ${iso(now)}</p>
${timeline?.account ? `<h2>Account</h2><table>${row(['Account', timeline.account.accountId])}${row(['Name', timeline.account.name ?? ''])}${row(['E-mail', timeline.account.email ?? ''])}${row(['Marketplace', timeline.account.marketplace ?? ''])}${row(['Closed', timeline.account.closed ? `${iso(timeline.account.closed.at)} (${timeline.account.closed.reason})` : 'no'])}</table>` : ''}
<h2>Evidence</h2>
<table><tr><th>When</th><th>Kind</th><th>Reference</th><th>Summary</th></tr>
${evidence.map((item) => row([iso(item.at), item.kind, item.refId, item.summary])).join('\n')}
</table>
${
  timeline
    ? `<h2>Timeline</h2><table><tr><th>When</th><th>Event</th><th>Summary</th><th>Decision</th></tr>
${timeline.items.map((item) => row([iso(item.at), item.type, item.summary, item.assessment ? `${item.assessment.decision} (${item.assessment.reasons.map((reason) => reason.code).join(', ')})` : ''])).join('\n')}
</table>
<h2>Linked accounts</h2><table><tr><th>Account</th><th>Shared</th><th>Closed</th></tr>
${timeline.linkedAccounts.map((link) => row([link.accountId, link.via.join(', '), link.closed ? 'yes' : 'no'])).join('\n')}
</table>`
    : ''
}
<p>The raw events behind this report are in events.jsonl and the decisions in assessments.jsonl, in this package.</p>
</body></html>
`;
}
