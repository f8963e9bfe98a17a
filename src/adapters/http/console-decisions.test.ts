// The Decisions API on each store: the policy read, changed (its problems named inside the policy,
// its note trimmed) and simulated on history; models trained, promoted and retired; a candidate
// in shadow started and stopped. Every reply parses with the contract schema the console reads it
// with, and each change needs its permission.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as contract from '../../contract/decisions.ts';
import { EventBuilder } from '../../core/testing/event-builder.ts';
import { dialectsToTest } from '../db/testing/test-locations.ts';
import {
  type ConsoleTestServer,
  createConsoleTestServer,
  type SignedIn,
  signIn,
} from './testing/console-server.ts';
import { storedModel } from './testing/stored-model.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

const SCRIPT =
  'The box arrived completely empty. I want a supervisor right now or I open a chargeback, I already filed a police report.';

for (const dialect of dialectsToTest()) {
  describe(`the Decisions API on ${dialect}`, () => {
    let server: ConsoleTestServer;
    let admin: SignedIn;
    let supervisor: SignedIn;
    let analyst: SignedIn;

    const inject = (who: SignedIn, method: Method, url: string, payload?: unknown) =>
      server.app.inject({
        method,
        url: `/v1/decisions${url}`,
        headers: who.headers,
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
    const fieldsOf = (body: { errors?: { field: string }[] }) => body.errors?.map((error) => error.field);

    beforeAll(async () => {
      server = await createConsoleTestServer(dialect);
      const ingested = await server.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { authorization: `Bearer ${server.adminKey}` },
        payload: new EventBuilder().refunderWorking(4, SCRIPT).raw as object,
      });
      expect(ingested.statusCode).toBe(200);
      [admin, supervisor, analyst] = await Promise.all([
        signIn(server.app, 'admin@test.local'),
        signIn(server.app, 'supervisor@test.local'),
        signIn(server.app, 'analyst@test.local'),
      ]);
    }, 60_000);

    afterAll(async () => {
      await server?.close();
    });

    it('reads and changes the policy, naming the fields inside it, and simulates it on history', async () => {
      const before = contract.policyViewSchema.parse((await inject(analyst, 'GET', '/policy')).json());
      expect(before.history).toEqual([]);
      expect(before.effective).toEqual(before.packDefault);

      const invalid = await inject(supervisor, 'PUT', '/policy', { policy: { reviewFrom: 1.5 } });
      expect(invalid.statusCode).toBe(400);
      expect(fieldsOf(invalid.json())).toContain('reviewFrom');
      expect((await inject(analyst, 'PUT', '/policy', { policy: before.effective })).statusCode).toBe(403);

      const policy = { ...before.effective, reviewCapacity: { share: 0.2 } };
      const saved = await inject(supervisor, 'PUT', '/policy', { policy, note: '  Two more reviewers ' });
      expect(saved.statusCode).toBe(200);
      const record = contract.policyRecordSchema.parse(saved.json());
      expect(record).toMatchObject({
        version: 1,
        policy,
        createdBy: `user:${server.users.supervisor.id}`,
        note: 'Two more reviewers',
      });
      expect(Number.isNaN(Date.parse(record.createdAt))).toBe(false);
      const after = contract.policyViewSchema.parse((await inject(analyst, 'GET', '/policy')).json());
      expect(after.effective).toEqual(policy);
      expect(after.history).toEqual([record]);

      const simulated = await inject(analyst, 'POST', '/policy/simulate', {});
      expect(simulated.statusCode).toBe(200);
      const simulation = contract.policySimulationSchema.parse(simulated.json());
      expect(simulation.refunds).toBeGreaterThan(0);
      expect(typeof simulation.from).toBe('number');
      expect(simulation.proposed).toBeUndefined();
      const proposed = contract.policySimulationSchema.parse(
        (
          await inject(analyst, 'POST', '/policy/simulate', {
            policy: { ...policy, reviewCapacity: { perDay: 1 } },
          })
        ).json(),
      );
      expect(proposed.proposed?.days.every((day) => day.capacity === 1)).toBe(true);
      const empty = contract.policySimulationSchema.parse(
        (await inject(analyst, 'POST', '/policy/simulate', { from: '2099-01-01T00:00:00Z' })).json(),
      );
      expect(empty).toMatchObject({ refunds: 0, from: null, to: null });
      const badTime = await inject(analyst, 'POST', '/policy/simulate', { from: 'yesterday' });
      expect(badTime.statusCode).toBe(400);
      expect(fieldsOf(badTime.json())).toContain('from');
    });

    it('trains, promotes and retires models, and runs one in shadow', async () => {
      const trained = await inject(admin, 'POST', '/models/train');
      expect(trained.statusCode).toBe(200);
      expect(contract.trainResultSchema.parse(trained.json())).toMatchObject({
        promoted: false,
        outcome: 'too-few-labels',
      });
      expect((await inject(supervisor, 'POST', '/models/train')).statusCode).toBe(403);

      await server.store.saveModel(storedModel('m-test'), 'candidate');
      await server.store.saveModel(storedModel('m-other-pack', ['no-such-family']), 'candidate');
      const { items } = contract.modelListSchema.parse((await inject(analyst, 'GET', '/models')).json());
      const listed = items.find((item) => item.version === 'm-test');
      expect(listed).toMatchObject({
        status: 'candidate',
        promotedAt: null,
        trainedAt: '2026-03-02T00:00:00.000Z',
        labelsBefore: '2026-03-01T00:00:00.000Z',
        holdout: { from: Date.parse('2026-02-15T00:00:00Z') },
      });

      expect((await inject(admin, 'POST', '/models/m-none/promote')).statusCode).toBe(404);
      const unfit = await inject(admin, 'POST', '/models/m-other-pack/promote');
      expect(unfit.statusCode).toBe(400);
      expect(fieldsOf(unfit.json())).toEqual(['version']);
      const promoted = contract.decisionModelSchema.parse(
        (await inject(admin, 'POST', '/models/m-test/promote')).json(),
      );
      expect(promoted.status).toBe('promoted');
      expect(promoted.promotedAt).not.toBeNull();
      expect(server.engine.model?.version).toBe('m-test');
      const retired = contract.decisionModelSchema.parse(
        (await inject(admin, 'POST', '/models/m-test/retire')).json(),
      );
      expect(retired.status).toBe('retired');
      expect(server.engine.model).toBeUndefined();

      const none = await inject(admin, 'POST', '/shadow', {});
      expect(none.statusCode).toBe(400);
      expect(fieldsOf(none.json())).toEqual(['(root)']);
      const started = await inject(admin, 'POST', '/shadow', { modelVersion: 'm-test' });
      expect(started.statusCode).toBe(201);
      expect(contract.shadowStartedSchema.parse(started.json())).toEqual({ candidate: 'model:m-test' });
      const report = contract.shadowReportSchema.parse((await inject(analyst, 'GET', '/shadow')).json());
      expect(report).toMatchObject({ candidate: 'model:m-test', error: null });
      expect(Number.isNaN(Date.parse(report.since ?? ''))).toBe(false);
      expect((await inject(analyst, 'DELETE', '/shadow')).statusCode).toBe(403);
      const stopped = await inject(admin, 'DELETE', '/shadow');
      expect(contract.shadowStoppedSchema.parse(stopped.json())).toEqual({ stopped: true });
      expect(
        contract.shadowReportSchema.parse((await inject(analyst, 'GET', '/shadow')).json()),
      ).toMatchObject({
        candidate: null,
        since: null,
        decisions: 0,
      });
    });
  });
}
