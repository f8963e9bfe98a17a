// Read-only routes: the assessments (investigators' queue) and the active rule pack.
import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, validationProblem, zodProblems } from '../problems.ts';
import {
  assessmentListSchema,
  assessmentQuerySchema,
  jsonSchema,
  problemSchema,
  rulesResponseSchema,
  SHOWN_RULE_FIELDS,
} from '../schemas.ts';
import { assessmentView } from '../views.ts';
import type { RouteDependencies } from './dependencies.ts';

const problemResponse = { content: { [PROBLEM_CONTENT_TYPE]: { schema: jsonSchema(problemSchema) } } };

export function registerReadRoutes(app: FastifyInstance, { engine, store }: RouteDependencies): void {
  app.get(
    '/assessments',
    {
      config: { permission: 'assessments:list' },
      schema: {
        summary: 'List assessments',
        description: 'Refund and sign-up assessments, newest decided moment first, filtered and paged.',
        tags: ['assessments'],
        querystring: jsonSchema(assessmentQuerySchema, 'input'),
        response: { 200: jsonSchema(assessmentListSchema), 400: problemResponse },
      },
    },
    async (request) => {
      const parsed = assessmentQuerySchema.safeParse(request.query ?? {});
      if (!parsed.success) throw validationProblem(zodProblems(parsed.error));
      const { decision, accountId, subjectType, kind, limit, offset } = parsed.data;
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
        response: { 200: jsonSchema(rulesResponseSchema) },
      },
    },
    async () => {
      const { pack } = engine.rules;
      const shown = Object.fromEntries(
        Object.keys(SHOWN_RULE_FIELDS).map((field) => [field, pack[field as keyof typeof SHOWN_RULE_FIELDS]]),
      );
      return { ...shown, policy: engine.decider.policy, modelVersion: engine.model?.version ?? null };
    },
  );
}
