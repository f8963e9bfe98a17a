// The Decisions page in a real browser against the real server over a simulated world whose
// investigators labelled most refunds (label.set): a supervisor reads the policy in force, sees a
// field error from the server, tries another review share on history (Simulate), saves it (the
// engine decides with it, the audit log has the change); the simulation's charts are drawn and the
// threshold table filled. An admin trains a model, tries it in shadow on refunds asked about through
// the API, stops it, and promotes or retires it. An analyst reads everything and changes nothing.
// Screenshots: test-results/screenshots/decisions-*.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RealServer, screenshot, startRealServer, type TestBrowser } from './harness.ts';

const PASSWORD = 'a long decisions-test passphrase';
let server: RealServer;
const browsers: TestBrowser[] = [];
const ids: Record<string, string> = {};
/** The review share the supervisor saves (one the rule pack's default is not). */
let newShare = 0.15;

/** A review capacity as the page writes it. */
function capacityText(capacity: { share?: number; perDay?: number }): string {
  return capacity.perDay !== undefined
    ? `${capacity.perDay} refunds per day`
    : `${Number(((capacity.share ?? 0) * 100).toFixed(2))} % of refunds`;
}

async function signIn(email: string, path: string): Promise<Page> {
  const browser = await launchBrowser();
  browsers.push(browser);
  const page = await browser.newPage();
  await page.goto(`${server.baseUrl}${path}`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.topbar').waitFor({ timeout: 10_000 });
  return page;
}

/** The API as a retailer's system sees it (the admin key). */
async function apiCall(method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.baseUrl}/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.adminKey}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: await response.json() };
}

/** Pixels a chart's canvas painted (0 when Chart.js drew nothing). */
function paintedPixels(page: Page, testId: string): Promise<number> {
  return page.locator(`[data-testid="${testId}"] canvas`).evaluate((canvas: HTMLCanvasElement) => {
    const context = canvas.getContext('2d');
    if (!context || canvas.width === 0 || canvas.height === 0) return 0;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let index = 3; index < data.length; index += 4) if ((data[index] ?? 0) > 0) painted += 1;
    return painted;
  });
}

beforeAll(async () => {
  server = await startRealServer({
    world: { customers: 8_000, days: 30, seed: 1, labelShare: 0.9, labelDelayDays: 3 },
  });
  for (const [role, name] of [
    ['analyst', 'Ann Analyst'],
    ['supervisor', 'Sam Supervisor'],
    ['admin', 'Ada Admin'],
  ] as const) {
    const user = await server.services.people.createUser({
      email: `${role}@retailer.test`,
      name,
      role,
      password: PASSWORD,
    });
    ids[role] = user.id;
  }
}, 600_000);

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await server?.close();
});

