// Fresh, isolated store locations for tests: a temporary SQLite file, or a new PostgreSQL
// database created through the admin URL in REFUNDGUARD_TEST_PG_URL and dropped afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { StoreDialect } from '../schema.ts';

export interface TestLocation {
  /** What openStore takes: a file path or a postgres:// URL. */
  location: string;
  dispose(): Promise<void>;
}

const KNOWN_DIALECTS: readonly StoreDialect[] = ['sqlite', 'postgres'];

/** DIALECTS=sqlite,postgres picks dialects; by default both (test/postgres/global-setup.ts gives a server). */
export function dialectsToTest(
  // Outside vitest (a script started by path) no server is started, so without a URL: SQLite only.
  value = process.env.DIALECTS ?? (process.env.REFUNDGUARD_TEST_PG_URL ? 'sqlite,postgres' : 'sqlite'),
): StoreDialect[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    if (!KNOWN_DIALECTS.includes(name as StoreDialect)) {
      throw new Error(`DIALECTS names an unknown dialect "${name}"; known: ${KNOWN_DIALECTS.join(', ')}`);
    }
  }
  return names as StoreDialect[];
}

export function createTestLocation(dialect: StoreDialect): Promise<TestLocation> {
  return dialect === 'sqlite' ? createSqliteLocation() : createPostgresLocation();
}

async function createSqliteLocation(): Promise<TestLocation> {
  const folder = await mkdtemp(join(tmpdir(), 'refundguard-store-'));
  return {
    // A folder that does not exist yet: opening the store must create it.
    location: join(folder, 'not-yet-created', 'store.sqlite'),
    dispose: () => rm(folder, { recursive: true, force: true }),
  };
}

async function createPostgresLocation(): Promise<TestLocation> {
  const adminUrl = process.env.REFUNDGUARD_TEST_PG_URL;
  if (adminUrl === undefined || adminUrl === '') {
    throw new Error(
      'DIALECTS includes postgres but REFUNDGUARD_TEST_PG_URL is not set (vitest starts an embedded ' +
        'server through test/postgres/global-setup.ts; elsewhere export the URL that ' +
        '`scripts/start-postgres.sh` prints), or run with DIALECTS=sqlite.',
    );
  }
  const database = `refundguard_test_${randomBytes(6).toString('hex')}`;
  await asAdmin(adminUrl, `CREATE DATABASE ${database}`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return {
    location: url.toString(),
    dispose: () => asAdmin(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
  };
}

async function asAdmin(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
