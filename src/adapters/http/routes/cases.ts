// The case queue, case pages, timelines, and working a case: transitions, assignment, notes,
// outcome, and enforcement actions (propose, approve, reject, evidence package); ring pages and
// actions on all of a ring's members.

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ActionBatch } from '../../../app/actions.ts';
import type { Timeline } from '../../../app/case-timeline.ts';
import type { ConsoleServices } from '../../../app/console.ts';
import type { ActionRecord, CaseRecord, DeliveryRecord } from '../../../app/console-ports.ts';
import { type PersonView, principalMay } from '../../../app/people.ts';
import type { Clock } from '../../../app/ports.ts';
import type { RingGraph } from '../../../app/ring-cases.ts';
import {
  type ActionView,
  actionSchema,
  assignBodySchema,
  type CaseSummaryView,
  caseDetailSchema,
  caseListSchema,
  caseNoteSchema,
  caseQuerySchema,
  caseSummarySchema,
  decideBodySchema,
  idParamsSchema,
  noteBodySchema,
  outcomeBodySchema,
  proposeActionBodySchema,
  type TimelineView,
  timelineSchema,
  transitionBodySchema,
} from '../../../contract/cases.ts';
import { PROBLEM_CONTENT_TYPE, problemSchema } from '../../../contract/problems.ts';
import {
  type ActionBatchView,
  actionBatchSchema,
  bulkActionBodySchema,
  type RingGraphView,
  ringPageSchema,
} from '../../../contract/rings.ts';
import { ACTION_TYPES } from '../../../contract/vocabulary.ts';
import { principalOf } from '../console-auth.ts';
import { toIsoTime } from '../views.ts';

const DAY_MS = 86_400_000;

/** A zip file (sent as bytes; documented, never serialised). */
const zipFileSchema = z
  .custom<Uint8Array>((value) => value instanceof Uint8Array)
  .meta({ type: 'string', format: 'binary' });

const problemResponse = { content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } };
/** Reads of one resource: a bad id, or none. */
const readProblems = { 400: problemResponse, 404: problemResponse } as const;
/** Changes: a bad body, no such resource, or a state that does not allow it. */
const changeProblems = { 400: problemResponse, 404: problemResponse, 409: problemResponse } as const;

type People = Map<string, PersonView>;
const person = (people: People, id: string): PersonView => people.get(id) ?? { id, name: id };

export function caseSummaryView(record: CaseRecord, people: People): CaseSummaryView {
  return {
    id: record.id,
    type: record.type,
    subjectType: record.subjectType,
    subjectId: record.subjectId,
    title: record.title,
    status: record.status,
    priorityUsd: record.priorityUsdMinor / 100,
    ...(record.marketplace !== null ? { marketplace: record.marketplace } : {}),
    ...(record.assigneeId !== null ? { assignee: person(people, record.assigneeId) } : {}),
    openedAt: toIsoTime(record.openedAt),
    updatedAt: toIsoTime(record.updatedAt),
    refundCount: record.refundCount,
    topReasons: record.topReasons,
  };
}

export function actionView(action: ActionRecord, deliveries: DeliveryRecord[], people: People): ActionView {
  return {
    id: action.id,
    caseId: action.caseId,
    type: action.type,
    target: {
      ...(action.accountId !== null ? { accountId: action.accountId } : {}),
      ...(action.refundId !== null ? { refundId: action.refundId } : {}),
    },
    status: action.status,
    proposedBy: person(people, action.proposedBy),
    proposedAt: toIsoTime(action.proposedAt),
    ...(action.decidedBy !== null ? { decidedBy: person(people, action.decidedBy) } : {}),
    ...(action.decidedAt !== null ? { decidedAt: toIsoTime(action.decidedAt) } : {}),
    ...(action.note !== null ? { note: action.note } : {}),
    ...(action.result !== null ? { result: action.result } : {}),
    deliveries: deliveries.map((delivery) => ({
      webhookId: delivery.webhookId,
      status: delivery.status,
      attempts: delivery.attempts,
      lastAttemptAt: delivery.lastAttemptAt === null ? null : toIsoTime(delivery.lastAttemptAt),
      lastStatusCode: delivery.lastStatusCode,
    })),
  };
}

function timelineView(timeline: Timeline): TimelineView {
  if (timeline.account === undefined)
    return {
      items: timeline.items.map((item) => ({ ...item, at: toIsoTime(item.at) })),
      linkedAccounts: timeline.linkedAccounts,
    };
  const { createdAt, closed, ...account } = timeline.account;
  return {
    account: {
      ...account,
      createdAt: createdAt === undefined ? undefined : toIsoTime(createdAt),
      ...(closed ? { closed: { at: toIsoTime(closed.at), reason: closed.reason } } : {}),
    },
    items: timeline.items.map((item) => ({ ...item, at: toIsoTime(item.at) })),
    linkedAccounts: timeline.linkedAccounts,
  };
}

