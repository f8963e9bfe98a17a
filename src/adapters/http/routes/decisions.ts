// The retailer's say over its decisions: the policy (read, change, simulate on history), the
// models learned from its outcomes (list, train now, promote, retire) and a candidate in shadow
// (start, compare, stop). Changes are audited by the service.

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ConsoleServices } from '../../../app/console.ts';
import type { Result } from '../../../app/learning/decision-settings.ts';
import { actorId } from '../../../app/people.ts';
import type { StoredModel } from '../../../app/ports.ts';
import { timestampSchema } from '../../../core/events.ts';
import { consoleCall, principalOf } from '../console-auth.ts';
import { notFoundProblem, validationProblem } from '../problems.ts';
import { toIsoTime } from '../views.ts';

const policyChangeSchema = z.object({
  policy: z.unknown().describe('The whole decision policy (see GET; validated as the rule pack’s `policy`).'),
  note: z.string().trim().max(2000).optional(),
});
const simulationSchema = z.object({
  policy: z.unknown().optional().describe('A proposed policy to run beside the one in force.'),
  from: timestampSchema.optional().describe('Refunds requested from this moment.'),
  to: timestampSchema.optional().describe('Refunds requested before this moment.'),
});
const shadowSchema = z.object({
  pack: z.string().min(1).max(1_000_000).optional().describe('A candidate rule pack, as YAML text.'),
  modelVersion: z.string().min(1).optional().describe('A stored model to try.'),
});
const versionParams = z.object({ version: z.string().min(1) });

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw validationProblem(result.problems);
  return result.value;
}

function modelView({ model, status, promotedAt }: StoredModel) {
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
      schema: { summary: 'The decision policy in force, the pack’s default and every change', tags },
    },
    async () => {
      const view = await decisions.policy();
      return {
        effective: view.effective,
        packDefault: view.packDefault,
        history: view.history.map((record) => ({ ...record, createdAt: toIsoTime(record.createdAt) })),
      };
    },
  );

  app.put(
    '/decisions/policy',
    {
      config: { permission: 'policy:manage' },
      schema: {
        summary: 'Change the decision policy (audited)',
        tags,
        body: policyChangeSchema,
      },
    },
    async (request) =>
      consoleCall(async () => {
        const body = request.body;
        const record = unwrap(
          await decisions.setPolicy(actorId(principalOf(request)), body.policy, body.note),
        );
        return { ...record, createdAt: toIsoTime(record.createdAt) };
      }),
  );

  app.post(
    '/decisions/policy/simulate',
    {
      config: { permission: 'decisions:read' },
      schema: {
        summary: 'What each threshold, the policy in force and a proposed one would have done on history',
        tags,
        body: simulationSchema,
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
      schema: { summary: 'Models learned from the retailer’s outcomes, newest first', tags },
    },
    async () => ({ items: (await decisions.models()).map(modelView) }),
  );

  app.post(
    '/decisions/models/train',
    {
      config: { permission: 'models:manage' },
      schema: {
        summary: 'Train on every label now; promoted only if it beats the live model (audited)',
        tags,
      },
    },
    async (request) =>
      consoleCall(async () => {
        const report = await decisions.train(actorId(principalOf(request)));
        const { result } = report;
        return {
          at: toIsoTime(report.at),
          promoted: report.promoted,
          outcome: result.kind,
          ...(result.kind === 'trained'
            ? {
                model: modelView({
                  model: result.model,
                  status: report.promoted ? 'promoted' : 'rejected',
                  promotedAt: null,
                }),
              }
            : { message: result.message, labels: { fraud: result.fraud, honest: result.honest } }),
        };
      }),
  );

  for (const action of ['promote', 'retire'] as const)
    app.post(
      `/decisions/models/:version/${action}`,
      {
        config: { permission: 'models:manage' },
        schema: {
          params: versionParams,
          summary:
            action === 'promote' ? 'Put a model in force (audited)' : 'Take a model out of force (audited)',
          tags,
        },
      },
      async (request) =>
        consoleCall(async () => {
          const { version } = request.params;
          const actor = actorId(principalOf(request));
          const result =
            action === 'promote'
              ? await decisions.promote(actor, version)
              : await decisions.retire(actor, version);
          if (!result.ok && result.problems[0]?.reason.startsWith('no model'))
            throw notFoundProblem(`no model ${version}`);
          return modelView(unwrap(result));
        }),
    );

  app.get(
    '/decisions/shadow',
    {
      config: { permission: 'decisions:read' },
      schema: { summary: 'The shadow candidate’s decisions against the live ones', tags },
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
        tags,
        body: shadowSchema,
      },
    },
    async (request, reply) =>
      consoleCall(async () => {
        const body = request.body;
        const started = unwrap(
          await decisions.startShadow(actorId(principalOf(request)), {
            packText: body.pack,
            modelVersion: body.modelVersion,
          }),
        );
        return reply.code(201).send(started);
      }),
  );

  app.delete(
    '/decisions/shadow',
    {
      config: { permission: 'models:manage' },
      schema: { summary: 'Stop the shadow candidate (audited)', tags },
    },
    async (request) =>
      consoleCall(async () => {
        await decisions.stopShadow(actorId(principalOf(request)));
        return { stopped: true };
      }),
  );
}
