// The console in a real browser: served by the real server (static files, SPA fallback, the
// not-built page, signing in and out), and its pages driven against a mock of docs/console-api.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webConsole } from '../../src/adapters/http/web-console.ts';
import { MOCK_PASSWORD, type MockServer, startMockServer } from './contract-mock.ts';
import {
  launchBrowser,
  type RealServer,
  screenshot,
  startRealServer,
  type TestBrowser,
  timeLoad,
} from './harness.ts';

let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the console served by the real server', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startRealServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves index.html at / and for console routes, and leaves /v1, /docs and /health alone', async () => {
    const home = await fetch(`${server.baseUrl}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toContain('text/html');
    const html = await home.text();
    expect(html).toContain('<div id="root">');

    const deep = await fetch(`${server.baseUrl}/cases/case-42`, { headers: { accept: 'text/html' } });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toBe(html);

    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${server.baseUrl}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');

    const missingAsset = await fetch(`${server.baseUrl}/assets/nope.js`, { headers: { accept: '*/*' } });
    expect(missingAsset.status).toBe(404);

    const api = await fetch(`${server.baseUrl}/v1/no-such-route`, { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');

    const health = await fetch(`${server.baseUrl}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const docs = await fetch(`${server.baseUrl}/docs`, { headers: { accept: 'text/html' } });
    expect(docs.status).toBeLessThan(400);
    expect(await docs.text()).not.toBe(html);

    const traversal = await fetch(`${server.baseUrl}/..%2f..%2fpackage.json`, { headers: { accept: '*/*' } });
    expect(traversal.status).toBe(404);
  });

  it('renders the login page, and the console routes load it when signed out', async () => {
    const page = await browser.newPage();
    try {
      await page.context().clearCookies();
      for (const path of ['/', '/cases/case-1', '/refunds', '/dashboard']) {
        await page.goto(`${server.baseUrl}${path}`);
        await page.getByRole('button', { name: 'Sign in' }).waitFor();
        expect(await page.getByLabel('E-mail').isVisible()).toBe(true);
        expect(new URL(page.url()).pathname).toBe(path);
        expect(await page.getByRole('alert').count()).toBe(0);
      }
      await screenshot(page, 'login', false);
    } finally {
      await page.close();
    }
  });

  it('signs a person in with the session cookie, keeps them across a reload, and signs them out', async () => {
    await server.services.people.createUser({
      email: 'anna.analyst@retailer.test',
      name: 'Anna Analyst',
      role: 'analyst',
      password: 'an analyst passphrase',
    });
    const page = await browser.newPage();
    try {
      await page.context().clearCookies();
      await page.goto(`${server.baseUrl}/dashboard`);
      await page.getByLabel('E-mail').fill('anna.analyst@retailer.test');
      await page.getByLabel('Password').fill('not it');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(async () => (await page.locator('.form-error').textContent()) ?? '').not.toBe('');
      await page.getByLabel('Password').fill('an analyst passphrase');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('.kpi').first().waitFor();
      expect(new URL(page.url()).pathname).toBe('/dashboard');
      await page.goto(`${server.baseUrl}/`);
      await page.getByText('No cases match these filters.').waitFor();
      expect(await page.locator('.whoami').textContent()).toContain('Anna Analyst');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await page.goto(`${server.baseUrl}/`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    } finally {
      await page.close();
    }
  });
});

