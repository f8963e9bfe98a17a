// No secret leaks: one full session over real HTTP on loopback — sign-ins (one with a wrong
// password), API keys created and used, a webhook with its signing secret delivered to a loopback
// receiver, an action proposed and approved with four eyes, refused and bad calls — with every log
// line captured (level trace), every error body and the whole audit trail and its anchor read
// back. None of them holds a password, an API key secret, a session id, a CSRF token, a webhook
// secret or the audit key.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBuilder } from '../../core/testing/event-builder.ts';
import { dialectsToTest } from '../db/testing/test-locations.ts';
import { type ConsoleTestServer, createConsoleTestServer, TEST_PASSWORD } from './testing/console-server.ts';

function world(): EventBuilder {
  const events = new EventBuilder();
  for (let index = 1; index <= 3; index += 1) {
    const account = `client-${index}`;
    events.customer(account, { ip: `98.${index}.1.7` });
    events.order(`order-${index}`, account, 10 + index, 89_900, {
      hot: true,
      deliveredDay: 12 + index,
      photo: true,
      ip: `98.${index}.1.7`,
    });
    events.contact(`contact-${index}`, account, 13 + index, {
      deviceId: 'dev-refunder',
      ip: `45.134.22.${index}`,
      text: 'The box arrived empty, I want a supervisor now.',
    });
    events.refund(`refund-${index}`, `order-${index}`, account, 13.01 + index, 89_900, {
      reason: 'empty_box',
      contactId: `contact-${index}`,
    });
  }
  return events;
}

interface Person {
  cookie: string;
  sessionId: string;
  csrf: string;
}

