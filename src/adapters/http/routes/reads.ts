// Read-only routes: the assessments (investigators' queue) and the active rule pack.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problemSchema } from '../../../contract/problems.ts';
import { assessmentListSchema, assessmentQuerySchema } from '../../../contract/refunds.ts';
import { rulesResponseSchema, SHOWN_RULE_FIELDS } from '../../../contract/rules.ts';
import { PROBLEM_CONTENT_TYPE } from '../problems.ts';
import { assessmentView } from '../views.ts';
import type { RouteDependencies } from './dependencies.ts';

const problemResponse = { content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } };

export function registerReadRoutes(server: FastifyInstance, { engine, store }: RouteDependencies): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/assessments',
    {
      config: { permission: 'assessments:list' },
      schema: {
        summary: 'List assessments',
        description: 'Refund and sign-up assessments, newest decided moment first, filtered and paged.',
        tags: ['assessments'],
        querystring: assessmentQuerySchema,
        response: { 200: assessmentListSchema, 400: problemResponse },
      },
    },
    async (request) => {
      const { decision, accountId, subjectType, kind, limit, offset } = request.query;
      const records = await store.listAssessments({
        ...(decision !== undefined && decision.length > 0 ? { decisions: decision } : {}),
        ...(accountId !== undefined ? { accountId } : {}),
        ...(subjectType !== undefined ? { subjectType } : {}),
        ...(kind !== undefined ? { kind } : {}),
        limit,
        offset,
      });
      return { items: records.map(assessmentView), limit, offset };
    },
  );

  app.get(
    '/rules',
    {
      config: { permission: 'rules:read' },
      schema: {
        summary: 'The active rule pack',
        tags: ['rules'],
        response: { 200: rulesResponseSchema },
      },
    },
    async () => {
      const { pack } = engine.rules;
      const shown = Object.fromEntries(
        Object.keys(SHOWN_RULE_FIELDS).map((field) => [field, pack[field as keyof typeof SHOWN_RULE_FIELDS]]),
      );
      return {
        ...(shown as Pick<typeof pack, keyof typeof SHOWN_RULE_FIELDS>),
        policy: engine.decider.policy,
        modelVersion: engine.model?.version ?? null,
      };
    },
  );
}