/** The ring graph as sent: `suspectFirstAt` is null for a value never used by a third party (JSON has no Infinity). */
function ringGraphView(graph: RingGraph): RingGraphView {
  return {
    ...graph,
    edges: graph.edges.map((edge) => {
      if (edge.attributes === undefined) return edge;
      const { suspectFirstAt } = edge.attributes;
      return {
        ...edge,
        attributes: {
          ...edge.attributes,
          ...(suspectFirstAt === undefined
            ? {}
            : { suspectFirstAt: Number.isFinite(suspectFirstAt) ? suspectFirstAt : null }),
        },
      };
    }),
  };
}

export function registerCaseRoutes(server: FastifyInstance, services: ConsoleServices, clock: Clock): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const { cases, actions, people } = services;

  async function actionViews(records: ActionRecord[]): Promise<ActionView[]> {
    const names = await people.people(
      records.flatMap((record) => [record.proposedBy, ...(record.decidedBy ? [record.decidedBy] : [])]),
    );
    return Promise.all(
      records.map(async (record) => actionView(record, await actions.deliveries(record.id), names)),
    );
  }

  async function oneAction(record: ActionRecord): Promise<ActionView> {
    return actionView(record, await actions.deliveries(record.id), await names(record));
  }

  function names(record: ActionRecord) {
    return people.people([record.proposedBy, ...(record.decidedBy ? [record.decidedBy] : [])]);
  }

  async function batchView(batch: ActionBatch): Promise<ActionBatchView> {
    const counts: Record<string, number> = {};
    for (const action of batch.actions) counts[action.status] = (counts[action.status] ?? 0) + 1;
    return {
      batchId: batch.batchId,
      caseId: batch.caseId,
      type: batch.type,
      counts,
      actions: await actionViews(batch.actions),
    };
  }

  async function caseView(record: CaseRecord): Promise<CaseSummaryView> {
    const names = await people.people(record.assigneeId ? [record.assigneeId] : []);
    return caseSummaryView(record, names);
  }

  app.get(
    '/cases',
    {
      config: { permission: 'cases:read' },
      schema: {
        summary: 'The work queue: cases by money at risk',
        tags: ['cases'],
        querystring: caseQuerySchema,
        response: { 200: caseListSchema, 400: problemResponse },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const query = request.query;
      const self = principal.kind === 'user' ? principal.user.id : undefined;
      const assigneeId =
        query.assignee === undefined
          ? undefined
          : query.assignee === 'none'
            ? null
            : query.assignee === 'me'
              ? (self ?? null)
              : query.assignee;
      const result = await cases.list(principal, {
        ...(query.status ? { statuses: query.status } : {}),
        ...(query.type ? { types: query.type } : {}),
        ...(query.marketplace !== undefined ? { marketplace: query.marketplace } : {}),
        ...(query.minUsd !== undefined ? { minUsdMinor: Math.round(query.minUsd * 100) } : {}),
        ...(query.maxAgeDays !== undefined ? { openedSince: clock() - query.maxAgeDays * DAY_MS } : {}),
        ...(assigneeId !== undefined ? { assigneeId } : {}),
        limit: query.limit,
        offset: query.offset,
      });
      const names = await people.people(
        result.items.flatMap((item) => (item.assigneeId ? [item.assigneeId] : [])),
      );
      return {
        items: result.items.map((item) => caseSummaryView(item, names)),
        total: result.total,
        counts: result.counts,
      };
    },
  );

  app.get(
    '/cases/:id',
    {
      config: { permission: 'cases:read' },
      schema: {
        params: idParamsSchema,
        summary: 'A case page',
        tags: ['cases'],
        response: { 200: caseDetailSchema, ...readProblems },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { id } = request.params;
      const detail = await cases.detail(principal, id);
      const actionRecords = await actions.list(id);
      const ids = [
        ...(detail.record.assigneeId ? [detail.record.assigneeId] : []),
        ...detail.history.map((entry) => entry.by),
        ...detail.notes.map((note) => note.by),
        ...(detail.record.outcome ? [detail.record.outcome.by] : []),
      ];
      const names = await people.people(ids);
      const { outcome } = detail.record;
      const open = !['closed', 'dismissed'].includes(detail.record.status);
      return {
        ...caseSummaryView(detail.record, names),
        history: detail.history.map((entry) => ({
          from: entry.from,
          to: entry.to,
          by: person(names, entry.by),
          at: toIsoTime(entry.at),
          ...(entry.note !== null ? { note: entry.note } : {}),
        })),
        notes: detail.notes.map((note) => ({
          id: note.id,
          by: person(names, note.by),
          at: toIsoTime(note.at),
          text: note.text,
        })),
        evidence: detail.evidence.map((item) => ({
          kind: item.kind,
          refId: item.refId,
          summary: item.summary,
          at: toIsoTime(item.at),
        })),
        ...(outcome
          ? {
              outcome: {
                label: outcome.label,
                by: person(names, outcome.by),
                at: toIsoTime(outcome.at),
                ...(outcome.note ? { note: outcome.note } : {}),
              },
            }
          : {}),
        actions: await actionViews(actionRecords),
        allowedTransitions: detail.allowedTransitions,
        availableActions: open && principalMay(principal, 'actions:propose') ? [...ACTION_TYPES] : [],
      };
    },
  );

  app.get(
    '/cases/:id/timeline',
    {
      config: { permission: 'cases:read' },
      schema: {
        params: idParamsSchema,
        summary: "The case account's timeline and linked accounts",
        tags: ['cases'],
        response: { 200: timelineSchema, ...readProblems },
      },
    },
    async (request) => {
      const { id } = request.params;
      const timeline = await cases.timeline(principalOf(request), id);
      return timelineView(timeline);
    },
  );

  app.post(
    '/cases/:id/transition',
    {
      config: { permission: 'cases:work' },
      schema: {
        params: idParamsSchema,
        summary: 'Move a case along its life-cycle',
        tags: ['cases'],
        body: transitionBodySchema,
        response: { 200: caseSummarySchema, ...changeProblems },
      },
    },
    async (request) => {
      const { id } = request.params;
      const body = request.body;
      return caseView(await cases.transition(principalOf(request), id, body.to, body.note));
    },
  );

  app.post(
    '/cases/:id/assign',
    {
      config: { permission: 'cases:work' },
      schema: {
        params: idParamsSchema,
        summary: 'Assign a case (investigators: themselves)',
        tags: ['cases'],
        body: assignBodySchema,
        response: { 200: caseSummarySchema, ...changeProblems },
      },
    },
    async (request) => {
      const { id } = request.params;
      const body = request.body;
      return caseView(await cases.assign(principalOf(request), id, body.userId));
    },
  );

  app.post(
    '/cases/:id/notes',
    {
      config: { permission: 'cases:work' },
      schema: {
        params: idParamsSchema,
        summary: 'Add a note',
        tags: ['cases'],
        body: noteBodySchema,
        response: { 201: caseNoteSchema, ...changeProblems },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const body = request.body;
      const note = await cases.addNote(principalOf(request), id, body.text);
      const names = await people.people([note.by]);
      return reply
        .code(201)
        .send({ id: note.id, by: person(names, note.by), at: toIsoTime(note.at), text: note.text });
    },
  );

  app.post(
    '/cases/:id/outcome',
    {
      config: { permission: 'cases:work' },
      schema: {
        params: idParamsSchema,
        summary: 'Label the outcome (ingests label.set)',
        tags: ['cases'],
        body: outcomeBodySchema,
        response: { 200: caseSummarySchema, ...changeProblems },
      },
    },
    async (request) => {
      const { id } = request.params;
      const body = request.body;
      return caseView(await cases.setOutcome(principalOf(request), id, body.label, body.note));
    },
  );

  app.post(
    '/cases/:id/actions',
    {
      config: { permission: 'actions:propose' },
      schema: {
        params: idParamsSchema,
        summary: 'Propose or take an enforcement action (idempotent)',
        tags: ['actions'],
        body: proposeActionBodySchema,
        response: { 200: actionSchema, 201: actionSchema, ...changeProblems },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const body = request.body;
      const { action, created } = await actions.propose(principalOf(request), id, {
        type: body.type,
        ...(body.accountId !== undefined ? { accountId: body.accountId } : {}),
        ...(body.refundId !== undefined ? { refundId: body.refundId } : {}),
        ...(body.note !== undefined ? { note: body.note } : {}),
      });
      return reply.code(created ? 201 : 200).send(await oneAction(action));
    },
  );

  app.get(
    '/cases/:id/ring',
    {
      config: { permission: 'cases:read' },
      schema: {
        params: idParamsSchema,
        summary: "A ring case's ring: graph, members and their refunds, activity per day",
        tags: ['cases'],
        response: { 200: ringPageSchema, ...readProblems },
      },
    },
    async (request) => {
      const { id } = request.params;
      const page = await cases.ringView(principalOf(request), id);
      const batches = new Map<string, ActionRecord[]>();
      for (const action of await actions.list(id))
        if (action.batchId !== null)
          batches.set(action.batchId, [...(batches.get(action.batchId) ?? []), action]);
      return {
        ring: { ...page.ring, firstAt: toIsoTime(page.ring.firstAt), lastAt: toIsoTime(page.ring.lastAt) },
        live: page.live,
        graph: ringGraphView(page.graph),
        members: page.members.map((member) => ({
          ...member,
          closed:
            member.closed === null ? null : { at: toIsoTime(member.closed.at), reason: member.closed.reason },
          refunds: member.refunds.map((refund) => ({ ...refund, at: toIsoTime(refund.at) })),
        })),
        activity: page.activity.map((entry) => ({ ...entry, day: toIsoTime(entry.day).slice(0, 10) })),
        batches: await Promise.all(
          [...batches.entries()].map(([batchId, records]) =>
            batchView({ batchId, caseId: id, type: records[0]?.type ?? 'warn_customer', actions: records }),
          ),
        ),
      };
    },
  );

  app.post(
    '/cases/:id/bulk-actions',
    {
      config: { permission: 'actions:propose' },
      schema: {
        params: idParamsSchema,
        summary:
          'An action on every member of a ring case (warn all, close all: four-eyes); idempotent per member',
        tags: ['actions'],
        body: bulkActionBodySchema,
        response: { 200: actionBatchSchema, 201: actionBatchSchema, ...changeProblems },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const body = request.body;
      const { batch, created } = await actions.proposeBatch(principalOf(request), id, {
        type: body.type,
        ...(body.note !== undefined ? { note: body.note } : {}),
      });
      return reply.code(created > 0 ? 201 : 200).send(await batchView(batch));
    },
  );

  app.get(
    '/action-batches/:id',
    {
      config: { permission: 'cases:read' },
      schema: {
        params: idParamsSchema,
        summary: "A ring's bulk action: every member's action",
        tags: ['actions'],
        response: { 200: actionBatchSchema, ...readProblems },
      },
    },
    async (request) => {
      const { id } = request.params;
      return batchView(await actions.getBatch(principalOf(request), id));
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    app.post(
      `/action-batches/:id/${decision}`,
      {
        config: { permission: 'actions:approve' },
        schema: {
          params: idParamsSchema,
          summary: `${decision === 'approve' ? 'Approve (and execute)' : 'Reject'} every pending action of a bulk proposal (four-eyes)`,
          tags: ['actions'],
          body: decideBodySchema,
          response: { 200: actionBatchSchema, ...changeProblems },
        },
      },
      async (request) => {
        const { id } = request.params;
        const body = request.body;
        return batchView(await actions.decideBatch(principalOf(request), id, decision, body.note));
      },
    );
  }

  app.get(
    '/actions/:id',
    {
      config: { permission: 'cases:read' },
      schema: {
        params: idParamsSchema,
        summary: 'An action and its webhook deliveries',
        tags: ['actions'],
        response: { 200: actionSchema, ...readProblems },
      },
    },
    async (request) => {
      const { id } = request.params;
      return oneAction(await actions.get(principalOf(request), id));
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    app.post(
      `/actions/:id/${decision}`,
      {
        config: { permission: 'actions:approve' },
        schema: {
          params: idParamsSchema,
          summary: `${decision === 'approve' ? 'Approve' : 'Reject'} a proposed closure or reversal (four-eyes)`,
          tags: ['actions'],
          body: decideBodySchema,
          response: { 200: actionSchema, ...changeProblems },
        },
      },
      async (request) => {
        const { id } = request.params;
        const body = request.body;
        const action = await actions[decision](principalOf(request), id, body.note);
        return oneAction(action);
      },
    );
  }

  app.get(
    '/actions/:id/evidence.zip',
    {
      config: { permission: 'cases:read' },
      schema: {
        params: idParamsSchema,
        summary: 'The evidence package of an export_evidence action',
        tags: ['actions'],
        response: {
          200: {
            description: 'The evidence package: report.html, events.jsonl and assessments.jsonl.',
            content: { 'application/zip': { schema: zipFileSchema } },
          },
          ...readProblems,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const zip = await actions.evidenceZip(principalOf(request), id);
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="evidence-${id}.zip"`)
        .send(Buffer.from(zip));
    },
  );
}
