// The retailer's say over its decisions: the policy (read, change, simulate on history), the
// models learned from its outcomes (list, train now, promote, retire) and a candidate in shadow
// (start, compare, stop). Changes are audited by the service.

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { ConsoleServices } from '../../../app/console.ts';
import type { Result } from '../../../app/learning/decision-settings.ts';
import { actorId } from '../../../app/people.ts';
import type { PolicyRecord, StoredModel } from '../../../app/ports.ts';
import {
  type DecisionModelView,
  decisionModelSchema,
  modelListSchema,
  modelVersionParamsSchema,
  type PolicyRecordView,
  policyChangeBodySchema,
  policyRecordSchema,
  policySimulationSchema,
  policyViewSchema,
  shadowReportSchema,
  shadowStartBodySchema,
  shadowStartedSchema,
  shadowStoppedSchema,
  simulationBodySchema,
  trainResultSchema,
} from '../../../contract/decisions.ts';
import { problemSchema } from '../../../contract/problems.ts';
import { principalOf } from '../console-auth.ts';
import { notFoundProblem, PROBLEM_CONTENT_TYPE, validationProblem } from '../problems.ts';
import { toIsoTime } from '../views.ts';

const problemResponse = { content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } };

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw validationProblem(result.problems);
  return result.value;
}

function policyRecordView(record: PolicyRecord): PolicyRecordView {
  return { ...record, createdAt: toIsoTime(record.createdAt) };
}

function modelView({ model, status, promotedAt }: StoredModel): DecisionModelView {
  return {
    ...model,
    status,
    promotedAt: promotedAt === null ? null : toIsoTime(promotedAt),
    trainedAt: toIsoTime(model.trainedAt),
    labelsBefore: toIsoTime(model.labelsBefore),
  };
}

