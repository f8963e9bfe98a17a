// The console in a real browser, served by the real server: static files, SPA fallback, the
// not-built page, and signing in and out with a real session.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webConsole } from '../../src/adapters/http/web-console.ts';
import { launchBrowser, type RealServer, screenshot, startRealServer, type TestBrowser } from './harness.ts';

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
