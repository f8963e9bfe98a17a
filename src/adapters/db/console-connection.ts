// What every part of the console's store shares: one Kysely handle (SQLite or PostgreSQL) and, on
// SQLite, the raw connection that runs transactions synchronously. Each statement is written once,
// in Kysely; a synchronous transaction runs it compiled, as a prepared statement.
import type BetterSqlite3 from 'better-sqlite3';
import type { Compilable, Kysely } from 'kysely';
import type { ConsoleDatabase } from './console-schema.ts';
import type { StoreDialect } from './schema.ts';

export interface ConsoleConnection {
  readonly dialect: StoreDialect;
  readonly db: Kysely<ConsoleDatabase>;
  /**
   * SQLite: the raw connection, for transactions run synchronously. A transaction held open
   * across an await would keep the write lock while another connection of this process (the
   * event store) waits on it without yielding: both would stall until busy_timeout.
   */
  readonly sqlite?: SqliteTransactions;
}

/** Compiled Kysely queries run synchronously on one better-sqlite3 connection. */
export class SqliteTransactions {
  /** Prepared once per SQL text: the statements inside transactions have fixed shapes. */
  readonly #statements = new Map<string, BetterSqlite3.Statement<unknown[]>>();

  constructor(readonly database: BetterSqlite3.Database) {}

  /** Runs `work` in one synchronous SQLite transaction (BEGIN IMMEDIATE). */
  transaction<T>(work: () => T): Promise<T> {
    try {
      return Promise.resolve(this.database.transaction(work).immediate());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  all<Row>(query: Compilable<Row>): Row[] {
    const { sql, parameters } = query.compile();
    return this.#prepare(sql).all(...parameters) as Row[];
  }

  first<Row>(query: Compilable<Row>): Row | undefined {
    const { sql, parameters } = query.compile();
    return this.#prepare(sql).get(...parameters) as Row | undefined;
  }

  /** Runs a write; returns how many rows it changed. */
  run(query: Compilable): number {
    const { sql, parameters } = query.compile();
    return this.#prepare(sql).run(...parameters).changes;
  }

  #prepare(sql: string): BetterSqlite3.Statement<unknown[]> {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.database.prepare<unknown[]>(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

/** Runs the writes in order in one transaction (on SQLite, synchronously). */
export function writeInOneTransaction(
  { db, sqlite }: ConsoleConnection,
  writes: readonly Compilable[],
): Promise<void> {
  if (sqlite !== undefined)
    return sqlite.transaction(() => {
      for (const write of writes) sqlite.run(write);
    });
  return db.transaction().execute(async (trx) => {
    for (const write of writes) await trx.executeQuery(write);
  });
}

/** The text as a LIKE pattern that matches it literally (with `escape '\\'`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
