// The API keeps its published contract: every documented operation declares what it answers, and
// a walk through the whole API (ingest, decide, work a case, act with four eyes, administer, tune
// the policy and models) is checked reply by reply against docs/openapi.json's schemas, with a
// JSON Schema validator independent of the zod serialiser that produced the replies.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../src/adapters/http/api-docs.ts';
import {
  type ConsoleTestServer,
  createConsoleTestServer,
  type SignedIn,
  signIn,
  TEST_PASSWORD,
} from '../src/adapters/http/testing/console-server.ts';
import { storedModel } from '../src/adapters/http/testing/stored-model.ts';
import { RingWatch } from '../src/app/ring-watch.ts';
import { EMPTY_BOX_SCRIPT, EventBuilder } from '../src/core/testing/event-builder.ts';

/** Operations whose success is not JSON (a zip file, an empty 204). */
const NOT_JSON = new Set([
  'GET /v1/actions/{id}/evidence.zip',
  'DELETE /v1/session',
  'DELETE /v1/decisions/shadow',
]);

function world(): EventBuilder {
  return new EventBuilder().refunderWorking(5, EMPTY_BOX_SCRIPT).honestRefunds(6);
}

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
}

describe('the API against its published contract', () => {
  let server: ConsoleTestServer;
  let document: OpenApiDocument;
  let admin: SignedIn;
  let supervisor: SignedIn;
  let investigator: SignedIn;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const exercised = new Set<string>();
  const failures: string[] = [];

  const templateOf = (url: string): string | undefined => {
    const path = url.split('?')[0] ?? url;
    // A fixed path wins over a template that also matches it (/webhooks/deliveries, /webhooks/{id}).
    if (document.paths[path]) return path;
    return Object.keys(document.paths).find((template) => {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`);
      return pattern.test(path);
    });
  };

  /** Calls the API and checks the reply against the documented schema of its status. */
  async function call(
    who: SignedIn | 'key' | undefined,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
  ) {
    const headers = who === 'key' ? { authorization: `Bearer ${server.adminKey}` } : (who?.headers ?? {});
    const response = await server.app.inject({
      method,
      url,
      headers,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    const template = templateOf(url);
    const operationKey = `${method} ${template}`;
    const operation = template
      ? (document.paths[template]?.[method.toLowerCase()] as Operation | undefined)
      : undefined;
    if (!operation) {
      failures.push(`${method} ${url}: not in docs/openapi.json`);
      return response;
    }
    if (response.statusCode < 300) exercised.add(operationKey);
    else if (process.env.CONTRACT_DEBUG)
      console.log(method, url, response.statusCode, response.body.slice(0, 300));
    const declared = operation.responses?.[String(response.statusCode)];
    if (!declared) {
      failures.push(`${operationKey}: answered ${response.statusCode}, which it does not declare`);
      return response;
    }
    const mediaType = String(response.headers['content-type'] ?? '').split(';')[0] ?? '';
    // Only JSON replies can be checked against a schema (a zip file is documented as bytes).
    const schema = mediaType.endsWith('json') ? declared.content?.[mediaType]?.schema : undefined;
    if (schema === undefined) {
      if (!NOT_JSON.has(operationKey))
        failures.push(`${operationKey}: no ${mediaType} schema for ${response.statusCode}`);
      return response;
    }
    const validate = ajv.compile(schema);
    if (!validate(response.json())) {
      failures.push(`${operationKey} ${response.statusCode}: ${ajv.errorsText(validate.errors)}`);
    }
    return response;
  }

  beforeAll(async () => {
    server = await createConsoleTestServer('sqlite', {
      rings: (engine) => new RingWatch(engine, () => 0, { intervalMs: 0 }),
    });
    document = server.app.swagger() as unknown as OpenApiDocument;
    [admin, supervisor, investigator] = await Promise.all([
      signIn(server.app, 'admin@test.local'),
      signIn(server.app, 'supervisor@test.local'),
      signIn(server.app, 'investigator@test.local'),
    ]);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  it('declares a JSON reply for every operation that answers with one', () => {
    const missing: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations) as [string, Operation][]) {
        const key = `${method.toUpperCase()} ${path}`;
        const success = Object.entries(operation.responses ?? {}).filter(([status]) =>
          status.startsWith('2'),
        );
        const hasJson = success.some(([, response]) => response.content?.['application/json']?.schema);
        if (!hasJson && !NOT_JSON.has(key)) missing.push(key);
      }
    }
    expect(missing).toEqual([]);
  });

  it('answers every operation as documented', async () => {
    // Systems: events, decisions, stored assessments, the rules.
    await call(undefined, 'GET', '/health');
    const events = world().raw;
    await call('key', 'POST', '/v1/events', events);
    await call('key', 'POST', '/v1/events', [
      { id: 'bad', type: 'order.placed', time: 'yesterday', data: {} },
    ]);
    const refund = events.find((event) => event.type === 'refund.requested');
    await call('key', 'POST', '/v1/refunds/assess', { ...refund?.data, refundId: 'what-if-1' });
    await call('key', 'POST', '/v1/refunds/assess', { refundId: 7 });
    await call('key', 'GET', '/v1/refunds/refund-1/assessment');
    await call('key', 'GET', '/v1/refunds/nope/assessment');
    await call('key', 'GET', '/v1/assessments?decision=review,deny&limit=5');
    await call('key', 'GET', '/v1/assessments?limit=abc');
    await call('key', 'GET', '/v1/rules');
    await call(undefined, 'GET', '/v1/rules');

    // People: a session, the queue, a case worked through its life.
    await call(undefined, 'POST', '/v1/session', { email: 'analyst@test.local', password: TEST_PASSWORD });
    const temporary = await signIn(server.app, 'analyst@test.local');
    await call(temporary, 'GET', '/v1/session');
    await call(undefined, 'POST', '/v1/session', { email: 'analyst@test.local', password: 'wrong password' });
    await call(temporary, 'DELETE', '/v1/session');
    await server.services.cases.idle();

    const queue = await call(investigator, 'GET', '/v1/cases?status=open&limit=50');
    const cases = queue.json().items as { id: string; type: string }[];
    const refundCase = cases.find((entry) => entry.type === 'refund');
    expect(refundCase).toBeDefined();
    const caseId = refundCase?.id ?? '';
    await call(investigator, 'GET', `/v1/cases/${caseId}`);
    await call(investigator, 'GET', `/v1/cases/${caseId}/timeline`);
    await call(investigator, 'GET', '/v1/cases/missing');
    await call(investigator, 'POST', `/v1/cases/${caseId}/assign`, { userId: server.users.investigator.id });
    await call(investigator, 'POST', `/v1/cases/${caseId}/transition`, { to: 'investigating' });
    await call(investigator, 'POST', `/v1/cases/${caseId}/transition`, { to: 'flying' });
    await call(investigator, 'POST', `/v1/cases/${caseId}/notes`, {
      text: 'Same device as four other claims.',
    });
    const close = await call(investigator, 'POST', `/v1/cases/${caseId}/actions`, { type: 'close_account' });
    const closeId = close.json().id as string;
    await call(investigator, 'GET', `/v1/actions/${closeId}`);
    await call(supervisor, 'POST', `/v1/actions/${closeId}/approve`, { note: 'Checked.' });
    const detail = await call(investigator, 'GET', `/v1/cases/${caseId}`);
    const refundId = (detail.json().evidence as { kind: string; refId: string }[]).find(
      (entry) => entry.kind === 'assessment',
    )?.refId;
    const reverse = await call(investigator, 'POST', `/v1/cases/${caseId}/actions`, {
      type: 'reverse_refund',
      refundId,
    });
    if (reverse.statusCode < 300) {
      await call(supervisor, 'POST', `/v1/actions/${reverse.json().id}/reject`, { note: 'Not needed.' });
    }
    const exported = await call(investigator, 'POST', `/v1/cases/${caseId}/actions`, {
      type: 'export_evidence',
    });
    await call(investigator, 'GET', `/v1/actions/${exported.json().id}/evidence.zip`);
    await call(investigator, 'POST', `/v1/cases/${caseId}/outcome`, {
      label: 'fraud',
      note: 'Refund service.',
    });

    // A ring found by the real detector: its page and actions on all members.
    await server.services.cases.idle();
    const ringQueue = await call(investigator, 'GET', '/v1/cases?type=ring');
    const ringCase = (ringQueue.json().items as { id: string }[])[0];
    expect(ringCase).toBeDefined();
    await call(investigator, 'GET', `/v1/cases/${ringCase?.id}/ring`);
    const warn = await call(investigator, 'POST', `/v1/cases/${ringCase?.id}/bulk-actions`, {
      type: 'warn_customer',
    });
    await call(investigator, 'GET', `/v1/action-batches/${warn.json().batchId}`);
    const closeAll = await call(investigator, 'POST', `/v1/cases/${ringCase?.id}/bulk-actions`, {
      type: 'close_account',
    });
    await call(supervisor, 'POST', `/v1/action-batches/${closeAll.json().batchId}/reject`, {
      note: 'Wait for intel.',
    });
    const closeAgain = await call(investigator, 'POST', `/v1/cases/${ringCase?.id}/bulk-actions`, {
      type: 'close_account',
    });
    await call(supervisor, 'POST', `/v1/action-batches/${closeAgain.json().batchId}/approve`, {});

    // Search and the dashboard.
    await call(investigator, 'GET', '/v1/refunds?q=client&limit=10');
    await call(investigator, 'GET', '/v1/dashboard?days=30');

    // Administration.
    await call(admin, 'GET', '/v1/users');
    const user = await call(admin, 'POST', '/v1/users', {
      email: 'new@test.local',
      name: 'New Person',
      role: 'analyst',
      password: 'a long enough password',
    });
    await call(admin, 'PATCH', `/v1/users/${user.json().id}`, { role: 'investigator' });
    // Four-eyes on new people: not their maker (403), a second admin (the shell's key) confirms them.
    await call(admin, 'POST', `/v1/users/${user.json().id}/confirm`);
    await call('key', 'POST', `/v1/users/${user.json().id}/confirm`);
    await call(admin, 'POST', '/v1/users', { email: 'not-an-email', name: '', role: 'boss', password: 'x' });
    await call(admin, 'GET', '/v1/keys');
    const key = await call(admin, 'POST', '/v1/keys', { name: 'order system', role: 'ingest' });
    await call(admin, 'DELETE', `/v1/keys/${key.json().id}`);
    await call(admin, 'GET', '/v1/webhooks');
    const hook = await call(admin, 'POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/hooks' });
    await call(admin, 'PATCH', `/v1/webhooks/${hook.json().id}`, { active: false });
    await call(admin, 'GET', '/v1/webhooks/deliveries');
    await call(investigator, 'GET', '/v1/templates/warn_customer');
    await call(admin, 'PUT', '/v1/templates/warn_customer', {
      body: 'Dear {{name}}, we noticed unusual refunds.',
    });
    await call(admin, 'GET', '/v1/audit?limit=20');
    await call(admin, 'GET', '/v1/audit/verify');
    await call(investigator, 'GET', '/v1/users');

    // Decisions: the policy, its simulation, models and the shadow candidate.
    const policy = await call(supervisor, 'GET', '/v1/decisions/policy');
    await call(supervisor, 'PUT', '/v1/decisions/policy', {
      policy: policy.json().effective,
      note: 'Same again.',
    });
    await call(supervisor, 'POST', '/v1/decisions/policy/simulate', {});
    await call(admin, 'GET', '/v1/decisions/models');
    await call(admin, 'POST', '/v1/decisions/models/train');
    // Too few labels to train here: a stored candidate stands in for a trained one.
    const version = 'm-walk';
    await server.store.saveModel(storedModel(version), 'candidate');
    await call(admin, 'POST', '/v1/decisions/shadow', { modelVersion: version });
    await call(admin, 'GET', '/v1/decisions/shadow');
    await call(admin, 'DELETE', '/v1/decisions/shadow');
    await call(admin, 'POST', `/v1/decisions/models/${version}/promote`);
    await call(admin, 'POST', `/v1/decisions/models/${version}/retire`);
    await call(admin, 'GET', '/v1/decisions/shadow');
    await call(admin, 'POST', '/v1/decisions/models/no-such-model/promote');

    expect(failures).toEqual([]);
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.filter((operation) => !exercised.has(operation))).toEqual([]);
  });
});
