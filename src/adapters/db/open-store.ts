// Chooses the storage adapter from a location: a PostgreSQL URL, or else a SQLite file path.
import type { Store } from '../../app/ports.ts';
import { PostgresStore } from './postgres-store.ts';
import { SqliteStore } from './sqlite-store.ts';

export function isPostgresLocation(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Opens the store and brings its schema up to date. */
export async function openStore(location: string): Promise<Store> {
  const store = isPostgresLocation(location) ? PostgresStore.connect(location) : SqliteStore.open(location);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
