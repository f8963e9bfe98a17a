// A stand-in for the console API, built from docs/console-api.md alone: sessions with a CSRF token,
// cases, timelines, four-eyes actions, refunds and the dashboard over deterministic fixture data.
// It checks the console's pages quickly and independently of any simulated world (and let the
// console be built before the server side existed); investigator-flow.test.ts runs the same flow
// against the real server.
import { randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { webConsole } from '../../src/adapters/http/web-console.ts';

export const MOCK_PASSWORD = 'correct horse battery';
export const MOCK_USERS = [
  { id: 'u-inv', email: 'ines@retailer.test', name: 'Inès Martin', role: 'investigator' },
  { id: 'u-sup', email: 'sam@retailer.test', name: 'Sam Okafor', role: 'supervisor' },
  { id: 'u-ana', email: 'ana@retailer.test', name: 'Ana Silva', role: 'analyst' },
] as const;
type MockUser = (typeof MOCK_USERS)[number];

const DAY = 86_400_000;
const NOW = Date.parse('2026-10-31T18:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const REASONS = [
  {
    code: 'contact_from_third_party',
    text: 'The refund contact came from a device and IP range never seen on this account.',
  },
  {
    code: 'empty_box_claim_weight_ok',
    text: 'Carrier weight at delivery matches the full shipment; the box was not empty.',
  },
  { code: 'hot_goods_burst', text: '4 high-value orders in hot categories within 9 days.' },
  { code: 'scripted_story', text: 'The chat follows a refund-service script seen on 37 other accounts.' },
  { code: 'ftid_return', text: 'Return tracking delivered to a postal code other than the warehouse.' },
  {
    code: 'agent_override',
    text: 'Approved with a policy override by an agent with a high share of flagged approvals.',
  },
];
const TYPES = ['refund', 'refund', 'refund', 'ring', 'insider', 'ban_evasion', 'intel'] as const;
const STATUSES = ['open', 'open', 'open', 'investigating', 'actioned', 'dismissed', 'closed'] as const;
const MARKETS = ['US', 'US', 'CA', 'UK', 'DE', 'NL'];
const TRANSITIONS: Record<string, string[]> = {
  open: ['investigating'],
  investigating: ['open', 'actioned', 'dismissed'],
  actioned: ['closed'],
  dismissed: ['closed'],
  closed: [],
};

interface MockAction {
  id: string;
  caseId: string;
  type: string;
  target: { accountId?: string; refundId?: string };
  status: string;
  proposedBy: { id: string; name: string };
  proposedAt: string;
  decidedBy?: { id: string; name: string };
  decidedAt?: string;
  note?: string;
  deliveries: { webhookId: string; status: string; attempts: number; lastAttemptAt: string }[];
}

interface MockCase {
  id: string;
  type: string;
  subjectType: string;
  subjectId: string;
  title: string;
  status: string;
  priorityUsd: number;
  marketplace: string;
  assignee?: { id: string; name: string };
  openedAt: string;
  updatedAt: string;
  refundCount: number;
  topReasons: string[];
  history: { from: string; to: string; by: { id: string; name: string }; at: string; note?: string }[];
  notes: { id: string; by: { id: string; name: string }; at: string; text: string }[];
  outcome?: { label: string; by: { id: string; name: string }; at: string };
  actions: MockAction[];
  closed: boolean;
}

function fixtureCases(count: number): MockCase[] {
  const cases: MockCase[] = [];
  for (let i = 0; i < count; i++) {
    const type = TYPES[i % TYPES.length] ?? 'refund';
    const subjectType = type === 'ring' ? 'ring' : type === 'insider' ? 'agent' : 'account';
    const subjectId =
      subjectType === 'agent'
        ? `agent-${100 + i}`
        : subjectType === 'ring'
          ? `ring-${i}`
          : `acc-${4000 + i * 7}`;
    const opened = NOW - ((i * 37) % 60) * DAY - i * 3_600_000;
    const refundCount = 1 + (i % 4);
    cases.push({
      id: `case-${String(i + 1).padStart(4, '0')}`,
      type,
      subjectType,
      subjectId,
      title:
        type === 'refund'
          ? `Empty-box claim on ${refundCount} Apple order${refundCount > 1 ? 's' : ''}`
          : type === 'ring'
            ? `Ring of ${3 + (i % 9)} accounts sharing a refunder device`
            : type === 'insider'
              ? `Agent approvals for flagged refunds`
              : type === 'ban_evasion'
                ? 'Re-registration of a closed fraudster'
                : 'Vouch screenshot matches an order',
      status: STATUSES[(i * 3 + Math.floor(i / 7)) % STATUSES.length] ?? 'open',
      priorityUsd: Math.round(9_800 * Math.exp(-i / 40) + 120 + ((i * 131) % 400)),
      marketplace: MARKETS[i % MARKETS.length] ?? 'US',
      ...(i % 3 === 0 ? { assignee: { id: 'u-inv', name: 'Inès Martin' } } : {}),
      openedAt: iso(opened),
      updatedAt: iso(opened + DAY),
      refundCount,
      topReasons: [
        REASONS[i % 6]?.code ?? '',
        REASONS[(i + 2) % 6]?.code ?? '',
        REASONS[(i + 3) % 6]?.code ?? '',
      ],
      history: [{ from: '', to: 'open', by: { id: 'system', name: 'refundguard' }, at: iso(opened) }],
      notes: [],
      actions: [],
      closed: false,
    });
  }
  return cases.sort((a, b) => b.priorityUsd - a.priorityUsd);
}

function timelineFor(item: MockCase) {
  const accountId = item.subjectType === 'account' ? item.subjectId : 'acc-4001';
  const start = Date.parse(item.openedAt) - 40 * DAY;
  const at = (days: number, hours = 12) => iso(start + days * DAY + hours * 3_600_000);
  const items: unknown[] = [
    {
      at: at(0),
      type: 'account.login',
      id: 'l1',
      summary: 'Login from home device',
      data: { deviceId: 'dev-home-71', ip: '73.12.44.9' },
    },
    {
      at: at(2),
      type: 'order.placed',
      id: 'o-1',
      summary: 'Order o-1: AirPods Pro ($249.00)',
      data: {
        orderId: 'o-1',
        currency: 'USD',
        items: [{ title: 'AirPods Pro', priceMinor: 24_900 }],
        deviceId: 'dev-home-71',
      },
    },
    {
      at: at(4),
      type: 'order.delivered',
      id: 'o-1',
      summary: 'Delivered by UPS, signed',
      data: { orderId: 'o-1', carrier: 'UPS', signature: true },
    },
  ];
  for (let n = 0; n < item.refundCount; n++) {
    const day = 20 + n * 3;
    const orderId = `o-${n + 2}`;
    const refundId = `r-${item.id}-${n + 1}`;
    items.push(
      {
        at: at(day),
        type: 'order.placed',
        id: orderId,
        summary: `Order ${orderId}: MacBook Air 13" ($1,299.00)`,
        data: {
          orderId,
          currency: 'USD',
          items: [{ title: 'MacBook Air 13"', priceMinor: 129_900 }],
          paymentFingerprint: 'card-5521',
        },
      },
      {
        at: at(day + 2),
        type: 'order.delivered',
        id: orderId,
        summary: 'Delivered by FedEx, 2.31 kg',
        data: { orderId, carrier: 'FedEx', weightGrams: 2310 },
      },
      {
        at: at(day + 3, 3),
        type: 'contact.created',
        id: `c-${n + 1}`,
        summary: 'Chat about the order, from another device (VPN, de-DE, UTC+3)',
        data: {
          contactId: `c-${n + 1}`,
          channel: 'chat',
          orderId,
          deviceId: 'dev-ref-9',
          ip: '185.220.101.4',
          language: 'de-DE',
          agentId: 'agent-117',
        },
        messages: [
          {
            from: 'customer',
            text: 'Hi, my order arrived but the box was completely empty. I need a full refund.',
          },
          { from: 'agent', text: 'I am sorry to hear that. Could you confirm the order number?' },
          {
            from: 'customer',
            text: `${orderId}. The seal was broken and there was nothing inside. I will dispute with my bank if this is not solved today.`,
          },
          { from: 'agent', text: 'I have submitted the refund request for review.' },
        ],
      },
      {
        at: at(day + 3, 4),
        type: 'refund.requested',
        id: refundId,
        summary: `Refund ${refundId}: $1,299.00, empty box, via chat`,
        data: {
          refundId,
          orderId,
          amountMinor: 129_900,
          currency: 'USD',
          reason: 'empty_box',
          channel: 'chat',
        },
        assessment: {
          decision: n % 2 === 0 ? 'deny' : 'review',
          score: 0.91 - n * 0.07,
          reasons: [REASONS[0], REASONS[1], REASONS[3]],
        },
      },
      {
        at: at(day + 4),
        type: 'agent.action',
        id: `a-${n + 1}`,
        summary: 'agent-117 approved the refund with a policy override',
        data: { agentId: 'agent-117', action: 'refund.approved', refundId },
      },
    );
  }
  items.push({
    at: at(38),
    type: 'return.updated',
    id: 'ret-1',
    summary: 'Return label delivered to 10115 (warehouse is 43215)',
    data: { status: 'delivered', destinationPostalCode: '10115', carrier: 'DHL' },
  });
  return {
    account: {
      accountId,
      email: 'jordan.lee@example.com',
      name: 'Jordan Lee',
      marketplace: item.marketplace,
      createdAt: at(-400),
      closed: item.closed,
    },
    items,
    linkedAccounts: [
      { accountId: 'acc-8812', via: ['device', 'ip_range'], closed: false },
      { accountId: 'acc-9034', via: ['device'], closed: true },
      { accountId: 'acc-1203', via: ['card'], closed: false },
    ],
  };
}

function refundRows(count: number) {
  const decisions = ['approve', 'approve', 'approve', 'return_first', 'review', 'deny'];
  return Array.from({ length: count }, (_, i) => ({
    refundId: `r-${10_000 + i}`,
    accountId: `acc-${4000 + ((i * 13) % 900)}`,
    orderId: `o-${70_000 + i}`,
    at: iso(NOW - i * 5_400_000),
    amountMinor: 2_000 + ((i * 7919) % 190_000),
    currency: i % 5 === 0 ? 'EUR' : 'USD',
    usd: (2_000 + ((i * 7919) % 190_000)) / 100,
    decision: decisions[i % decisions.length],
    score: ((i * 37) % 100) / 100,
    reasons: i % 6 >= 3 ? [REASONS[i % 6]] : [],
    ...(i % 6 >= 4 ? { caseId: `case-${String((i % 50) + 1).padStart(4, '0')}` } : {}),
  }));
}

function dashboard(days: number) {
  const perDay = Array.from({ length: days }, (_, i) => {
    const wave = 1 + 0.5 * Math.sin(i / 3);
    return {
      day: iso(NOW - (days - 1 - i) * DAY).slice(0, 10),
      approve: Math.round(380 * wave + (i % 7) * 9),
      return_first: Math.round(30 * wave),
      review: Math.round(22 * wave + (i % 5)),
      deny: Math.round(9 * wave + (i % 3)),
      stoppedUsd: Math.round(14_000 * wave + (i % 4) * 2_100),
    };
  });
  const assessed = perDay.reduce((sum, d) => sum + d.approve + d.return_first + d.review + d.deny, 0);
  const flagged = perDay.reduce((sum, d) => sum + d.review + d.deny, 0);
  return {
    totals: {
      assessed,
      flagged,
      fraudValueStoppedUsd: perDay.reduce((s, d) => s + d.stoppedUsd, 0),
      openCases: 86,
    },
    perDay,
    topReasons: REASONS.map((reason, i) => ({ code: reason.code, count: 900 - i * 130 })),
  };
}

function problem(reply: FastifyReply, status: number, title: string, detail: string) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title, status, detail });
}