describe('the Decisions page', () => {
  it('shows a supervisor the policy, the simulation charts and thresholds, and saves a new review share', async () => {
    const page = await signIn('supervisor@retailer.test', '/decisions');
    await page.getByRole('heading', { name: 'Decisions', level: 1 }).waitFor();
    expect(
      await page.locator('.topbar').getByRole('link', { name: 'Decisions' }).getAttribute('class'),
    ).toContain('active');
    const before = (await apiCall('GET', '/decisions/policy')).body.effective;
    newShare = before.reviewCapacity.share === 0.15 ? 0.2 : 0.15;
    expect(await page.getByTestId('policy-capacity').textContent()).toBe(capacityText(before.reviewCapacity));
    expect(await page.getByTestId('policy-origin').textContent()).toContain("The rule pack's default");

    // The simulation on history: the threshold table has the server's rows, the charts are drawn.
    const simulated = await apiCall('POST', '/decisions/policy/simulate', {});
    expect(simulated.status).toBe(200);
    expect(simulated.body.labelled).toBeGreaterThan(0);
    const thresholdRows = page.getByRole('table', { name: 'Thresholds' }).locator('tbody tr');
    await thresholdRows.first().waitFor();
    expect(await thresholdRows.count()).toBe(simulated.body.thresholds.length);
    expect(simulated.body.thresholds.length).toBeGreaterThan(5);
    const first = simulated.body.thresholds[0];
    expect(await thresholdRows.first().getAttribute('data-threshold')).toBe(String(first.threshold));
    expect(await thresholdRows.first().textContent()).toContain(first.flagged.toLocaleString('en-US'));
    expect(await page.getByRole('table', { name: 'Thresholds' }).locator('tr.row-marked').count()).toBe(1);
    await expect
      .poll(() => paintedPixels(page, 'threshold-chart'), { timeout: 10_000 })
      .toBeGreaterThan(2_000);
    await expect.poll(() => paintedPixels(page, 'daily-chart'), { timeout: 10_000 }).toBeGreaterThan(2_000);
    expect(await page.getByTestId('simulation-summary').textContent()).toContain(
      `${simulated.body.refunds.toLocaleString('en-US')} refunds`,
    );

    // The server's field error shows beside the field, and nothing is saved.
    const form = page.getByRole('form', { name: 'Change the policy' });
    await form.getByLabel('Review from').fill('1.5');
    await form.getByRole('button', { name: 'Save policy' }).click();
    const reviewFromError = form.locator('label', { hasText: 'Review from' }).locator('.field-error');
    await reviewFromError.waitFor();
    expect((await reviewFromError.textContent())?.length).toBeGreaterThan(0);
    await screenshot(page, 'decisions-field-error', false);
    expect((await apiCall('GET', '/decisions/policy')).body.history).toHaveLength(0);
    await form.getByLabel('Review from').fill(String(before.reviewFrom));

    // Try the new share on history first: the proposed run shows beside the one in force.
    await form.getByLabel('Capacity as').selectOption('share');
    await form.getByLabel('Review share (%)').fill(String(Math.round(newShare * 100)));
    await form.getByLabel('Note').fill('Two more reviewers from Monday');
    await form.getByRole('button', { name: 'Simulate' }).click();
    const runs = page.getByRole('table', { name: 'Policy runs' });
    await runs.getByRole('columnheader', { name: 'Proposed' }).waitFor();
    expect(await reviewFromError.count()).toBe(0);
    await screenshot(page, 'decisions-proposed');

    await form.getByRole('button', { name: 'Save policy' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as version 1' }).waitFor();
    await expect
      .poll(async () => page.getByTestId('policy-capacity').textContent())
      .toBe(capacityText({ share: newShare }));
    const origin = (await page.getByTestId('policy-origin').textContent()) ?? '';
    expect(origin).toContain('you (Sam Supervisor)');
    expect(origin).toContain('Two more reviewers from Monday');
    expect(await runs.getByRole('columnheader', { name: 'Proposed' }).count()).toBe(0);

    // Re-read: the API, the engine and the audit log have the change.
    const policy = (await apiCall('GET', '/decisions/policy')).body;
    expect(policy.effective.reviewCapacity).toEqual({ share: newShare });
    expect(policy.effective.reviewFrom).toBe(before.reviewFrom);
    expect(policy.history[0]).toMatchObject({
      version: 1,
      createdBy: `user:${ids.supervisor}`,
      note: 'Two more reviewers from Monday',
    });
    expect(server.engine.decider.policy.reviewCapacity.share).toBe(newShare);
    const audit = await apiCall('GET', '/audit?action=policy.changed&limit=10');
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      actor: `user:${ids.supervisor}`,
      detail: {
        policy: { reviewCapacity: { share: newShare } },
        previous: { reviewCapacity: before.reviewCapacity },
        note: 'Two more reviewers from Monday',
      },
    });
    await screenshot(page, 'decisions-supervisor');
  });

  it('lets an admin train a model, try it in shadow, stop it, and promote or retire it', async () => {
    const page = await signIn('admin@retailer.test', '/decisions');
    // An admin may list people: the change names the supervisor who made it.
    await expect
      .poll(async () => page.getByTestId('policy-origin').textContent())
      .toContain('Set by Sam Supervisor');
    const models = page.getByRole('region', { name: 'Models' });
    await models.getByText('No model trained yet: the measured evidence decides alone.').waitFor();
    expect((await apiCall('GET', '/decisions/models')).body.items).toHaveLength(0);

    await models.getByRole('button', { name: 'Train a model now' }).click();
    const trained = page.getByTestId('train-result');
    await trained.waitFor({ timeout: 60_000 });
    expect(await trained.textContent()).toMatch(/^Trained m-/);
    const [stored] = (await apiCall('GET', '/decisions/models')).body.items;
    expect(stored).toBeDefined();
    const version: string = stored.version;
    const row = models.locator(`tr[data-model="${version}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe(stored.status);
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain(stored.holdout.model.logLoss.toFixed(3));
    expect(rowText).toContain(`vs ${stored.holdout.live.logLoss.toFixed(3)}`);
    expect(rowText).toContain(
      `${stored.labels.fraud.toLocaleString('en-US')} / ${stored.labels.honest.toLocaleString('en-US')}`,
    );

    // Shadow: start the model beside the live decider, ask about some refunds, read the comparison.
    const shadow = page.getByRole('region', { name: 'Shadow' });
    await shadow.getByText('No candidate in shadow.').waitFor();
    await shadow.getByLabel('Model to try').selectOption(version);
    await shadow.getByRole('button', { name: 'Start shadow' }).click();
    await expect
      .poll(async () => page.getByTestId('shadow-status').textContent())
      .toContain(`Running: model:${version}`);
    expect((await apiCall('GET', '/decisions/shadow')).body.candidate).toBe(`model:${version}`);
    const requests = readFileSync(join(server.dir, 'world', 'events.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"type":"refund.requested"'))
      .slice(-40)
      .map((line) => JSON.parse(line) as { time: string; data: Record<string, unknown> });
    expect(requests).toHaveLength(40);
    for (const request of requests) {
      const asked = await apiCall('POST', '/refunds/assess', { ...request.data, time: request.time });
      expect(asked.status).toBe(200);
    }
    await shadow.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(async () => page.getByTestId('shadow-decisions').textContent()).toBe('40');
    const report = (await apiCall('GET', '/decisions/shadow')).body;
    expect(report.decisions).toBe(40);
    const matrix = shadow.getByRole('table', { name: 'Live against candidate' });
    for (const [live, decided] of Object.entries(
      report.agreement as Record<string, Record<string, number>>,
    )) {
      const total = Object.values(decided).reduce((sum, count) => sum + count, 0);
      expect(await matrix.locator(`tr[data-live="${live}"] td`).last().textContent()).toBe(String(total));
    }
    await shadow.getByRole('table', { name: 'Labelled outcomes' }).waitFor();
    await screenshot(page, 'decisions-shadow');
    await shadow.getByRole('button', { name: 'Stop shadow' }).click();
    await expect
      .poll(async () => page.getByTestId('shadow-status').textContent())
      .toBe('No candidate in shadow.');
    expect((await apiCall('GET', '/decisions/shadow')).body.candidate).toBeNull();

    // Promote a model that was not promoted; retire one that was.
    if (stored.status === 'promoted') {
      expect(server.engine.model?.version).toBe(version);
      await row.getByRole('button', { name: `Retire ${version}` }).click();
      await expect.poll(async () => row.getAttribute('data-status')).toBe('retired');
      expect(server.engine.model).toBeUndefined();
    } else {
      expect(server.engine.model).toBeUndefined();
      await row.getByRole('button', { name: `Promote ${version}` }).click();
      await expect.poll(async () => row.getAttribute('data-status')).toBe('promoted');
      expect(server.engine.model?.version).toBe(version);
    }
    const after = (await apiCall('GET', '/decisions/models')).body.items[0];
    expect(after.status).toBe(await row.getAttribute('data-status'));
    const actions = (await apiCall('GET', '/audit?action=model.&limit=20')).body.items.map(
      (item: { action: string }) => item.action,
    );
    expect(actions).toContain('model.trained');
    expect(actions).toContain(stored.status === 'promoted' ? 'model.retired' : 'model.promoted');
    const shadowActions = (await apiCall('GET', '/audit?action=shadow.&limit=20')).body.items.map(
      (item: { action: string }) => item.action,
    );
    expect(shadowActions).toEqual(['shadow.stopped', 'shadow.started']);
    await screenshot(page, 'decisions-admin');
  });

  it('shows an analyst the page read-only', async () => {
    const page = await signIn('analyst@retailer.test', '/decisions');
    await page.getByRole('heading', { name: 'Decisions', level: 1 }).waitFor();
    expect(await page.getByTestId('policy-capacity').textContent()).toBe(capacityText({ share: newShare }));
    await page.getByText('Supervisors and admins change the policy.').waitFor();
    await page.getByRole('table', { name: 'Thresholds' }).locator('tbody tr').first().waitFor();
    await page.getByRole('table', { name: 'Model list' }).locator('tbody tr').first().waitFor();
    await page.getByTestId('shadow-status').waitFor();
    expect(await page.getByRole('form', { name: 'Change the policy' }).count()).toBe(0);
    for (const name of [
      'Save policy',
      'Simulate',
      'Train a model now',
      'Start shadow',
      'Stop shadow',
      'Promote',
      'Retire',
    ])
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    // The server refuses the change too (with the session's CSRF token: the role is what is refused).
    const status = await page.evaluate(async () => {
      const session = await (await fetch('/v1/session')).json();
      const response = await fetch('/v1/decisions/policy', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ policy: { reviewCapacity: { share: 0.5 } } }),
      });
      return response.status;
    });
    expect(status).toBe(403);
    expect((await apiCall('GET', '/decisions/policy')).body.effective.reviewCapacity).toEqual({
      share: newShare,
    });
    await screenshot(page, 'decisions-analyst');
  });
});
