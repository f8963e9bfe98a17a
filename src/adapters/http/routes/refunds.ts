// Refund decisions: asked in real time (POST /v1/refunds/assess) or read back once stored.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problemSchema } from '../../../contract/problems.ts';
import {
  assessRefundBodySchema,
  refundAssessmentResponseSchema,
  refundDecisionSchema,
  refundParamsSchema,
} from '../../../contract/refunds.ts';
import { notFoundProblem, PROBLEM_CONTENT_TYPE, validationProblem } from '../problems.ts';
import { assessmentView, toIsoTime } from '../views.ts';
import type { RouteDependencies } from './dependencies.ts';

const problemResponse = { content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } };

/** Largest POST /v1/refunds/assess body: one payload. */
const ASSESS_BODY_LIMIT = 1024 * 1024;

export function registerRefundRoutes(server: FastifyInstance, { engine, store }: RouteDependencies): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/refunds/assess',
    {
      bodyLimit: ASSESS_BODY_LIMIT,
      config: { permission: 'refunds:assess' },
      schema: {
        summary: 'Assess a refund request',
        description:
          'Returns the decision (approve, return_first, review, deny) with reasons an agent can read. The request is not recorded as an event; send `refund.requested` to /v1/events for that. The assessment is stored (kind `api`).',
        tags: ['refunds'],
        body: assessRefundBodySchema,
        response: { 200: refundDecisionSchema, 400: problemResponse },
      },
    },
    async (request) => {
      const { time, ...payload } = request.body;
      const at = time === undefined ? undefined : Date.parse(time);
      const result = await engine.assessRefundRequest(payload, at);
      if (!result.ok) throw validationProblem(result.problems);
      const { record } = result;
      return {
        refundId: record.subjectId,
        decision: result.assessment.decision,
        score: record.score,
        reasons: record.reasons,
        rulePackVersion: record.rulePackVersion,
        modelVersion: record.modelVersion,
        signals: record.signals,
      };
    },
  );

  app.get(
    '/refunds/:refundId/assessment',
    {
      config: { permission: 'assessments:read' },
      schema: {
        summary: "A refund's stored assessment",
        description:
          'The assessment made when the refund.requested event was ingested, else the latest one asked through /v1/refunds/assess. `final` is the decision with the evidence that arrived since.',
        tags: ['refunds'],
        params: refundParamsSchema,
        response: { 200: refundAssessmentResponseSchema, 404: problemResponse },
      },
    },
    async (request) => {
      const { refundId } = request.params;
      const record =
        (await store.getAssessment('refund', refundId, 'request')) ??
        (await store.getAssessment('refund', refundId, 'api'));
      if (record === undefined) throw notFoundProblem(`No assessment is stored for refund "${refundId}".`);
      const final = engine.finalAssessment(refundId);
      return {
        ...assessmentView(record),
        ...(final === undefined
          ? {}
          : {
              final: {
                decision: final.decision,
                score: final.score,
                reasons: final.reasons,
                rulePackVersion: final.rulePackVersion,
                asOf: toIsoTime(Math.max(engine.riskState.lastEventAt, record.at)),
              },
            }),
      };
    },
  );
}
