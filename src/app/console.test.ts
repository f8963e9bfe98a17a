// Building the console's services starts nothing (an admin command builds them to add a user);
// `start` starts the background work of a live server, `close` stops it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openConsoleStore } from '../adapters/db/console-store.ts';
import { openStore } from '../adapters/db/open-store.ts';
import { createTestLocation, type TestLocation } from '../adapters/db/testing/test-locations.ts';
import { AuditLog } from './audit.ts';
import { createConsoleServices } from './console.ts';
import { RiskEngine } from './engine.ts';
import type { Store } from './ports.ts';
import { loadRulePack } from './rule-pack-file.ts';
import { WebhookDispatcher } from './webhooks.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.useRealTimers();
});

/** A store whose outbox holds one delivery due now, to an endpoint that counts its calls. */
async function storeWithDueDelivery(): Promise<{ location: TestLocation; store: Store; engine: RiskEngine }> {
  const location = await createTestLocation('sqlite');
  cleanups.push(() => location.dispose());
  const store = await openStore(location.location);
  cleanups.push(() => store.close());
  const consoleStore = await openConsoleStore(location.location);
  const webhooks = new WebhookDispatcher(consoleStore, new AuditLog(consoleStore, Date.now), Date.now);
  await webhooks.register({ url: 'https://hooks.retailer.test/in' }, 'system');
  await webhooks.dispatch('action.executed', null, { hello: 'world' });
  await consoleStore.close();
  return { location, store, engine: new RiskEngine(store, loadRulePack(), Date.now) };
}

describe('the console services', () => {
  it('are built inert: no timer, no listener, no delivery, until started', async () => {
    const { location, store, engine } = await storeWithDueDelivery();
    const consoleStore = await openConsoleStore(location.location);
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    const rings = { ring: () => undefined, graph: () => undefined, start: vi.fn(), stop: vi.fn() };
    const listening = vi.spyOn(engine, 'addAssessedListener');

    vi.useFakeTimers();
    const services = createConsoleServices({
      engine,
      store,
      consoleStore,
      rings,
      clock: Date.now,
      retrainIntervalMs: 60_000,
      webhooks: { fetch, pollMs: 10 },
    });
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
    cleanups.push(() => services.close());

    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fetch).not.toHaveBeenCalled();
    expect(listening).not.toHaveBeenCalled();
    expect(rings.start).not.toHaveBeenCalled();

    services.start();
    services.start();
    await services.webhooks.idle();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(listening).toHaveBeenCalledTimes(1);
    expect(rings.start).toHaveBeenCalledTimes(1);
  });

  it('close without start, as an admin command does, and stop the ring watch', async () => {
    const { location, store, engine } = await storeWithDueDelivery();
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    const rings = { ring: () => undefined, graph: () => undefined, start: vi.fn(), stop: vi.fn() };
    const services = createConsoleServices({
      engine,
      store,
      consoleStore: await openConsoleStore(location.location),
      rings,
      clock: Date.now,
      webhooks: { fetch },
    });
    await services.close();
    expect(fetch).not.toHaveBeenCalled();
    expect(rings.start).not.toHaveBeenCalled();
    expect(rings.stop).toHaveBeenCalledTimes(1);
  });
});
