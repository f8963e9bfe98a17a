// Test helper: the names of the events table's indexes in a SQLite store file, read on a
// connection of its own (the store under test may still be open).
import BetterSqlite3 from 'better-sqlite3';

export function eventIndexes(location: string): string[] {
  const database = new BetterSqlite3(location, { readonly: true });
  try {
    return database
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name")
      .pluck()
      .all() as string[];
  } finally {
    database.close();
  }
}