for (const dialect of dialectsToTest()) {
  describe(`secrets on ${dialect}`, () => {
    const logLines: string[] = [];
    const errorBodies: string[] = [];
    const secrets = new Map<string, string>();
    const received: { body: string; signature: string | undefined }[] = [];
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const header = request.headers['x-refundguard-signature'];
        received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: Array.isArray(header) ? header[0] : header,
        });
        response.statusCode = 204;
        response.end();
      });
    });
    let server: ConsoleTestServer;
    let base: string;

    async function call(
      method: string,
      path: string,
      options: { body?: unknown; as?: Person; key?: string; headers?: Record<string, string> } = {},
    ): Promise<{ status: number; text: string; headers: Headers }> {
      const headers: Record<string, string> = { ...options.headers };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      if (options.as !== undefined) {
        headers.cookie = options.as.cookie;
        headers['x-csrf-token'] = options.as.csrf;
      }
      if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
      const response = await fetch(`${base}${path}`, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      const text = await response.text();
      if (response.status >= 400) errorBodies.push(text);
      return { status: response.status, text, headers: response.headers };
    }

    async function signIn(email: string): Promise<Person> {
      const response = await call('POST', '/v1/session', { body: { email, password: TEST_PASSWORD } });
      expect(response.status, response.text).toBe(200);
      const cookieLine = response.headers.getSetCookie()[0] ?? '';
      const cookie = cookieLine.split(';')[0] ?? '';
      const sessionId = cookie.slice(cookie.indexOf('=') + 1);
      const csrf = (JSON.parse(response.text) as { csrfToken: string }).csrfToken;
      secrets.set(`session of ${email}`, sessionId);
      secrets.set(`csrf token of ${email}`, csrf);
      return { cookie, sessionId, csrf };
    }

    beforeAll(async () => {
      server = await createConsoleTestServer(dialect, {
        logger: { level: 'trace', stream: { write: (line: string) => void logLines.push(line) } },
      });
      base = await server.app.listen({ port: 0, host: '127.0.0.1' });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      secrets.set('password', TEST_PASSWORD);
      secrets.set('admin API key', server.adminKey);
      secrets.set('audit key', server.auditKey.toString('hex'));
    }, 60_000);

    afterAll(async () => {
      await server?.close();
      await new Promise((resolve) => receiver.close(resolve));
    });

    it('runs a session with keys, logins, a webhook and a four-eyes action, and no secret appears in logs, errors or the audit trail', async () => {
      const wrongPassword = 'not-the-password-4f1c9e';
      secrets.set('wrong password', wrongPassword);
      expect(
        (await call('POST', '/v1/session', { body: { email: 'admin@test.local', password: wrongPassword } }))
          .status,
      ).toBe(401);
      const admin = await signIn('admin@test.local');
      const investigator = await signIn('investigator@test.local');
      const supervisor = await signIn('supervisor@test.local');

      const created = await call('POST', '/v1/keys', { as: admin, body: { name: 'ingest', role: 'admin' } });
      expect(created.status, created.text).toBe(201);
      const ingestKey = (JSON.parse(created.text) as { secret: string }).secret;
      secrets.set('created API key', ingestKey);
      const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      const hook = await call('POST', '/v1/webhooks', { as: admin, body: { url: receiverUrl } });
      expect(hook.status, hook.text).toBe(201);
      secrets.set('webhook secret', (JSON.parse(hook.text) as { secret: string }).secret);

      const ingest = await call('POST', '/v1/events', { key: ingestKey, body: world().raw });
      expect(ingest.status, ingest.text).toBeLessThan(300);
      await server.services.cases.idle();

      // Refused and bad calls, whose answers and log lines carry the credential that was sent.
      expect((await call('GET', '/v1/cases', { key: `${ingestKey}x` })).status).toBe(401);
      expect(
        (
          await call('GET', '/v1/cases', {
            headers: { 'x-api-key': ingestKey, authorization: `Bearer ${server.adminKey}` },
          })
        ).status,
      ).toBe(401);
      expect(
        (await call('POST', '/v1/session', { body: { email: 'admin@test.local', password: 123 } })).status,
      ).toBe(400);
      expect(
        (await call('POST', '/v1/cases/x/notes', { headers: { cookie: admin.cookie }, body: { text: 'x' } }))
          .status,
      ).toBe(403);
      expect(
        (await call('GET', '/v1/session', { headers: { cookie: `rg_session=${admin.sessionId}tampered` } }))
          .status,
      ).toBe(401);

      const cases = JSON.parse((await call('GET', '/v1/cases?status=open', { as: investigator })).text) as {
        items: { id: string; subjectId: string }[];
      };
      const target = cases.items.find((item) => item.subjectId === 'client-1');
      expect(target).toBeDefined();
      const caseId = target?.id ?? '';
      expect(
        (
          await call('POST', `/v1/cases/${caseId}/transition`, {
            as: investigator,
            body: { to: 'investigating' },
          })
        ).status,
      ).toBe(200);
      const proposed = await call('POST', `/v1/cases/${caseId}/actions`, {
        as: investigator,
        body: { type: 'close_account', note: 'refund service client' },
      });
      expect(proposed.status, proposed.text).toBe(201);
      const actionId = (JSON.parse(proposed.text) as { id: string }).id;
      const approved = await call('POST', `/v1/actions/${actionId}/approve`, {
        as: supervisor,
        body: { note: 'agreed' },
      });
      expect(JSON.parse(approved.text)).toMatchObject({ status: 'executed' });
      await server.services.webhooks.idle();
      expect(received.some((delivery) => delivery.body.includes(actionId))).toBe(true);
      expect((await call('DELETE', '/v1/session', { as: investigator })).status).toBe(204);

      // Whatever a later change logs beside a request — its headers, a body with a password — is redacted.
      server.app.log.warn(
        {
          req: {
            headers: {
              authorization: `Bearer ${ingestKey}`,
              cookie: admin.cookie,
              'x-csrf-token': admin.csrf,
            },
          },
          headers: { 'x-api-key': server.adminKey },
          body: { password: wrongPassword, secret: secrets.get('webhook secret') },
        },
        'a line a later change might write',
      );
      expect(logLines.at(-1)).toContain('[redacted]');

      const auditRows = JSON.stringify(await server.services.consoleStore.listAudit({ limit: 100_000 }));
      const anchor = await readFile(server.auditAnchorPath, 'utf8');
      const logs = logLines.join('');
      // The captures are real: each holds what the session did.
      expect(logs).toContain('"route":"/v1/actions/:id/approve"');
      expect(logs).toMatch(/"reqId":"[^"]+"/);
      expect(auditRows).toContain('action.approve');
      expect(errorBodies.length).toBeGreaterThanOrEqual(6);
      expect(secrets.size).toBeGreaterThanOrEqual(12);
      for (const [name, secret] of secrets) {
        expect(logs.includes(secret), `${name} in the logs`).toBe(false);
        expect(
          errorBodies.some((body) => body.includes(secret)),
          `${name} in an error body`,
        ).toBe(false);
        expect(auditRows.includes(secret), `${name} in the audit trail`).toBe(false);
        expect(anchor.includes(secret), `${name} in the audit anchor`).toBe(false);
        expect(
          received.some((delivery) => delivery.body.includes(secret)),
          `${name} in a webhook`,
        ).toBe(false);
      }
    }, 120_000);
  });
}