export interface MockServer {
  app: FastifyInstance;
  baseUrl: string;
  close(): Promise<void>;
}

/** Serves the built console and a contract mock of /v1 on a loopback port. */
export async function startMockServer(
  options: { cases?: number; consoleRoot?: string } = {},
): Promise<MockServer> {
  const cases = fixtureCases(options.cases ?? 240);
  const refunds = refundRows(1_200);
  const sessions = new Map<string, { user: MockUser; csrfToken: string }>();
  let sequence = 0;
  const app = Fastify();
  await app.register(cookie);
  await app.register(webConsole, options.consoleRoot ? { root: options.consoleRoot } : {});

  const sessionOf = (request: FastifyRequest) => sessions.get(request.cookies.rg_session ?? '');
  const view = (item: MockCase) => {
    const { history, notes, outcome, actions, closed, ...summary } = item;
    return summary;
  };
  const detail = (item: MockCase, user: MockUser) => ({
    ...view(item),
    history: item.history,
    notes: item.notes,
    ...(item.outcome ? { outcome: item.outcome } : {}),
    actions: item.actions,
    evidence: [
      {
        kind: 'assessment',
        refId: `r-${item.id}-1`,
        summary: 'Refund denied: third-party contact, weight proves delivery',
        at: item.openedAt,
      },
      {
        kind: 'ring',
        refId: 'ring-12',
        summary: 'Shares refunder device dev-ref-9 with 37 accounts',
        at: item.openedAt,
      },
    ],
    allowedTransitions: user.role === 'analyst' ? [] : (TRANSITIONS[item.status] ?? []),
    availableActions:
      user.role === 'analyst'
        ? []
        : [
            'warn_customer',
            'require_return',
            'deny_refund',
            'close_account',
            'reverse_refund',
            'export_evidence',
          ],
  });

  await app.register(
    async (v1) => {
      v1.addHook('onRequest', async (request, reply) => {
        if (request.url.startsWith('/v1/session') && request.method !== 'DELETE') return;
        const session = sessionOf(request);
        if (!session) return problem(reply, 401, 'Unauthorized', 'Sign in first.');
        if (request.method !== 'GET' && request.headers['x-csrf-token'] !== session.csrfToken)
          return problem(reply, 403, 'Forbidden', 'Missing or wrong CSRF token.');
      });
      v1.post('/session', async (request, reply) => {
        const body = (request.body ?? {}) as { email?: string; password?: string };
        const user = MOCK_USERS.find((candidate) => candidate.email === body.email);
        if (!user || body.password !== MOCK_PASSWORD)
          return problem(reply, 401, 'Unauthorized', 'Wrong e-mail or password.');
        const id = randomBytes(16).toString('hex');
        const csrfToken = randomBytes(16).toString('hex');
        sessions.set(id, { user, csrfToken });
        reply.setCookie('rg_session', id, { httpOnly: true, sameSite: 'strict', path: '/' });
        return { user, csrfToken };
      });
      v1.get('/session', async (request, reply) => {
        const session = sessionOf(request);
        if (!session) return problem(reply, 401, 'Unauthorized', 'No session.');
        return session;
      });
      v1.delete('/session', async (request, reply) => {
        sessions.delete(request.cookies.rg_session ?? '');
        return reply.code(204).send();
      });
      v1.get('/cases', async (request) => {
        const q = request.query as Record<string, string | undefined>;
        const statuses = q.status ? q.status.split(',') : undefined;
        const types = q.type ? q.type.split(',') : undefined;
        const base = cases.filter(
          (item) =>
            (!q.marketplace || item.marketplace === q.marketplace) &&
            (!q.minUsd || item.priorityUsd >= Number(q.minUsd)) &&
            (!q.maxAgeDays || Date.parse(item.openedAt) >= NOW - Number(q.maxAgeDays) * DAY),
        );
        const count = (key: 'status' | 'type', among: MockCase[]) =>
          among.reduce<Record<string, number>>((acc, item) => {
            acc[item[key]] = (acc[item[key]] ?? 0) + 1;
            return acc;
          }, {});
        const matching = base.filter(
          (item) => (!statuses || statuses.includes(item.status)) && (!types || types.includes(item.type)),
        );
        const limit = Number(q.limit ?? 50);
        const offset = Number(q.offset ?? 0);
        return {
          items: matching.slice(offset, offset + limit).map(view),
          total: matching.length,
          counts: {
            status: count(
              'status',
              base.filter((item) => !types || types.includes(item.type)),
            ),
            type: count(
              'type',
              base.filter((item) => !statuses || statuses.includes(item.status)),
            ),
          },
        };
      });
      const findCase = (request: FastifyRequest, reply: FastifyReply) => {
        const { id } = request.params as { id: string };
        const item = cases.find((candidate) => candidate.id === id);
        if (!item) void problem(reply, 404, 'Not Found', `No case ${id}.`);
        return item;
      };
      v1.get('/cases/:id', async (request, reply) => {
        const item = findCase(request, reply);
        const session = sessionOf(request);
        return item && session ? detail(item, session.user) : reply;
      });
      v1.get('/cases/:id/timeline', async (request, reply) => {
        const item = findCase(request, reply);
        return item ? timelineFor(item) : reply;
      });
      v1.post('/cases/:id/transition', async (request, reply) => {
        const item = findCase(request, reply);
        const session = sessionOf(request);
        if (!item || !session) return reply;
        const { to, note } = request.body as { to: string; note?: string };
        if (!(TRANSITIONS[item.status] ?? []).includes(to))
          return problem(reply, 409, 'Conflict', `A case cannot move from ${item.status} to ${to}.`);
        item.history.push({
          from: item.status,
          to,
          by: session.user,
          at: iso(Date.now()),
          ...(note ? { note } : {}),
        });
        item.status = to;
        return detail(item, session.user);
      });
      v1.post('/cases/:id/assign', async (request, reply) => {
        const item = findCase(request, reply);
        const session = sessionOf(request);
        if (!item || !session) return reply;
        const { userId } = request.body as { userId: string | null };
        const user = MOCK_USERS.find((candidate) => candidate.id === userId);
        if (user) item.assignee = { id: user.id, name: user.name };
        else delete item.assignee;
        return detail(item, session.user);
      });
      v1.post('/cases/:id/notes', async (request, reply) => {
        const item = findCase(request, reply);
        const session = sessionOf(request);
        if (!item || !session) return reply;
        const note = {
          id: `n-${++sequence}`,
          by: session.user,
          at: iso(Date.now()),
          text: (request.body as { text: string }).text,
        };
        item.notes.push(note);
        return note;
      });
      v1.post('/cases/:id/outcome', async (request, reply) => {
        const item = findCase(request, reply);
        const session = sessionOf(request);
        if (!item || !session) return reply;
        item.outcome = {
          label: (request.body as { label: string }).label,
          by: session.user,
          at: iso(Date.now()),
        };
        return detail(item, session.user);
      });
      v1.post('/cases/:id/actions', async (request, reply) => {
        const item = findCase(request, reply);
        const session = sessionOf(request);
        if (!item || !session) return reply;
        const body = request.body as { type: string; accountId?: string; refundId?: string; note?: string };
        const existing = item.actions.find(
          (action) =>
            action.type === body.type &&
            action.target.accountId === body.accountId &&
            action.target.refundId === body.refundId,
        );
        if (existing) return reply.code(201).send(existing);
        const fourEyes = body.type === 'close_account' || body.type === 'reverse_refund';
        const action: MockAction = {
          id: `act-${++sequence}`,
          caseId: item.id,
          type: body.type,
          target: {
            ...(body.accountId ? { accountId: body.accountId } : {}),
            ...(body.refundId ? { refundId: body.refundId } : {}),
          },
          status: fourEyes ? 'proposed' : 'executed',
          proposedBy: { id: session.user.id, name: session.user.name },
          proposedAt: iso(Date.now()),
          ...(body.note ? { note: body.note } : {}),
          deliveries: fourEyes
            ? []
            : [{ webhookId: 'wh-1', status: 'delivered', attempts: 1, lastAttemptAt: iso(Date.now()) }],
        };
        item.actions.push(action);
        return reply.code(201).send(action);
      });
      const decide = (approve: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
        const session = sessionOf(request);
        const { id } = request.params as { id: string };
        const item = cases.find((candidate) => candidate.actions.some((action) => action.id === id));
        const action = item?.actions.find((candidate) => candidate.id === id);
        if (!item || !action || !session) return problem(reply, 404, 'Not Found', `No action ${id}.`);
        if (session.user.role !== 'supervisor')
          return problem(reply, 403, 'Forbidden', 'Only a supervisor may decide.');
        if (action.proposedBy.id === session.user.id)
          return problem(reply, 403, 'Forbidden', 'No one approves their own proposal.');
        action.status = approve ? 'executed' : 'rejected';
        action.decidedBy = { id: session.user.id, name: session.user.name };
        action.decidedAt = iso(Date.now());
        if (approve) {
          action.deliveries = [
            { webhookId: 'wh-1', status: 'delivered', attempts: 1, lastAttemptAt: iso(Date.now()) },
          ];
          if (action.type === 'close_account') item.closed = true;
        }
        return action;
      };
      v1.post('/actions/:id/approve', decide(true));
      v1.post('/actions/:id/reject', decide(false));
      v1.get('/refunds', async (request) => {
        const q = request.query as Record<string, string | undefined>;
        const decisions = q.decision ? q.decision.split(',') : undefined;
        const matching = refunds.filter(
          (row) =>
            (!q.q || row.refundId === q.q || row.orderId === q.q || row.accountId === q.q) &&
            (!decisions || decisions.includes(row.decision ?? '')),
        );
        const limit = Number(q.limit ?? 50);
        const offset = Number(q.offset ?? 0);
        return { items: matching.slice(offset, offset + limit), total: matching.length };
      });
      v1.get('/dashboard', async (request) =>
        dashboard(Number((request.query as { days?: string }).days ?? 30)),
      );
    },
    { prefix: '/v1' },
  );

  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}
