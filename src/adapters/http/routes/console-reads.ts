// The console's read models: refund search (personal data: audited) and the dashboard.

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ConsoleServices } from '../../../app/console.ts';
import { actorId } from '../../../app/people.ts';
import type { Clock } from '../../../app/ports.ts';
import {
  type DashboardView,
  dashboardQuerySchema,
  dashboardSchema,
  refundSearchQuerySchema,
  refundSearchSchema,
} from '../../../contract/console-reads.ts';
import { PROBLEM_CONTENT_TYPE, problemSchema } from '../../../contract/problems.ts';
import { principalOf } from '../console-auth.ts';
import { toIsoTime } from '../views.ts';

const DAY_MS = 86_400_000;

const problemResponse = { content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } };

export function registerConsoleReadRoutes(
  server: FastifyInstance,
  services: ConsoleServices,
  clock: Clock,
): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const { consoleStore, cases, audit } = services;

  app.get(
    '/refunds',
    {
      config: { permission: 'refunds:search' },
      schema: {
        summary: 'Search refund decisions by refund, order or account id',
        tags: ['refunds'],
        querystring: refundSearchQuerySchema,
        response: { 200: refundSearchSchema, 400: problemResponse },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const query = request.query;
      const state = cases.riskState();
      let target: { refundIds?: string[]; accountId?: string } = {};
      if (query.q !== undefined) {
        const order = state.orders.get(query.q);
        if (state.refunds.has(query.q)) target = { refundIds: [query.q] };
        else if (order !== undefined)
          target = {
            refundIds: (state.accounts.get(order.accountId)?.refunds ?? [])
              .filter((refund) => refund.orderId === query.q)
              .map((refund) => refund.refundId),
          };
        else target = { accountId: query.q };
      }
      const result = await consoleStore.searchRefunds({
        ...target,
        ...(query.decision ? { decisions: query.decision } : {}),
        ...(query.from ? { from: Date.parse(query.from) } : {}),
        ...(query.to ? { to: Date.parse(query.to) } : {}),
        limit: query.limit,
        offset: query.offset,
      });
      const caseByAccount = await consoleStore.casesForAccounts(result.items.map((item) => item.accountId));
      await audit.record(actorId(principal), 'refunds.search', 'refunds', {
        q: query.q,
        decision: query.decision,
        results: result.items.length,
      });
      return {
        total: result.total,
        items: result.items.map((item) => {
          const caseId = caseByAccount.get(item.accountId);
          return {
            refundId: item.refundId,
            accountId: item.accountId,
            orderId: state.refunds.get(item.refundId)?.orderId ?? null,
            at: toIsoTime(item.at),
            amountMinor: item.amountMinor,
            currency: item.currency,
            usd: item.amountUsdMinor === null ? null : item.amountUsdMinor / 100,
            decision: item.decision,
            score: item.score,
            // Stored reasons always carry their text; the port's type leaves it optional.
            reasons: item.reasons.map((reason) => ({ ...reason, text: reason.text ?? reason.code })),
            ...(caseId !== undefined ? { caseId } : {}),
          };
        }),
      };
    },
  );

  app.get(
    '/dashboard',
    {
      config: { permission: 'dashboard:read' },
      schema: {
        summary: 'Refunds assessed, decisions by type, value stopped and top reasons per day',
        description:
          'The window ends at the latest decided refund (a simulated or imported history may lie in the past). `stoppedUsd` and `fraudValueStoppedUsd` add up the refunds decided `deny` or `review` (held before the money left).',
        tags: ['dashboard'],
        querystring: dashboardQuerySchema,
        response: { 200: dashboardSchema, 400: problemResponse },
      },
    },
    async (request) => {
      const { days } = request.query;
      const latest = (await consoleStore.latestAssessmentAt()) ?? clock();
      const from = (Math.floor(latest / DAY_MS) - days + 1) * DAY_MS;
      const [perDecision, reasonTexts, openCases] = await Promise.all([
        consoleStore.decisionsPerDay(from),
        consoleStore.flaggedReasonsSince(from),
        consoleStore.countCases(['open', 'investigating']),
      ]);
      const perDay = new Map<number, DashboardView['perDay'][number]>();
      for (let day = Math.floor(from / DAY_MS); day <= Math.floor(latest / DAY_MS); day += 1)
        perDay.set(day, {
          day: toIsoTime(day * DAY_MS).slice(0, 10),
          approve: 0,
          return_first: 0,
          review: 0,
          deny: 0,
          stoppedUsd: 0,
        });
      let assessed = 0;
      let flagged = 0;
      let stoppedUsdMinor = 0;
      for (const row of perDecision) {
        const entry = perDay.get(row.day);
        assessed += row.count;
        if (entry === undefined) continue;
        if (row.decision in entry) (entry as unknown as Record<string, number>)[row.decision] = row.count;
        if (row.decision === 'deny' || row.decision === 'review') {
          flagged += row.count;
          stoppedUsdMinor += row.usdMinor;
          entry.stoppedUsd = Math.round(entry.stoppedUsd * 100 + row.usdMinor) / 100;
        }
      }
      const reasonCounts = new Map<string, number>();
      for (const text of reasonTexts)
        for (const reason of JSON.parse(text) as { code: string }[])
          reasonCounts.set(reason.code, (reasonCounts.get(reason.code) ?? 0) + 1);
      return {
        totals: { assessed, flagged, fraudValueStoppedUsd: stoppedUsdMinor / 100, openCases },
        perDay: [...perDay.values()],
        topReasons: [...reasonCounts.entries()]
          .sort((left, right) => right[1] - left[1])
          .slice(0, 10)
          .map(([code, count]) => ({ code, count })),
      };
    },
  );
}
