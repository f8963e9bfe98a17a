// The console's routes go by the clock the server was given, not the machine's: a fixed clock
// fixes what "today" is for them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleTestServer, createConsoleTestServer, signIn } from './testing/console-server.ts';

const NOW = Date.parse('2030-01-15T12:00:00Z');

describe('the console on a fixed clock', () => {
  let server: ConsoleTestServer;
  beforeAll(async () => {
    server = await createConsoleTestServer('sqlite', { clock: () => NOW });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('ends an empty store’s dashboard on the clock’s day', async () => {
    const analyst = await signIn(server.app, 'analyst@test.local');
    const response = await server.app.inject({
      method: 'GET',
      url: '/v1/dashboard?days=3',
      headers: analyst.headers,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().perDay.map((day: { day: string }) => day.day)).toEqual([
      '2030-01-13',
      '2030-01-14',
      '2030-01-15',
    ]);
  });

  it('stamps what people do with it', async () => {
    const users = await server.services.consoleStore.listUsers();
    expect(users.map((user) => user.createdAt)).toEqual(users.map(() => NOW));
    const [latest] = await server.services.consoleStore.listAudit({ limit: 1 });
    expect(latest?.at).toBe(NOW);
  });
});
