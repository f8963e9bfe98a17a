// A real server for tests: an in-memory SQLite store, the default rule pack, one key per role.
import type { FastifyInstance } from 'fastify';
import { createApiKey, ROLES, type Role } from '../../../app/api-keys.ts';
import { RiskEngine } from '../../../app/engine.ts';
import type { Clock, Store } from '../../../app/ports.ts';
import { loadRulePack } from '../../../app/rule-pack-file.ts';
import { openStore } from '../../db/open-store.ts';
import { buildServer, type ServerOptions } from '../server.ts';

export interface TestServer {
  app: FastifyInstance;
  store: Store;
  engine: RiskEngine;
  /** Secrets by role. */
  keys: Record<Role, string>;
  /** Key ids by role. */
  keyIds: Record<Role, string>;
  close(): Promise<void>;
}

/** The wall clock unless a test fixes it. */
export async function createTestServer(
  options: Pick<ServerOptions, 'logger' | 'eventsBodyLimit'> & { clock?: Clock } = {},
): Promise<TestServer> {
  const { clock = Date.now, ...serverOptions } = options;
  const store = await openStore(':memory:');
  const engine = new RiskEngine(store, loadRulePack(), clock);
  await engine.load();
  const keys = {} as Record<Role, string>;
  const keyIds = {} as Record<Role, string>;
  for (const role of ROLES) {
    const created = await createApiKey(store, { name: `${role} test key`, role }, clock);
    keys[role] = created.secret;
    keyIds[role] = created.id;
  }
  const app = buildServer({ engine, store, clock, ...serverOptions });
  await app.ready();
  return {
    app,
    store,
    engine,
    keys,
    keyIds,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

export function bearer(secret: string): Record<string, string> {
  return { authorization: `Bearer ${secret}` };
}
