// An admin command builds the console's services but starts none of their background work:
// `users create` over a store whose outbox holds a due webhook delivery adds the user, sends
// nothing and exits on its own.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openConsoleStore } from '../src/adapters/db/console-store.ts';
import { openStore } from '../src/adapters/db/open-store.ts';
import { AuditLog } from '../src/app/audit.ts';
import { WebhookDispatcher } from '../src/app/webhooks.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'refundguard.mjs');
const dir = mkdtempSync(join(tmpdir(), 'refundguard-inert-'));
const db = join(dir, 'store.sqlite');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('refundguard users create', () => {
  it('starts no webhook sender, case sync or timer', async () => {
    let requests = 0;
    const receiver = createServer((_request, response) => {
      requests += 1;
      response.statusCode = 204;
      response.end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const port = (receiver.address() as AddressInfo).port;
      const store = await openStore(db);
      await store.close();
      const consoleStore = await openConsoleStore(db);
      const webhooks = new WebhookDispatcher(consoleStore, new AuditLog(consoleStore, Date.now), Date.now);
      await webhooks.register({ url: `http://127.0.0.1:${port}/hooks` }, 'system');
      const [queued] = await webhooks.dispatch('action.executed', null, { hello: 'world' });
      await consoleStore.close();

      // Spawned, not run synchronously: the receiver in this process must be free to answer, were it asked.
      const started = Date.now();
      const child = spawn(
        process.execPath,
        [
          BIN,
          'users',
          'create',
          '--email',
          'ada@example.test',
          '--name',
          'Ada',
          '--role',
          'admin',
          '--db',
          db,
        ],
        {
          env: { ...process.env, REFUNDGUARD_PASSWORD: 'a long enough password' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += String(chunk);
      });
      const result = await new Promise<{ code: number | null; stderr: string }>((resolve) =>
        child.once('exit', (code) => resolve({ code, stderr })),
      );
      expect(result.code, result.stderr).toBe(0);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(requests).toBe(0);

      const reader = await openConsoleStore(db);
      const deliveries = await reader.listDeliveries({ limit: 10 });
      const users = await reader.listUsers();
      await reader.close();
      expect(deliveries).toMatchObject([{ id: queued?.id, status: 'pending', attempts: 0 }]);
      expect(users.map((user) => user.email)).toEqual(['ada@example.test']);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
