// Browser test scaffolding: Debian's Chromium driven by playwright-core, the real server on a
// loopback port over a real SQLite store, and screenshots saved under test-results/screenshots/.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { importFile } from '../../src/adapters/cli/import-file.ts';
import { openConsoleStore } from '../../src/adapters/db/console-store.ts';
import { openStore } from '../../src/adapters/db/open-store.ts';
import { type RunningServer, startServer } from '../../src/adapters/http/server.ts';
import { loopbackWebhooks } from '../../src/adapters/http/testing/console-server.ts';
import { createApiKey } from '../../src/app/api-keys.ts';
import { type ConsoleServices, createConsoleServices } from '../../src/app/console.ts';
import { RiskEngine } from '../../src/app/engine.ts';
import type { Store } from '../../src/app/ports.ts';
import { RingWatch } from '../../src/app/ring-watch.ts';
import { loadRulePack } from '../../src/app/rule-pack-file.ts';
import { simulationOptionsSchema, writeWorld } from '../../src/sim/index.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  /** A fresh page (tab) in the same profile. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Chromium with a fresh user-data-dir, removed on close; one per person (separate cookie jars).
 * Fails clearly when Chromium is missing.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: apt-get update && apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH).`,
    );
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'rg-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  });
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // A full-page shot of a scrolled page paints the sticky top bar where the viewport was.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage });
  return path;
}

export interface RealServer {
  baseUrl: string;
  store: Store;
  engine: RiskEngine;
  /** The console's services (people, cases, actions, audit) as `refundguard serve` wires them. */
  services: ConsoleServices;
  running: RunningServer;
  /** An admin API key (to create users and send events as a retailer's system would). */
  adminKey: string;
  dir: string;
  close(): Promise<void>;
}

export interface RealServerOptions {
  /**
   * Simulate and import a world first (customers, days, seed); none by default. `labelShare` and
   * `labelDelayDays`: investigators' `label.set` outcomes in the stream (the simulator's options; none by default).
   */
  world?: { customers: number; days: number; seed: number; labelShare?: number; labelDelayDays?: number };
}

/** The real server (`startServer` with the console's services) over a SQLite file in a temporary folder. */
export async function startRealServer(options: RealServerOptions = {}): Promise<RealServer> {
  const dir = mkdtempSync(join(tmpdir(), 'rg-browser-'));
  const store = await openStore(join(dir, 'refundguard.sqlite'));
  const engine = new RiskEngine(store, loadRulePack(), Date.now);
  if (options.world) {
    const worldDir = join(dir, 'world');
    mkdirSync(worldDir, { recursive: true });
    await writeWorld(simulationOptionsSchema.parse(options.world), worldDir);
    await importFile(engine, join(worldDir, 'events.jsonl'));
  } else {
    await engine.load();
  }
  const location = join(dir, 'refundguard.sqlite');
  // As `refundguard serve` wires it: the ring detector's runs open ring cases.
  const rings = new RingWatch(engine, Date.now, { intervalMs: 0 });
  const services = createConsoleServices({
    engine,
    store,
    rings,
    consoleStore: await openConsoleStore(location),
    clock: Date.now,
    webhooks: loopbackWebhooks(),
  });
  services.start();
  await services.cases.syncCases();
  await services.cases.idle();
  const admin = await createApiKey(store, { name: 'browser tests', role: 'admin' }, Date.now);
  const running = await startServer({
    engine,
    store,
    clock: Date.now,
    port: 0,
    host: '127.0.0.1',
    console: services,
  });
  return {
    baseUrl: `http://127.0.0.1:${running.port}`,
    store,
    engine,
    services,
    running,
    adminKey: admin.secret,
    dir,
    async close() {
      await running.app.close();
      await services.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Milliseconds from navigation start until `ready` resolves (the page shows its data). */
export async function timeLoad(page: Page, url: string, ready: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await page.goto(url);
  await ready();
  return Math.round(performance.now() - started);
}

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'refundguard.mjs');

function cli(args: string[]): string {
  try {
    return execFileSync(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, REFUNDGUARD_DB: '' },
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `refundguard ${args.join(' ')} failed: ${failed.stderr || failed.stdout || failed.message}`,
    );
  }
}

export interface CliServer {
  baseUrl: string;
  /** An admin API key made with `refundguard keys create` (users, events, assessments). */
  adminKey: string;
  /** Another admin key made at the shell: a person apart from `adminKey`, to confirm the users it makes. */
  confirmerKey: string;
  dir: string;
  /** What the server printed so far. */
  output(): string;
  close(): Promise<void>;
}

/**
 * The product as a user runs it: `refundguard simulate` + `import` into a SQLite file, an admin key
 * from `refundguard keys create`, then `refundguard serve --port 0` as a child process.
 */
export async function startCliServer(
  options: { world?: { customers: number; days: number; seed: number } } = {},
): Promise<CliServer> {
  const dir = mkdtempSync(join(tmpdir(), 'rg-cli-'));
  const db = join(dir, 'refundguard.sqlite');
  if (options.world) {
    const worldDir = join(dir, 'world');
    const { customers, days, seed } = options.world;
    cli([
      'simulate',
      '--out',
      worldDir,
      '--customers',
      String(customers),
      '--days',
      String(days),
      '--seed',
      String(seed),
    ]);
    cli(['import', join(worldDir, 'events.jsonl'), '--db', db]);
  }
  const adminKey = cli(['keys', 'create', '--name', 'browser tests', '--role', 'admin', '--db', db]).trim();
  // A second admin at the shell: four-eyes counts a user the first key makes as that key's person
  // until someone else confirms them.
  const confirmerKey = cli([
    'keys',
    'create',
    '--name',
    'second admin',
    '--role',
    'admin',
    '--db',
    db,
  ]).trim();
  const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0', '--host', '127.0.0.1'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, REFUNDGUARD_DB: '' },
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const baseUrl = await new Promise<string>((resolveUrl, reject) => {
    const timer = setInterval(() => {
      const match = /serving on (http:\/\/[^\s]+)/.exec(output);
      if (match?.[1]) {
        clearInterval(timer);
        resolveUrl(match[1]);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`refundguard serve exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    baseUrl,
    adminKey,
    confirmerKey,
    dir,
    output: () => output,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