export function registerDecisionRoutes(server: FastifyInstance, services: ConsoleServices): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const { decisions } = services;
  const tags = ['decisions'];

  app.get(
    '/decisions/policy',
    {
      config: { permission: 'decisions:read' },
      schema: {
        summary: 'The decision policy in force, the pack’s default and every change',
        tags,
        response: { 200: policyViewSchema },
      },
    },
    async (): Promise<z.output<typeof policyViewSchema>> => {
      const view = await decisions.policy();
      return {
        effective: view.effective,
        packDefault: view.packDefault,
        history: view.history.map(policyRecordView),
      };
    },
  );

  app.put(
    '/decisions/policy',
    {
      config: { permission: 'policy:manage' },
      schema: {
        summary: 'Change the decision policy (audited)',
        description:
          'The engine decides with it from the next refund on; audited as `policy.changed`. An invalid policy answers 400 naming the fields inside it (`reviewCapacity.share`, `reviewFrom`, …).',
        tags,
        body: policyChangeBodySchema,
        response: { 200: policyRecordSchema, 400: problemResponse },
      },
    },
    async (request) => {
      const { policy, note } = request.body;
      return policyRecordView(unwrap(await decisions.setPolicy(actorId(principalOf(request)), policy, note)));
    },
  );

  app.post(
    '/decisions/policy/simulate',
    {
      config: { permission: 'decisions:read' },
      schema: {
        summary: 'What each threshold, the policy in force and a proposed one would have done on history',
        description:
          'On the assessed refunds requested in [`from`, `to`) (all by default). Counted figures use labelled outcomes, `expected*` ones the probabilities. It changes nothing, but is a POST: with a session it needs the CSRF header.',
        tags,
        body: simulationBodySchema,
        response: { 200: policySimulationSchema, 400: problemResponse },
      },
    },
    async (request) => {
      const body = request.body;
      return unwrap(
        decisions.simulate(
          body.policy,
          body.from === undefined ? undefined : Date.parse(body.from),
          body.to === undefined ? undefined : Date.parse(body.to),
        ),
      );
    },
  );

  app.get(
    '/decisions/models',
    {
      config: { permission: 'decisions:read' },
      schema: {
        summary: 'Models learned from the retailer’s outcomes, newest first',
        tags,
        response: { 200: modelListSchema },
      },
    },
    async () => ({ items: (await decisions.models()).map(modelView) }),
  );

  app.post(
    '/decisions/models/train',
    {
      config: { permission: 'models:manage' },
      schema: {
        summary: 'Train on every label now; promoted only if it beats the live model (audited)',
        description:
          'The candidate is promoted only if it beats the live scorer’s log loss on the held-out period, and stored `rejected` otherwise; audited as `model.trained`.',
        tags,
        response: { 200: trainResultSchema },
      },
    },
    async (request): Promise<z.output<typeof trainResultSchema>> => {
      const report = await decisions.train(actorId(principalOf(request)));
      const { result } = report;
      const at = toIsoTime(report.at);
      return result.kind === 'trained'
        ? {
            at,
            promoted: report.promoted,
            outcome: result.kind,
            model: modelView({
              model: result.model,
              status: report.promoted ? 'promoted' : 'rejected',
              promotedAt: null,
            }),
          }
        : {
            at,
            promoted: report.promoted,
            outcome: result.kind,
            message: result.message,
            labels: { fraud: result.fraud, honest: result.honest },
          };
    },
  );

  for (const action of ['promote', 'retire'] as const)
    app.post(
      `/decisions/models/:version/${action}`,
      {
        config: { permission: 'models:manage' },
        schema: {
          params: modelVersionParamsSchema,
          summary:
            action === 'promote' ? 'Put a model in force (audited)' : 'Take a model out of force (audited)',
          description: `An unknown version answers 404${action === 'promote' ? ', a model made for another rule pack’s evidence 400' : ''}; audited as \`model.${action === 'promote' ? 'promoted' : 'retired'}\`.`,
          tags,
          response: { 200: decisionModelSchema, 400: problemResponse, 404: problemResponse },
        },
      },
      async (request) => {
        const { version } = request.params;
        const actor = actorId(principalOf(request));
        const result =
          action === 'promote'
            ? await decisions.promote(actor, version)
            : await decisions.retire(actor, version);
        if (!result.ok && result.problems[0]?.reason.startsWith('no model'))
          throw notFoundProblem(`no model ${version}`);
        return modelView(unwrap(result));
      },
    );

  app.get(
    '/decisions/shadow',
    {
      config: { permission: 'decisions:read' },
      schema: {
        summary: 'The shadow candidate’s decisions against the live ones',
        tags,
        response: { 200: shadowReportSchema },
      },
    },
    async () => {
      const report = await decisions.shadowReport();
      return {
        ...report,
        since: report.since === null ? null : toIsoTime(report.since),
        differences: report.differences.map((record) => ({ ...record, at: toIsoTime(record.at) })),
      };
    },
  );

  app.post(
    '/decisions/shadow',
    {
      config: { permission: 'models:manage' },
      schema: {
        summary: 'Start a candidate in shadow: a rule pack, a stored model, or both (audited)',
        description:
          'It decides every refund beside the live decider and changes nothing a customer sees; it replaces any candidate running. Give `pack`, `modelVersion` or both; audited as `shadow.started`.',
        tags,
        body: shadowStartBodySchema,
        response: { 201: shadowStartedSchema, 400: problemResponse },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const started = unwrap(
        await decisions.startShadow(actorId(principalOf(request)), {
          packText: body.pack,
          modelVersion: body.modelVersion,
        }),
      );
      return reply.code(201).send(started);
    },
  );

  app.delete(
    '/decisions/shadow',
    {
      config: { permission: 'models:manage' },
      schema: {
        summary: 'Stop the shadow candidate (audited)',
        description: 'Audited as `shadow.stopped`.',
        tags,
        response: { 200: shadowStoppedSchema },
      },
    },
    async (request) => {
      await decisions.stopShadow(actorId(principalOf(request)));
      return { stopped: true as const };
    },
  );
}
