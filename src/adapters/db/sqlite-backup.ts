// `refundguard backup FILE`: a consistent copy of a live SQLite store (events, assessments, models,
// keys, and the console's cases, actions, outbox and audit log, which live in the same file),
// through SQLite's online backup API on a connection of its own: a running server goes on
// writing, and the copy is one moment of the store. The copy is written next to FILE and renamed
// into place when complete, so FILE is either absent or a whole store. Restoring is using the
// file as the store (docs in README, "Backup and restore"). PostgreSQL is backed up with pg_dump.
import { existsSync, renameSync, rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';

export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
}

/** Pages copied per step: small steps let a server's writers in between them. */
const PAGES_PER_STEP = 256;

export async function backupSqlite(
  location: string,
  file: string,
  onProgress?: (progress: BackupProgress) => void,
): Promise<{ pages: number }> {
  if (existsSync(file)) throw new Error(`${file} exists already; a backup never overwrites a file`);
  if (!existsSync(location)) throw new Error(`no store at ${location}`);
  const source = new BetterSqlite3(location, { readonly: true, fileMustExist: true });
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  try {
    let pages = 0;
    await source.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        pages = totalPages;
        onProgress?.({ totalPages, remainingPages });
        return PAGES_PER_STEP;
      },
    });
    // The callback runs between steps, so the last one it saw still had pages to go.
    onProgress?.({ totalPages: pages, remainingPages: 0 });
    // A backup of a WAL database is in WAL mode too; one file is what an operator moves around.
    const copy = new BetterSqlite3(partial);
    try {
      copy.pragma('journal_mode = DELETE');
      const [check] = copy.pragma('quick_check') as { quick_check: string }[];
      if (check?.quick_check !== 'ok')
        throw new Error(`the copy fails its integrity check: ${check?.quick_check}`);
    } finally {
      copy.close();
    }
    renameSync(partial, file);
    return { pages };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
}
