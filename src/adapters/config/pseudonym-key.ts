// The key of erasure's pseudonyms: from the environment, else from a key file beside the store
// (made on first use, readable by its owner only). It is kept outside the database: whoever holds
// the database alone cannot test a guess of an erased value against its pseudonym.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isPostgresLocation } from '../db/open-store.ts';
import type { Environment } from './environment.ts';

/** The key file's path: as configured, else beside a SQLite store, else ./data/pseudonym.key. */
export function pseudonymKeyFile(environment: Environment, storeLocation: string): string {
  if (environment.pseudonymKeyFile !== undefined) return environment.pseudonymKeyFile;
  if (isPostgresLocation(storeLocation)) return join('data', 'pseudonym.key');
  return join(dirname(storeLocation), 'pseudonym.key');
}

export function loadPseudonymKey(environment: Environment, storeLocation: string): string {
  if (environment.pseudonymKey !== undefined) return environment.pseudonymKey;
  const file = pseudonymKeyFile(environment, storeLocation);
  try {
    return readKey(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true });
  try {
    // 'wx': two processes making it at once cannot both win; the loser reads the winner's key.
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readKey(file);
}

function readKey(file: string): string {
  const key = readFileSync(file, 'utf8').trim();
  if (key.length < 16) throw new Error(`the pseudonym key in ${file} is shorter than 16 characters`);
  return key;
}