describe('the console when dist/web has not been built', () => {
  it('answers / with a page saying how to build it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'rg-no-console-'));
    const app = Fastify();
    await app.register(webConsole, { root: empty });
    try {
      const response = await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
      expect(response.statusCode).toBe(503);
      expect(response.body).toContain('npm run build:web');
      const deep = await app.inject({ method: 'GET', url: '/dashboard', headers: { accept: 'text/html' } });
      expect(deep.body).toContain('npm run build:web');
    } finally {
      await app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

async function signIn(page: Page, baseUrl: string, email: string, path = '/'): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${baseUrl}${path}`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(MOCK_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.topbar').waitFor();
}

describe('the console pages against the API contract (mock server)', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer();
  });
  afterAll(async () => {
    await mock?.close();
  });

  it('shows a wrong password as the problem detail', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(mock.baseUrl);
      await page.getByLabel('E-mail').fill('ines@retailer.test');
      await page.getByLabel('Password').fill('wrong');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong e-mail or password.');
    } finally {
      await page.close();
    }
  });

  it('works a case: queue by money at risk, evidence, proposal, four-eyes approval', async () => {
    const investigator = await browser.newPage();
    await signIn(investigator, mock.baseUrl, 'ines@retailer.test');
    const rows = investigator.locator('.queue-table tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(50);
    const amounts = (await investigator.locator('.queue-table tbody td.num.strong').allTextContents()).map(
      (text) => Number(text.replace(/[^0-9.]/g, '')),
    );
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    await expect.poll(() => investigator.locator('.chip-count').first().textContent()).not.toBe('0');
    await screenshot(investigator, 'mock-queue');

    // Filters go to the server and into the address.
    await investigator.getByRole('button', { name: /^Insider/ }).click();
    await expect.poll(() => new URL(investigator.url()).searchParams.get('type')).toBe('insider');
    await expect
      .poll(
        async () =>
          new Set(await investigator.locator('.queue-table tbody .badge-outline').allTextContents()),
      )
      .toEqual(new Set(['Insider']));
    await investigator.getByRole('button', { name: /^Insider/ }).click();

    // The top case: header, reasons, timeline with transcripts.
    await rows.first().locator('a.case-title').click();
    await investigator.locator('.case-header h1').waitFor();
    await investigator.locator('.tl-item').first().waitFor();
    expect(await investigator.locator('.tl-item[data-kind="refund"] .assessment').count()).toBeGreaterThan(0);
    await investigator
      .getByRole('button', { name: /Show transcript/ })
      .first()
      .click();
    expect(await investigator.locator('.transcript .message').first().textContent()).toContain('box');
    expect(await investigator.locator('.reasons-panel').textContent()).toContain('third-party');

    // Propose an account closure: it waits for a second person.
    await investigator.getByRole('button', { name: 'Close account', exact: true }).click();
    await investigator
      .getByPlaceholder('Why (kept with the action)')
      .fill('Refund-service client: third-party chats.');
    await investigator.getByRole('button', { name: 'Propose close account' }).click();
    const proposal = investigator.locator('.action-row[data-action-type="close_account"]');
    await proposal.waitFor();
    expect(await proposal.getAttribute('data-action-status')).toBe('proposed');
    expect(await proposal.textContent()).toContain('Awaiting approval by a supervisor other than you');
    expect(await proposal.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await screenshot(investigator, 'mock-case');
    const caseUrl = investigator.url();
    await investigator.close();

    // A supervisor, in a browser of their own, approves.
    const second = await launchBrowser();
    try {
      const supervisor = await second.newPage();
      await signIn(supervisor, mock.baseUrl, 'sam@retailer.test', new URL(caseUrl).pathname);
      const pending = supervisor.locator('.action-row[data-action-type="close_account"]');
      await pending.getByRole('button', { name: 'Approve' }).click();
      await expect.poll(() => pending.getAttribute('data-action-status')).toBe('executed');
      expect(await pending.textContent()).toContain('approved by Sam Okafor');
      await supervisor.locator('.case-header .badge-dark', { hasText: 'Account closed' }).waitFor();
    } finally {
      await second.close();
    }
  });

  it('searches refunds and draws the dashboard, each page quickly', async () => {
    const page = await browser.newPage();
    await signIn(page, mock.baseUrl, 'ana@retailer.test');
    const timings: Record<string, number> = {};
    timings.queue = await timeLoad(page, `${mock.baseUrl}/`, () =>
      page.locator('.queue-table tbody tr').first().waitFor(),
    );
    timings.case = await timeLoad(page, `${mock.baseUrl}/cases/case-0001`, () =>
      page.locator('.tl-item').first().waitFor(),
    );
    timings.refunds = await timeLoad(page, `${mock.baseUrl}/refunds?decision=deny`, () =>
      page.locator('.grid tbody tr').first().waitFor(),
    );
    expect(new Set(await page.locator('.grid tbody .badge').allTextContents())).toEqual(new Set(['Deny']));
    timings.dashboard = await timeLoad(page, `${mock.baseUrl}/dashboard`, () =>
      page.locator('.chart-box canvas').nth(2).waitFor(),
    );
    expect(await page.locator('.kpi').count()).toBe(4);
    await screenshot(page, 'mock-dashboard');
    await page.goto(`${mock.baseUrl}/refunds`);
    await page.locator('.grid tbody tr').first().waitFor();
    await screenshot(page, 'mock-refunds');
    console.log('page loads against the mock (ms):', timings);
    // The one-second budget is held against the real server in investigator-flow.test.ts; here the mock
    // answers instantly, so this only guards the console's own rendering (with slack for a busy CI).
    for (const ms of Object.values(timings)) expect(ms).toBeLessThan(2_000);
    await page.close();
  });
});
