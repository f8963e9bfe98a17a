// The ConsoleStore over Kysely for SQLite and PostgreSQL. It opens its own connection to the same
// location as the main Store (a second better-sqlite3 handle on the same WAL file, or a second small
// pg pool) and works on the tables of migration 0002, plus `assessments` (read) and `meta`. Each
// aggregate's port is implemented in its own module (console-people.ts, console-cases.ts, …).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { ConsoleStore } from '../../app/console-ports.ts';
import type { PersonalDataStore } from '../../app/ports.ts';
import { actionStore } from './console-actions.ts';
import { auditStore } from './console-audit.ts';
import { caseStore } from './console-cases.ts';
import { type ConsoleConnection, SqliteTransactions } from './console-connection.ts';
import { outboxStore } from './console-outbox.ts';
import { peopleStore } from './console-people.ts';
import { rateLimitStore } from './console-rate-limits.ts';
import { consoleReadModels } from './console-read-models.ts';
import type { ConsoleDatabase } from './console-schema.ts';
import { migrateToLatest } from './migrations/index.ts';
import { isPostgresLocation } from './open-store.ts';
import { personalDataStore } from './personal-data-store.ts';
import type { Database } from './schema.ts';

/** Every console port over one connection; `db` is there for tests that reach into the tables. */
export interface KyselyConsoleStore extends ConsoleStore {
  readonly db: Kysely<ConsoleDatabase>;
  /** Personal data across the events and the console's tables, for erasure and retention. */
  readonly personalData: PersonalDataStore;
}

/** Opens the console's store at the same location as the main store and brings the schema up to date. */
export async function openConsoleStore(location: string): Promise<KyselyConsoleStore> {
  const connection = isPostgresLocation(location) ? connectPostgres(location) : openSqlite(location);
  const store = consoleStoreOver(connection);
  try {
    await migrateToLatest(store.db as unknown as Kysely<Database>, store.dialect);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function consoleStoreOver(connection: ConsoleConnection): KyselyConsoleStore {
  return {
    dialect: connection.dialect,
    db: connection.db,
    personalData: personalDataStore(connection),
    close: () => connection.db.destroy(),
    ...peopleStore(connection),
    ...caseStore(connection),
    ...actionStore(connection),
    ...outboxStore(connection),
    ...auditStore(connection),
    ...rateLimitStore(connection),
    ...consoleReadModels(connection),
  };
}

function openSqlite(location: string): ConsoleConnection {
  if (location === ':memory:' || location === '')
    throw new Error('the console needs a SQLite file (its tables live next to the events), not :memory:');
  mkdirSync(dirname(resolve(location)), { recursive: true });
  const database = new BetterSqlite3(location);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<ConsoleDatabase>({ dialect: new SqliteDialect({ database }) });
  return { dialect: 'sqlite', db, sqlite: new SqliteTransactions(database) };
}

function connectPostgres(url: string): ConsoleConnection {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, Number);
  const pool = new pg.Pool({ connectionString: url, types, max: 5 });
  pool.on('error', () => undefined);
  const db = new Kysely<ConsoleDatabase>({ dialect: new PostgresDialect({ pool }) });
  return { dialect: 'postgres', db };
}
