// The console's administration API on each store: API keys (secret once, last used, revoke),
// webhooks turned off, the audit log filtered and verified, each new route's role limits (403 and
// an audit line, nothing else), and cases opened as the engine decides (refunds and ban evasion).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBuilder } from '../../core/testing/event-builder.ts';
import type { KyselyConsoleStore } from '../db/console-store.ts';
import { dropAuditGuard } from '../db/testing/audit-tamper.ts';
import { dialectsToTest } from '../db/testing/test-locations.ts';
import {
  type ConsoleTestServer,
  createConsoleTestServer,
  type SignedIn,
  signIn,
} from './testing/console-server.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

for (const dialect of dialectsToTest()) {
  describe(`console administration on ${dialect}`, () => {
    let server: ConsoleTestServer;
    let admin: SignedIn;
    let supervisor: SignedIn;
    let investigator: SignedIn;
    let analyst: SignedIn;

    const inject = (who: SignedIn | undefined, method: Method, url: string, payload?: unknown) =>
      server.app.inject({
        method,
        url,
        headers: who?.headers ?? {},
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
    const withKey = (key: string, method: Method, url: string, payload?: unknown) =>
      server.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${key}` },
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
    const auditRows = () => server.services.consoleStore.listAudit({ limit: 100_000 });

    beforeAll(async () => {
      server = await createConsoleTestServer(dialect);
      [admin, supervisor, investigator, analyst] = await Promise.all([
        signIn(server.app, 'admin@test.local'),
        signIn(server.app, 'supervisor@test.local'),
        signIn(server.app, 'investigator@test.local'),
        signIn(server.app, 'analyst@test.local'),
      ]);
    }, 60_000);

    afterAll(async () => {
      await server?.close();
    });

    it('creates an API key whose secret is shown once, records its last use, and revokes it', async () => {
      const created = await inject(admin, 'POST', '/v1/keys', { name: 'support desk', role: 'ingest' });
      expect(created.statusCode).toBe(201);
      const key = created.json();
      expect(key).toMatchObject({ name: 'support desk', role: 'ingest', lastUsedAt: null, revokedAt: null });
      expect(key.secret).toMatch(/^rg_/);
      // Listed without the secret.
      const listed = (await inject(admin, 'GET', '/v1/keys'))
        .json()
        .items.find((item: { id: string }) => item.id === key.id);
      expect(listed).toMatchObject({ name: 'support desk', role: 'ingest', lastUsedAt: null });
      expect(JSON.stringify(listed)).not.toContain(key.secret);
      // Nor is it in the audit log.
      expect(JSON.stringify(await auditRows())).not.toContain(key.secret);
      expect((await auditRows())[0]).toMatchObject({ action: 'key.create', subject: `key:${key.id}` });

      expect((await withKey(key.secret, 'GET', `/v1/refunds/nope/assessment`)).statusCode).toBe(404);
      await new Promise((resolve) => setImmediate(resolve));
      await expect
        .poll(async () => (await server.services.keys.list()).find((item) => item.id === key.id)?.lastUsedAt)
        .not.toBeNull();

      const revoked = await inject(admin, 'DELETE', `/v1/keys/${key.id}`);
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json().revokedAt).not.toBeNull();
      expect((await auditRows())[0]).toMatchObject({ action: 'key.revoke', subject: `key:${key.id}` });
      expect((await withKey(key.secret, 'GET', `/v1/refunds/nope/assessment`)).statusCode).toBe(401);
      // Revoking again changes nothing and writes nothing.
      const before = (await auditRows()).length;
      expect((await inject(admin, 'DELETE', `/v1/keys/${key.id}`)).statusCode).toBe(200);
      expect((await auditRows()).length).toBe(before);
      expect((await inject(admin, 'DELETE', '/v1/keys/no-such-key')).statusCode).toBe(404);
    });

    it('answers 400 naming the field and why', async () => {
      const self = await inject(admin, 'PATCH', `/v1/users/${server.users.admin.id}`, { role: 'analyst' });
      expect(self.statusCode).toBe(400);
      expect(self.json().errors[0]).toMatchObject({ field: 'role' });
      expect(
        (await inject(admin, 'PATCH', `/v1/users/${server.users.admin.id}`, { disabled: true })).json()
          .errors[0],
      ).toMatchObject({ field: 'disabled' });
      expect((await server.services.consoleStore.getUser(server.users.admin.id))?.role).toBe('admin');
      const badRole = await inject(admin, 'POST', '/v1/keys', { name: 'x', role: 'root' });
      expect(badRole.statusCode).toBe(400);
      expect(badRole.json().errors[0]).toMatchObject({ field: 'role' });
      const badHook = await inject(admin, 'PATCH', '/v1/webhooks/anything', { active: 'no' });
      expect(badHook.statusCode).toBe(400);
      expect(badHook.json().errors[0]).toMatchObject({ field: 'active' });
      const badAudit = await inject(admin, 'GET', '/v1/audit?limit=0');
      expect(badAudit.statusCode).toBe(400);
      expect(badAudit.json().errors[0]).toMatchObject({ field: 'limit' });
    });

    it('refuses webhooks to the metadata service and private networks with 400 naming the url', async () => {
      // The test server allows 127.0.0.0/8 (its receivers); the rest of the refused ranges hold.
      for (const url of [
        'http://169.254.169.254/latest/meta-data/',
        'http://[fd00:ec2::254]/latest/meta-data/',
        'http://10.0.0.5/hooks',
        'http://[::1]:8080/hooks',
        'http://0.0.0.0/',
      ]) {
        const refused = await inject(admin, 'POST', '/v1/webhooks', { url });
        expect(refused.statusCode, url).toBe(400);
        expect(refused.json().errors[0]).toMatchObject({ field: 'url' });
        expect(refused.json().errors[0].reason).toMatch(/^may not be reached: /);
      }
      expect(
        (await inject(admin, 'POST', '/v1/webhooks', { url: 'http://169.254.169.254/' })).json().errors[0]
          .reason,
      ).toContain('link-local (cloud metadata)');
      const listed = (await inject(admin, 'GET', '/v1/webhooks')).json().items;
      expect(listed.map((item: { url: string }) => item.url)).not.toContainEqual(
        expect.stringMatching(/169\.254|10\.0\.0\.5/),
      );
    });

    it('disables and re-enables a webhook, audited', async () => {
      const hook = (
        await inject(admin, 'POST', '/v1/webhooks', { url: 'https://hooks.retailer.test/refundguard' })
      ).json();
      const off = await inject(admin, 'PATCH', `/v1/webhooks/${hook.id}`, { active: false });
      expect(off.statusCode).toBe(200);
      expect(off.json()).toMatchObject({ id: hook.id, active: false });
      expect(off.json().secret).toBeUndefined();
      expect((await auditRows())[0]).toMatchObject({
        action: 'webhook.disable',
        subject: `webhook:${hook.id}`,
      });
      const listed = (await inject(admin, 'GET', '/v1/webhooks')).json().items;
      expect(listed.find((item: { id: string }) => item.id === hook.id).active).toBe(false);
      expect((await inject(admin, 'PATCH', `/v1/webhooks/${hook.id}`, { active: true })).json().active).toBe(
        true,
      );
      expect((await inject(admin, 'PATCH', '/v1/webhooks/no-such-hook', { active: false })).statusCode).toBe(
        404,
      );
    });

    it('refuses every administration route to other roles with 403 and only an audit line', async () => {
      const hook = (
        await inject(admin, 'POST', '/v1/webhooks', { url: 'https://hooks.retailer.test/two' })
      ).json();
      const key = (await inject(admin, 'POST', '/v1/keys', { name: 'kept', role: 'analyst' })).json();
      const target = server.users.analyst.id;
      const calls: [SignedIn, Method, string, unknown?][] = [];
      for (const who of [analyst, investigator, supervisor]) {
        calls.push(
          [who, 'GET', '/v1/keys'],
          [who, 'POST', '/v1/keys', { name: 'sneaky', role: 'admin' }],
          [who, 'DELETE', `/v1/keys/${key.id}`],
          [who, 'GET', '/v1/users'],
          [
            who,
            'POST',
            '/v1/users',
            { email: 'new@test.local', name: 'New', role: 'admin', password: 'long enough password' },
          ],
          [who, 'PATCH', `/v1/users/${target}`, { role: 'admin' }],
          [who, 'GET', '/v1/webhooks'],
          [who, 'POST', '/v1/webhooks', { url: 'https://evil.test/' }],
          [who, 'PATCH', `/v1/webhooks/${hook.id}`, { active: false }],
          [who, 'GET', '/v1/webhooks/deliveries'],
          [who, 'PUT', '/v1/templates/warn_customer', { body: 'changed' }],
          [who, 'GET', '/v1/audit?actor=system'],
          [who, 'GET', '/v1/audit/verify'],
        );
      }
      const store = server.services.consoleStore as KyselyConsoleStore;
      const snapshot = async () => {
        const [users, keys, hooks, template] = await Promise.all([
          server.services.consoleStore.listUsers(),
          server.services.keys.list(),
          server.services.consoleStore.listWebhooks(),
          server.services.consoleStore.getTemplate('warn_customer'),
        ]);
        return JSON.stringify({
          users,
          keys: keys.map(({ lastUsedAt: _, ...rest }) => rest),
          hooks,
          template,
        });
      };
      const before = await snapshot();
      for (const [who, method, url, payload] of calls) {
        const count = (await auditRows()).length;
        const response = await inject(who, method, url, payload);
        expect(response.statusCode, `${method} ${url}`).toBe(403);
        const rows = await auditRows();
        expect(rows.length, `${method} ${url}`).toBe(count + 1);
        expect(rows[0]).toMatchObject({ action: 'forbidden', detail: { path: url.split('?')[0] } });
        expect(rows[0]?.subject.startsWith(`${method} /v1/`)).toBe(true);
      }
      expect(await snapshot()).toBe(before);
      const outbox = await sql<{ n: number }>`SELECT count(*) AS n FROM webhook_outbox`.execute(store.db);
      expect(Number(outbox.rows[0]?.n)).toBe(0);
    });

    it('filters the audit log by actor, action and subject, pages it, and verifies the chain', async () => {
      const actor = `user:${server.users.admin.id}`;
      const byActor = (
        await inject(admin, 'GET', `/v1/audit?actor=${encodeURIComponent(actor)}&limit=500`)
      ).json().items;
      expect(byActor.length).toBeGreaterThan(0);
      expect(byActor.every((row: { actor: string }) => row.actor === actor)).toBe(true);
      const keyRows = (await inject(admin, 'GET', '/v1/audit?action=key.')).json().items;
      expect(keyRows.map((row: { action: string }) => row.action).sort()).toEqual(
        expect.arrayContaining(['key.create', 'key.revoke']),
      );
      expect(keyRows.every((row: { action: string }) => row.action.startsWith('key.'))).toBe(true);
      const bySubject = (await inject(admin, 'GET', '/v1/audit?subject=webhook%3A')).json().items;
      expect(bySubject.length).toBeGreaterThan(0);
      expect(bySubject.every((row: { subject: string }) => row.subject.startsWith('webhook:'))).toBe(true);
      // Paging: `before` is the last seq seen.
      const first = (await inject(admin, 'GET', '/v1/audit?limit=3')).json().items;
      const next = (await inject(admin, 'GET', `/v1/audit?limit=3&before=${first.at(-1).seq}`)).json().items;
      expect(next[0].seq).toBe(first.at(-1).seq - 1);

      expect((await inject(admin, 'GET', '/v1/audit/verify')).json()).toMatchObject({ ok: true });
      const store = server.services.consoleStore as KyselyConsoleStore;
      await dropAuditGuard(store.db, dialect);
      await sql`UPDATE audit_log SET detail = ${'{"tampered":true}'} WHERE seq = 2`.execute(store.db);
      expect((await inject(admin, 'GET', '/v1/audit/verify')).json()).toMatchObject({
        ok: false,
        brokenSeq: 2,
      });
    });

    it('opens cases as the engine decides: refunds at once, and a banned person signing up again as ban evasion', async () => {
      const world = new EventBuilder(Date.now() - 40 * 86_400_000).refunderWorking(
        2,
        'The box arrived empty, I want a supervisor now.',
      );
      const ingest = await withKey(server.adminKey, 'POST', '/v1/events', world.raw);
      expect(ingest.statusCode).toBeLessThan(300);
      await server.services.cases.idle();
      const refundCases = (await inject(analyst, 'GET', '/v1/cases?type=refund')).json();
      expect(refundCases.items.map((item: { subjectId: string }) => item.subjectId).sort()).toEqual([
        'client-1',
        'client-2',
      ]);

      const now = Date.now();
      const closeAndReturn = [
        {
          id: 'closed-1',
          type: 'account.closed',
          time: new Date(now - 60_000).toISOString(),
          data: { accountId: 'client-1', reason: 'fraud' },
        },
        {
          id: 'evader-1',
          type: 'account.created',
          time: new Date(now).toISOString(),
          data: {
            accountId: 'client-1-again',
            email: 'client-1+new@example.com',
            name: 'C. One',
            deviceId: 'dev-client-1',
          },
        },
      ];
      expect((await withKey(server.adminKey, 'POST', '/v1/events', closeAndReturn)).statusCode).toBeLessThan(
        300,
      );
      await server.services.cases.idle();
      const evasion = (await inject(analyst, 'GET', '/v1/cases?type=ban_evasion')).json();
      expect(evasion.items).toHaveLength(1);
      expect(evasion.items[0]).toMatchObject({
        type: 'ban_evasion',
        subjectType: 'account',
        subjectId: 'client-1-again',
      });
      expect(evasion.counts.type).toMatchObject({ refund: 2, ban_evasion: 1 });
      const detail = (await inject(analyst, 'GET', `/v1/cases/${evasion.items[0].id}`)).json();
      expect(detail.evidence[0]).toMatchObject({ kind: 'assessment', refId: 'signup:client-1-again' });
    });
  });
}
